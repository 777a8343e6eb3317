import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { Emitter } from '../core/emitter';
import { ExitMarkerScanner } from './exitMarker';
import { ACK_PREFIX } from './hostProtocol';
import { stopBuild } from './processTree';
import type { LoadedPty, Pty } from './ptyLoader';
import type { Backend, BuildProcess, ExitStatus, SpawnOptions } from './types';

export interface PtyBackendOptions {
  /** A Node.js binary for the pty host; in VS Code's extension host this is Electron run as Node. */
  nodePath?: string;
  /** The compiled pty host script. */
  hostScript?: string;
}

/** Splits how a build is started: a shell command line goes through the platform shell. */
export function commandLine(options: SpawnOptions): { file: string; args: string[] } {
  if (options.args) return { file: options.command, args: options.args };
  if (process.platform === 'win32') return { file: process.env.ComSpec ?? 'cmd.exe', args: ['/d', '/s', '/c', options.command] };
  return { file: '/bin/sh', args: ['-c', options.command] };
}

export class PtyBackend implements Backend {
  readonly kind = 'pty' as const;

  constructor(
    private readonly pty: LoadedPty,
    private readonly options: PtyBackendOptions = {},
  ) {}

  async spawn(options: SpawnOptions): Promise<BuildProcess> {
    return new PtyBuildProcess(this.pty, this.options, options);
  }
}

class PtyBuildProcess implements BuildProcess {
  readonly backend = 'pty' as const;
  readonly backendNote: string;
  private readonly pty: Pty;
  private readonly scanner: ExitMarkerScanner | undefined;
  private readonly nonce = randomBytes(12).toString('hex');
  private readonly dataEmitter = new Emitter<Uint8Array>();
  private readonly exitEmitter = new Emitter<ExitStatus>();
  readonly onData = this.dataEmitter.event;
  readonly onExit = this.exitEmitter.event;
  private exited: ExitStatus | undefined;
  private stopping: Promise<void> | undefined;

  constructor(loaded: LoadedPty, backendOptions: PtyBackendOptions, options: SpawnOptions) {
    const { file, args } = commandLine(options);
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', COLORTERM: 'truecolor', ...options.env };
    const cols = options.cols ?? 120;
    const rows = options.rows ?? 30;
    const useHost = process.platform !== 'win32';
    this.backendNote = `pseudo-terminal (${loaded.source})`;
    if (useHost) {
      // see ptyHost.ts: the host keeps the pty open until we have read everything
      env.ELECTRON_RUN_AS_NODE = '1';
      env.KIRBY_PTY_HOST = '1';
      const node = backendOptions.nodePath ?? process.execPath;
      const host = backendOptions.hostScript ?? path.join(__dirname, 'ptyHost.js');
      this.scanner = new ExitMarkerScanner(this.nonce);
      this.pty = loaded.module.spawn(node, [host, this.nonce, '--', file, ...args], {
        name: 'xterm-256color',
        cols,
        rows,
        cwd: options.cwd,
        env,
        encoding: null,
      });
    } else {
      this.pty = loaded.module.spawn(file, args, { name: 'xterm-256color', cols, rows, cwd: options.cwd, env, encoding: null });
    }
    this.pty.onData((data) => this.handleData(typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
    this.pty.onExit((e) => this.handleExit(e));
  }

  get pid(): number | undefined {
    return this.pty.pid;
  }

  write(data: string): void {
    if (!this.exited) this.pty.write(data);
  }

  resize(cols: number, rows: number): void {
    if (this.exited || cols < 1 || rows < 1) return;
    try {
      this.pty.resize(Math.floor(cols), Math.floor(rows));
    } catch {
      // the pty may close between the check and the call
    }
  }

  interrupt(): void {
    this.write('\x03');
  }

  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    this.stopping ??= stopBuild(this.pty.pid, this.onExit);
    return this.stopping;
  }

  dispose(): void {
    if (!this.exited) void this.stop();
    this.dataEmitter.dispose();
  }

  private handleData(chunk: Buffer): void {
    if (!this.scanner) {
      this.dataEmitter.fire(chunk);
      return;
    }
    const before = this.scanner.status;
    const pass = this.scanner.push(chunk);
    if (pass.length > 0) this.dataEmitter.fire(pass);
    if (!before && this.scanner.status) {
      // everything the command wrote has been delivered: let the host exit
      this.pty.write(ACK_PREFIX + this.nonce);
    }
  }

  private handleExit(e: { exitCode: number; signal?: number }): void {
    if (this.exited) return;
    if (this.scanner && !this.scanner.status) {
      const rest = this.scanner.flush();
      if (rest.length > 0) this.dataEmitter.fire(rest);
    }
    const ended = this.scanner?.status ?? fromPtyExit(e);
    const status = this.stopping ? { ...ended, stopped: true } : ended;
    this.exited = status;
    this.exitEmitter.fire(status);
    this.exitEmitter.dispose();
  }
}

/** node-pty reports a signal death as exitCode 0 plus the signal number: turn that into one status. */
function fromPtyExit(e: { exitCode: number; signal?: number }): ExitStatus {
  if (e.signal) {
    const name = Object.entries(os.constants.signals).find(([, n]) => n === e.signal)?.[0];
    return { code: 128 + e.signal, signal: name ?? String(e.signal) };
  }
  return { code: e.exitCode };
}
