/**
 * A build in a Daytona sandbox's PTY, behind the same BuildProcess interface as the local pty: raw output bytes
 * (PTY frames as they come, never through the SDK's session-log demuxer), input, resize, Ctrl+C, stop, exit status.
 *
 * When the socket is lost while the build runs, it reconnects with bounded backoff. The daemon keeps no history for a
 * reattaching client, so output written meanwhile cannot be recovered: the runner writes one visible line saying so
 * ("[Kirby] connection … lost … output … may be missing") instead of pretending the stream is whole. When the build
 * ended while disconnected, its exit code is read from the file the wrapper wrote.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Emitter } from '../../core/emitter';
import { ExitMarkerScanner } from '../exitMarker';
import type { Backend, BuildProcess, ExitStatus, SpawnOptions } from '../types';
import { commandAsShellLine, exitFilePath, outputLogPath, scriptLogBody, StartGate, statusFromCode, typedLine, wrapperScript } from './remoteCommand';
import type { PtyClosed, RemoteFiles, RemotePty, RemotePtys } from './sdkAdapter';

export interface DaytonaBackendOptions {
  ptys: RemotePtys;
  files: RemoteFiles;
  /** The workspace folder here, and where it is synced in the sandbox: a build's cwd is mapped from one to the other. */
  localRoot: string;
  remoteRoot: string;
  /** A sandbox folder for Kirby's own files (exit codes). */
  stateDir: string;
  /** Environment for every build, on top of TERM; the local environment is never sent. */
  env?: Record<string, string>;
  /** Waits before each reconnection attempt; their count bounds the attempts. */
  reconnectDelaysMs?: readonly number[];
  /** How long stop() waits after Ctrl+C before killing the session. */
  stopGraceMs?: number;
  note?: string;
}

const DEFAULT_RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 4000];
/** How much of the live stream identifies its place in the sandbox's log. */
const ANCHOR_BYTES = 4096;
/** Longest command line typed into the shell; a line longer than the tty's line buffer (4095) would be cut. */
const MAX_TYPED_LINE = 3500;

export class DaytonaBackend implements Backend {
  readonly kind = 'daytona' as const;

  constructor(private readonly options: DaytonaBackendOptions) {}

  async spawn(spawn: SpawnOptions): Promise<BuildProcess> {
    const relative = path.relative(this.options.localRoot, spawn.cwd);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new Error(`the build's folder ${spawn.cwd} is outside the synced workspace ${this.options.localRoot}`);
    }
    const cwd = relative ? `${this.options.remoteRoot}/${relative.split(path.sep).join('/')}` : this.options.remoteRoot;
    const proc = new RemotePtyBuildProcess(this.options, spawn, cwd);
    await proc.begin();
    return proc;
  }
}

class RemotePtyBuildProcess implements BuildProcess {
  readonly backend = 'daytona' as const;
  readonly backendNote: string;
  readonly pid = undefined;
  private readonly nonce = randomBytes(12).toString('hex');
  private readonly sessionId = `kirby-${this.nonce}`;
  private readonly gate = new StartGate(this.nonce);
  private readonly scanner = new ExitMarkerScanner(this.nonce);
  private readonly dataEmitter = new Emitter<Uint8Array>();
  private readonly exitEmitter = new Emitter<ExitStatus>();
  readonly onData = this.dataEmitter.event;
  readonly onExit = this.exitEmitter.event;
  private pty: RemotePty | undefined;
  private connected = false;
  private pendingInput: string[] = [];
  private size: { cols: number; rows: number };
  private killed = false;
  private exited: ExitStatus | undefined;
  /** Bytes of the command's output passed on so far (log offsets): where a refill from the sandbox's log starts. */
  private relayed = 0;
  /** The log offset of the next live byte, once a refill has run ahead of the live stream (which then catches up). */
  private streamOffset: number | undefined;
  /** A refill with no live bytes held: the next live chunk is placed in this log. */
  private placeNext: Buffer | undefined;
  /** While a gap is being filled from the log, live output waits here (undefined otherwise). */
  private held: Buffer[] | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly options: DaytonaBackendOptions,
    private readonly spawnOptions: SpawnOptions,
    private readonly cwd: string,
  ) {
    this.size = { cols: spawnOptions.cols ?? 120, rows: spawnOptions.rows ?? 30 };
    this.backendNote = options.note ?? 'Daytona sandbox (remote pseudo-terminal)';
  }

  async begin(): Promise<void> {
    const line = typedLine(wrapperScript(commandAsShellLine(this.spawnOptions), this.nonce, this.options.stateDir));
    if (line.length > MAX_TYPED_LINE) throw new Error(`the command is too long to run in a Daytona terminal (${line.length} characters)`);
    const envs = { TERM: 'xterm-256color', COLORTERM: 'truecolor', ...this.options.env, ...stringEnv(this.spawnOptions.env) };
    this.pty = await this.options.ptys.create({ id: this.sessionId, cwd: this.cwd, envs, ...this.size, onData: (d) => this.receive(d) });
    this.connected = true;
    try {
      await this.pty.send(line);
    } catch (e) {
      // no build will be reported for this session: do not leave its shell running
      await this.options.ptys.kill(this.sessionId).catch(() => undefined);
      throw e;
    }
    void this.follow(this.pty);
  }

  write(data: string): void {
    if (this.exited) return;
    // before the command runs the shell would read it, and while disconnected it would be lost: keep it
    if (!this.gate.started || !this.connected || !this.pty) {
      this.pendingInput.push(data);
      return;
    }
    this.pty.send(data).catch(() => this.pendingInput.push(data));
  }

  resize(cols: number, rows: number): void {
    if (this.exited || cols < 1 || rows < 1) return;
    this.size = { cols: Math.floor(cols), rows: Math.floor(rows) };
    if (this.connected) this.pty?.resize(this.size.cols, this.size.rows).catch(() => undefined);
  }

  interrupt(): void {
    this.write('\x03');
  }

  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    this.stopping ??= this.stopGracefully();
    return this.stopping;
  }

  dispose(): void {
    if (!this.exited) void this.stop();
    this.dataEmitter.dispose();
  }

  private async stopGracefully(): Promise<void> {
    const ended = new Promise<void>((resolve) => (this.exited ? resolve() : this.onExit(() => resolve())));
    this.interrupt();
    if (await settlesWithin(ended, this.options.stopGraceMs ?? 3000)) return;
    // the daemon kills the whole tree and closes the socket with 137
    this.killed = true;
    await this.options.ptys.kill(this.sessionId).catch(() => undefined);
    if (!(await settlesWithin(ended, 5000))) this.finish({ code: 137, signal: 'SIGKILL' });
  }

  private receive(chunk: Uint8Array): void {
    if (this.exited) return;
    // a view, not a copy: a 5 MB stream would otherwise be copied once more here
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const output = this.gate.started ? bytes : this.gate.push(bytes);
    if (this.gate.started && this.pendingInput.length > 0 && this.connected) this.flushInput();
    if (output.length === 0) return;
    if (this.held) this.held.push(Buffer.from(output)); // a copy: the view's memory may be reused
    else this.passLive(output);
  }

  /**
   * Where live bytes sit in the log just read, so none is passed twice. The live stream usually lags the log: the
   * held bytes are found by their last few KB (real output makes them unique) and later live bytes are skipped until
   * the stream reaches the log's end. If the stream ran ahead, the part the log ends with is skipped. With nothing
   * held, the first live chunk is placed the same way when it comes.
   */
  private placeLive(body: Buffer, live: Buffer): void {
    if (live.length === 0) {
      this.placeNext = body;
      return;
    }
    const anchor = live.subarray(Math.max(0, live.length - ANCHOR_BYTES));
    const end = body.lastIndexOf(anchor);
    if (end >= 0) {
      this.streamOffset = end + anchor.length; // all of `live` is in what was passed
      if (this.streamOffset >= this.relayed) this.streamOffset = undefined;
      return;
    }
    let overlap = Math.min(live.length, body.length);
    while (overlap > 0 && !body.subarray(body.length - overlap).equals(live.subarray(0, overlap))) overlap--;
    if (live.length > overlap) this.pass(live.subarray(overlap));
  }

  /** Live output after a refill: the part the refill already passed on is skipped. */
  private passLive(output: Buffer): void {
    if (this.placeNext) {
      const body = this.placeNext;
      this.placeNext = undefined;
      const start = body.lastIndexOf(output.subarray(0, Math.min(output.length, ANCHOR_BYTES)));
      if (start >= 0) this.streamOffset = start;
    }
    if (this.streamOffset === undefined) return this.pass(output);
    const seen = Math.min(output.length, Math.max(0, this.relayed - this.streamOffset));
    this.streamOffset += output.length;
    if (this.streamOffset >= this.relayed) this.streamOffset = undefined;
    if (seen < output.length) this.pass(output.subarray(seen));
  }

  private pass(output: Buffer): void {
    this.relayed += output.length;
    const pass = this.scanner.push(output);
    if (pass.length > 0) this.dataEmitter.fire(pass);
  }

  /**
   * Fills the gap a lost socket left from the copy `script` keeps in the sandbox: what the log has beyond the bytes
   * relayed, then the live output held meanwhile, without the part both hold. False when there is no log (a sandbox
   * without `script`): the caller marks the gap instead.
   */
  private async fillFromLog(): Promise<boolean> {
    const held = () => Buffer.concat(this.held ?? []);
    let log: Buffer | undefined;
    try {
      const file = outputLogPath(this.options.stateDir, this.nonce);
      const content = (await this.options.files.download([file])).get(file);
      if (content instanceof Buffer) log = content;
    } catch {
      // no log: the gap is marked
    }
    const live = held();
    this.held = undefined;
    if (!log || !this.gate.started) {
      if (live.length > 0) this.pass(live);
      return false;
    }
    const body = scriptLogBody(log);
    if (body.length > this.relayed) this.pass(body.subarray(this.relayed));
    this.placeLive(body, live);
    return true;
  }

  /** Waits for this socket to close and decides: the build ended, or the connection was lost. */
  private async follow(pty: RemotePty): Promise<void> {
    const closed = await pty.closed;
    if (pty !== this.pty || this.exited) return;
    this.connected = false;
    if (this.scanner.status) return this.finish(this.scanner.status);
    if (this.killed) return this.finish(statusFromCode(closed.exitCode ?? 137));
    const alive = await this.options.ptys.isAlive(this.sessionId).catch(() => undefined);
    if (alive === false) return this.endedWithoutMarker(closed);
    await this.reconnect(performance.now());
  }

  private async reconnect(lostAt: number): Promise<void> {
    for (const delay of this.options.reconnectDelaysMs ?? DEFAULT_RECONNECT_DELAYS_MS) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.exited || this.killed) return;
      this.held = [];
      try {
        this.pty = await this.options.ptys.connect(this.sessionId, (d) => this.receive(d));
      } catch {
        this.held = undefined;
        const alive = await this.options.ptys.isAlive(this.sessionId).catch(() => undefined);
        if (alive === false) return this.endedWithoutMarker({}, lostAt);
        continue;
      }
      this.connected = true;
      if (!(await this.fillFromLog())) {
        const seconds = ((performance.now() - lostAt) / 1000).toFixed(1);
        this.note(`connection to the sandbox lost for ${seconds} s and restored; output between may be missing`);
      }
      this.pty.resize(this.size.cols, this.size.rows).catch(() => undefined);
      this.flushInput();
      void this.follow(this.pty);
      return;
    }
    this.note(
      `connection to the sandbox lost and not restored; output after it is missing and the build (session ${this.sessionId}) was stopped`,
    );
    await this.options.ptys.kill(this.sessionId).catch(() => undefined);
    this.finish({ code: 1 });
  }

  /** The session is gone but the exit marker never arrived: say what may be missing, take the code from the file. */
  private async endedWithoutMarker(closed: PtyClosed, lostAt?: number): Promise<void> {
    const code = closed.exitCode ?? (await this.readExitFile());
    this.held = [];
    if (this.gate.started && (await this.fillFromLog())) {
      // the log holds the whole output: nothing is missing
    } else if (!this.gate.started) {
      const tail = this.gate.preStartTail();
      if (tail.length > 0) this.dataEmitter.fire(tail);
      this.note(`the sandbox's shell ended before the command started${code === undefined ? '' : ` (exit code ${code})`}`);
    } else if (lostAt !== undefined) {
      this.note(`connection to the sandbox lost; the build ended meanwhile${code === undefined ? ' (exit code unknown)' : ''}; output between may be missing`);
    } else {
      this.note('the sandbox closed the terminal before the last output arrived; the end of the output may be missing');
    }
    this.finish(code === undefined ? { code: 1 } : statusFromCode(code));
  }

  private async readExitFile(): Promise<number | undefined> {
    try {
      const file = exitFilePath(this.options.stateDir, this.nonce);
      const content = (await this.options.files.download([file])).get(file);
      const code = content instanceof Buffer ? Number.parseInt(content.toString('utf8'), 10) : Number.NaN;
      return Number.isFinite(code) ? code : undefined;
    } catch {
      return undefined;
    }
  }

  private flushInput(): void {
    const pending = this.pendingInput.join('');
    this.pendingInput = [];
    if (pending && this.pty) this.pty.send(pending).catch(() => this.pendingInput.unshift(pending));
  }

  private note(text: string): void {
    this.dataEmitter.fire(Buffer.from(`\r\n[Kirby] ${text}\r\n`));
  }

  private finish(status: ExitStatus): void {
    if (this.exited) return;
    const rest = this.scanner.status ? Buffer.alloc(0) : this.scanner.flush();
    if (rest.length > 0) this.dataEmitter.fire(rest);
    // the exit marker carries no signal name: infer it from the code, as shells report one
    const ended = status.signal ? status : statusFromCode(status.code);
    this.exited = this.stopping ? { ...ended, stopped: true } : ended;
    void this.pty?.disconnect();
    this.exitEmitter.fire(this.exited);
    this.exitEmitter.dispose();
  }
}

function stringEnv(env: NodeJS.ProcessEnv | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const result = await Promise.race([promise.then(() => true as const), timeout]);
  clearTimeout(timer);
  return result;
}
