import { spawn, type ChildProcess } from 'node:child_process';
import { Emitter } from '../core/emitter';
import { commandLine } from './localPty';
import { stopBuild } from './processTree';
import type { Backend, BuildProcess, ExitStatus, SpawnOptions } from './types';
import * as os from 'node:os';

/**
 * The fallback when node-pty cannot be loaded: plain pipes. Nothing is lost at exit (pipes drain before 'close'),
 * but tools see no terminal: many print no colours or progress, nothing can be typed, and there is no resize.
 */
export class PipeBackend implements Backend {
  readonly kind = 'pipe' as const;

  constructor(private readonly note: string) {}

  async spawn(options: SpawnOptions): Promise<BuildProcess> {
    return new PipeBuildProcess(options, this.note);
  }
}

class PipeBuildProcess implements BuildProcess {
  readonly backend = 'pipe' as const;
  private readonly child: ChildProcess;
  private readonly dataEmitter = new Emitter<Uint8Array>();
  private readonly exitEmitter = new Emitter<ExitStatus>();
  readonly onData = this.dataEmitter.event;
  readonly onExit = this.exitEmitter.event;
  private exited: ExitStatus | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    options: SpawnOptions,
    readonly backendNote: string,
  ) {
    const { file, args } = commandLine(options);
    // detached: its own session and process group, so Ctrl+C and stop reach the whole build and nothing else
    this.child = spawn(file, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const forward = (data: Buffer) => this.dataEmitter.fire(data);
    this.child.stdout!.on('data', forward);
    this.child.stderr!.on('data', forward);
    this.child.stdin!.on('error', () => undefined);
    this.child.on('error', (err: NodeJS.ErrnoException) => {
      const reason = err.code === 'ENOENT' ? `command not found: ${file}` : err.message;
      this.dataEmitter.fire(Buffer.from(`kirby: ${reason}\r\n`));
      this.finish({ code: err.code === 'ENOENT' ? 127 : 126 });
    });
    // 'close' comes after both pipes are drained: the status is reported after the last byte
    this.child.on('close', (code, signal) => {
      if (signal) this.finish({ code: 128 + (os.constants.signals[signal] ?? 0), signal });
      else this.finish({ code: code ?? 1 });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  write(data: string): void {
    if (this.exited) return;
    // without a terminal there is no line discipline: Ctrl+C must become a signal here
    if (data.includes('\x03')) this.interrupt();
    const rest = data.replace(/\x03/g, '');
    if (rest.length > 0) this.child.stdin!.write(rest.replace(/\r/g, '\n'));
  }

  resize(): void {
    // pipes have no size
  }

  interrupt(): void {
    if (this.exited || this.child.pid === undefined) return;
    try {
      if (process.platform === 'win32') this.child.kill('SIGINT');
      else process.kill(-this.child.pid, 'SIGINT');
    } catch {
      // already gone
    }
  }

  stop(): Promise<void> {
    if (this.exited || this.child.pid === undefined) return Promise.resolve();
    this.stopping ??= stopBuild(this.child.pid, this.onExit);
    return this.stopping;
  }

  dispose(): void {
    if (!this.exited) void this.stop();
    this.dataEmitter.dispose();
  }

  private finish(ended: ExitStatus): void {
    if (this.exited) return;
    const status = this.stopping ? { ...ended, stopped: true } : ended;
    this.exited = status;
    this.exitEmitter.fire(status);
    this.exitEmitter.dispose();
  }
}
