import type * as vscode from 'vscode';
import type { BufferedOutput } from './bufferedOutput';
import { BuildSession, type BuildSpec, type SessionServices } from './buildSession';

/** How a followed build can be stopped or run again: through the task system, or not at all (a user's terminal). */
export interface ObservedControls {
  stop?(): void | Thenable<void>;
  restart?(): void | Thenable<unknown>;
}

/** How long the end of a build waits for the last output still in flight from the terminal. */
const DRAIN_MS = 2000;

/**
 * A build Kirby did not start but follows: an npm task (the npm scripts panel, Run Task) or a command typed into a
 * shell-integrated terminal. Its output arrives through shell integration when VS Code offers it; otherwise only its
 * start and exit code are known, and the tooltip says so. Output is parsed in memory and never stored.
 */
export class ObservedBuildSession extends BuildSession {
  override readonly origin: 'task' | 'terminal';
  terminal: vscode.Terminal | undefined;
  outputNote: string | undefined;
  private ended = true;
  private ending = false;
  private pumping: Promise<void> | undefined;

  constructor(
    spec: BuildSpec,
    services: SessionServices,
    origin: 'task' | 'terminal',
    private controls: ObservedControls,
    private readonly unreadNote: string,
  ) {
    super(spec, services);
    this.origin = origin;
    this.outputNote = unreadNote;
  }

  get running(): boolean {
    return !this.ended;
  }

  override get canStop(): boolean {
    return this.controls.stop !== undefined;
  }

  override get canRestart(): boolean {
    return this.controls.restart !== undefined;
  }

  get pid(): number | undefined {
    return undefined;
  }

  /** The build (or this task, again) started. */
  begin(controls: ObservedControls = this.controls): void {
    this.controls = controls;
    this.ended = false;
    this.exitStatus = undefined;
    this.outputNote = this.unreadNote;
    this.newEngine().start();
    this.fireChanged();
  }

  /** The terminal the build runs in, once known (its close ends the session). */
  showIn(terminal: vscode.Terminal): void {
    this.terminal = terminal;
    this.fireChanged();
  }

  /** Reads the build's output (from its terminal's shell integration) into this run's engine. */
  follow(output: BufferedOutput, terminal: vscode.Terminal): void {
    this.terminal = terminal;
    this.outputNote = undefined;
    const engine = this.engine;
    output.attach((data) => engine?.write(data));
    this.pumping = output.done;
    this.fireChanged();
  }

  /** The build ended with this exit code (undefined when VS Code does not know it). */
  async end(exitCode: number | undefined): Promise<void> {
    if (this.ended || this.ending) return;
    this.ending = true;
    this.exitStatus = exitCode === undefined ? undefined : { code: exitCode };
    const engine = this.engine;
    // the exit can overtake the last output: it counts once what the terminal still had has been read
    if (this.pumping) await Promise.race([this.pumping, new Promise((r) => setTimeout(r, DRAIN_MS))]);
    this.ending = false;
    this.ended = true;
    if (engine === this.engine) engine?.exit(exitCode);
    this.endRun(exitCode);
    this.fireChanged();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    if (!this.controls.stop) throw new Error(`Kirby did not start "${this.spec.name}" and cannot stop it: press Ctrl+C in its terminal.`);
    await this.controls.stop();
  }

  async restart(): Promise<void> {
    if (!this.controls.restart) throw new Error(`Kirby did not start "${this.spec.name}" and cannot run it again from here.`);
    await this.stop();
    await this.controls.restart();
  }
}
