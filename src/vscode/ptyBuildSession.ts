import { TextDecoder } from 'node:util';
import * as vscode from 'vscode';
import { formatDuration } from '../core/summary';
import type { Backend, BuildProcess, ExitStatus } from '../run/types';
import { BuildPseudoterminal, red } from './buildPseudoterminal';
import { TASK_MARKERS } from '../core/patterns/problemMatchers';
import type { BuildResult } from '../core/stateMachine';
import { BuildSession, type BuildSpec, type SessionServices } from './buildSession';

export interface PtySessionServices extends SessionServices {
  /** The build's backend: local (node-pty loaded on first use, never at activation) or its Daytona sandbox. */
  backend(spec: BuildSpec): Backend;
  /** Called once per backend note that the user should hear about (pipes instead of a pty). */
  backendWarning(note: string): void;
  /** A build could not start (a Daytona setup failed): tell the user what to do about it. */
  backendFailed?(error: unknown, spec: BuildSpec): void;
}

/**
 * A build in Kirby's own terminal: the command runs in a pty (or pipes), every byte goes to both the terminal and
 * the engine. Keystrokes and resizes reach the process; closing the terminal stops the build.
 *
 * As a `kirby` task (CustomExecution) VS Code makes the terminal from `pseudoterminal`; the session then prints a
 * line when a build starts and ends (TASK_MARKERS, for the `$kirby-watch` background matcher that tells VS Code when
 * a background task is ready) and closes with the exit code, which ends the task.
 */
export class PtyBuildSession extends BuildSession {
  readonly outputNote = undefined;
  readonly terminal: vscode.Terminal | undefined;
  readonly pseudoterminal: BuildPseudoterminal;
  private process: BuildProcess | undefined;
  private runCount = 0;
  private cols = 120;
  private rows = 30;
  /** A run being started, so stop() during spawn waits for it. */
  private starting: Promise<void> | undefined;

  constructor(
    spec: BuildSpec,
    private readonly ptyServices: PtySessionServices,
    private readonly asTask = false,
  ) {
    super(spec, ptyServices);
    this.pseudoterminal = new BuildPseudoterminal({
      input: (data) => this.input(data),
      resize: (cols, rows) => this.resize(cols, rows),
      closed: () => void this.closedByUser(),
    });
    this.store.add(this.pseudoterminal);
    const remote = spec.backend === 'daytona';
    this.terminal = asTask
      ? undefined
      : vscode.window.createTerminal({ name: remote ? `${spec.name} (Daytona)` : spec.name, pty: this.pseudoterminal, iconPath: new vscode.ThemeIcon(remote ? 'cloud' : 'tools') });
  }

  protected override buildStarted(): void {
    if (this.asTask) this.pseudoterminal.note(TASK_MARKERS.started);
  }

  protected override buildFinished(result: BuildResult): void {
    if (this.asTask) this.pseudoterminal.note(`${TASK_MARKERS.finished}: ${result.result}`);
  }

  get running(): boolean {
    return this.process !== undefined && this.exitStatus === undefined;
  }

  get pid(): number | undefined {
    return this.running ? this.process?.pid : undefined;
  }

  /** Starts the command (again). */
  start(): Promise<void> {
    this.starting = this.spawn();
    return this.starting;
  }

  async restart(): Promise<void> {
    if (this.asTask && !this.running) throw new Error(`"${this.spec.name}" ran as a task: run the task again (Tasks: Rerun Last Task).`);
    await this.stop();
    this.pseudoterminal.write('\r\n');
    this.pseudoterminal.note(`restarting: ${this.spec.command}`);
    await this.start();
  }

  async stop(): Promise<void> {
    await this.starting;
    if (this.running) await this.process?.stop();
  }

  private async spawn(): Promise<void> {
    const run = ++this.runCount;
    const engine = this.newEngine();
    this.process?.dispose();
    this.process = undefined;
    let process: BuildProcess;
    try {
      const backend = this.ptyServices.backend(this.spec);
      process = await backend.spawn({
        command: this.spec.command,
        cwd: this.spec.cwd,
        cols: this.cols,
        rows: this.rows,
        onProgress: (progress) => {
          if (run !== this.runCount) return;
          this.pseudoterminal.note(progress.message);
          this.setPhase(progress);
        },
      });
    } catch (e) {
      const message = (e as Error).message;
      this.setPhase(undefined);
      const why = `Kirby could not start "${this.spec.command}" in ${this.spec.cwd}: ${message}`.replace(/\r?\n/g, '\r\n');
      this.pseudoterminal.write(`${red(why)}\r\n`);
      this.ptyServices.backendFailed?.(e, this.spec);
      engine.start();
      engine.write(`${why}\r\n`); // the reason is the build's last output: the tooltip, logs and agents show it
      this.exitStatus = { code: 127 };
      engine.exit(127);
      this.endRun(127);
      this.fireChanged();
      return;
    }
    if (run !== this.runCount) {
      // a newer run replaced this one while it was starting
      void process.stop();
      return;
    }
    this.process = process;
    this.phase = undefined;
    this.backendNote = process.backendNote;
    if (process.backend === 'pipe' && process.backendNote) {
      this.pseudoterminal.note(process.backendNote);
      this.ptyServices.backendWarning(process.backendNote);
    }
    const decoder = new TextDecoder('utf-8');
    const convertLineEnds = process.backend === 'pipe';
    engine.start();
    // the listeners live as long as the process (its dispose() drops them)
    process.onData((bytes) => {
      engine.write(bytes);
      this.pseudoterminal.write(decoder.decode(bytes, { stream: true }), convertLineEnds);
    });
    process.onExit((status) => {
      this.pseudoterminal.write(decoder.decode(), convertLineEnds);
      this.exitStatus = status;
      engine.exit(status.code, status.signal, status.stopped);
      this.endRun(status.code, status.stopped);
      this.pseudoterminal.write(`\r\n${exitLine(status, Date.now() - this.startedAt, !this.asTask)}\r\n`);
      this.fireChanged();
      if (this.asTask) this.pseudoterminal.exit(status.code); // the task ends with the build
    });
    this.fireChanged();
  }

  private input(data: string): void {
    if (this.running) this.process!.write(data);
    else if (this.exitStatus) this.pseudoterminal.exit(this.exitStatus.code); // after the build ended, any key closes the terminal
  }

  private resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    this.process?.resize(cols, rows);
    this.engine?.resize(rows);
  }

  private async closedByUser(): Promise<void> {
    await this.stop();
    this.dispose();
  }

  override dispose(): void {
    if (this.running) void this.process?.stop();
    this.process?.dispose();
    super.dispose();
  }
}

function exitLine(status: ExitStatus, elapsedMs: number, anyKeyCloses: boolean): string {
  const how = status.signal ? `was stopped by ${status.signal} (exit code ${status.code})` : `exited with code ${status.code}`;
  const text = `[Kirby] The build ${how} after ${formatDuration(elapsedMs)}.${anyKeyCloses ? ' Press any key to close this terminal.' : ''}`;
  return status.code === 0 ? `\x1b[2m${text}\x1b[22m` : red(text);
}
