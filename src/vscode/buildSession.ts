import * as path from 'node:path';
import * as vscode from 'vscode';
import { DisposableStore, Emitter } from '../core/emitter';
import { BuildEngine } from '../core/engine';
import { BuildState, type Problem, type ProblemEvent } from '../core/events';
import type { PatternRegistry } from '../core/patterns/registry';
import { ServerAddressFinder, type ServerAddress } from '../core/devServer';
import type { BuildResult } from '../core/stateMachine';
import type { ExitStatus } from '../run/types';

/** What to run and how to name it. */
export interface BuildSpec {
  /** The terminal's name: the script ("dev"), with its package when the workspace has several. */
  name: string;
  /** The command line run in the shell. */
  command: string;
  cwd: string;
  /** What the engine reads to name the tool and see watch mode: the script's body ("vite build --watch"). */
  detectCommand: string;
  /** Identifies "the same build" (restart, the tool cache, history). */
  key: string;
  /** Where it runs: this machine (the default) or the workspace's Daytona sandbox. */
  backend?: 'daytona';
}

/** A parsed problem with its file resolved against the build's folder. */
export interface LocatedProblem extends Problem {
  uri?: vscode.Uri;
}

export interface CompletedBuild {
  session: BuildSession;
  result: BuildResult;
  /** Wall-clock time of the verdict (Date.now()). */
  endedAt: number;
}

/** What a session needs from the extension; kept narrow so sessions are easy to follow. */
export interface SessionServices {
  registry(): PatternRegistry;
  idleTimeoutMs(): number;
  cachedTool(key: string): string | undefined;
  rememberTool(key: string, toolId: string): void;
}

let nextId = 1;
/** Lines of output each build keeps for display and for agents (the last line of a build that died, a log tail). */
const TAIL_LINES = 200;
/** Problems reach the Problems panel in batches: one set() per file per batch, not one per problem. */
const DIAGNOSTICS_BATCH_MS = 50;

/**
 * One build and its terminal: the engine's events become state, problems and records here. Subclasses decide how
 * the command runs (Kirby's own pty terminal, a plain terminal when output parsing is off) or how it is followed
 * (a task or a command typed into a terminal).
 */
export abstract class BuildSession implements vscode.Disposable {
  readonly id = String(nextId++);
  /** Where the build shows; unknown for a task whose terminal VS Code has not revealed to Kirby. */
  abstract readonly terminal: vscode.Terminal | undefined;
  /** Why the output is not read, when it is not (state then comes from exit codes and the idle timeout). */
  abstract readonly outputNote: string | undefined;
  /** Who started the build: Kirby itself, a VS Code task (the npm scripts panel), or the user in a terminal. */
  readonly origin: 'kirby' | 'task' | 'terminal' = 'kirby';

  protected readonly store = new DisposableStore();
  protected engine: BuildEngine | undefined;
  private engineStore = new DisposableStore();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('kirby');
  private diagnosticsTimer: NodeJS.Timeout | undefined;
  private currentProblems: LocatedProblem[] = [];

  private readonly changed = new Emitter<BuildSession>();
  private readonly completed = new Emitter<CompletedBuild>();
  private readonly disposed = new Emitter<BuildSession>();
  private readonly runStarted = new Emitter<BuildEngine>();
  private readonly runEnded = new Emitter<{ code: number | undefined; stopped: boolean }>();
  /** A new run of the command began (its engine is new). */
  readonly onDidStartRun = this.runStarted.event;
  /** The run's process ended, with its exit code when known. */
  readonly onDidEndRun = this.runEnded.event;
  readonly onDidChange = this.changed.event;
  readonly onDidCompleteBuild = this.completed.event;
  readonly onDidDispose = this.disposed.event;

  /** Set once someone asked where this build serves (a dev server): each run's lines are read until it says. */
  private serverFinder: ServerAddressFinder | undefined;

  /** What the build is doing before its command runs (a sandbox being set up), for the status bar and the records. */
  phase: string | undefined;
  private readonly phaseChanged = new Emitter<{ phase: string; message: string }>();
  readonly onDidChangePhase = this.phaseChanged.event;

  /** The last verdict: its result and how long the build took. */
  lastBuild: { result: BuildResult; endedAt: number } | undefined;
  /** When the last rebuild started (wall clock), in watch mode. */
  lastRebuildAt: number | undefined;
  exitStatus: ExitStatus | undefined;
  startedAt = Date.now();
  /** Why the backend is what it is (pty, or pipes and what that loses). */
  backendNote: string | undefined;
  private isDisposed = false;

  constructor(
    readonly spec: BuildSpec,
    protected readonly services: SessionServices,
  ) {}

  get state(): BuildState {
    return this.engine?.state ?? BuildState.Idle;
  }

  get toolName(): string | undefined {
    const tool = this.engine?.tool;
    return tool && tool.id !== 'generic' ? tool.name : undefined;
  }

  get toolId(): string | undefined {
    return this.engine?.tool.id;
  }

  get isWatch(): boolean {
    return this.engine?.isWatch ?? false;
  }

  get counts(): { errors: number; warnings: number } {
    return this.engine?.counts ?? { errors: 0, warnings: 0 };
  }

  get problems(): readonly LocatedProblem[] {
    return this.currentProblems;
  }

  get readsOutput(): boolean {
    return this.outputNote === undefined;
  }

  /** Whether Kirby can stop / run again this build (not one typed into a user's terminal). */
  get canStop(): boolean {
    return true;
  }

  get canRestart(): boolean {
    return true;
  }

  /** The last visible lines of the current run's output, oldest first (at most TAIL_LINES). */
  recentLines(count = TAIL_LINES): string[] {
    return this.engine?.recentLines(count) ?? [];
  }

  /**
   * Where the build serves, once it printed it. The first call starts reading each line for an address (until one is
   * found), after a look at the lines already printed: builds nobody asks about pay nothing.
   */
  serverAddress(): ServerAddress | undefined {
    if (!this.serverFinder) {
      const finder = (this.serverFinder = new ServerAddressFinder());
      for (const line of this.recentLines()) if (finder.push(line)) break;
      if (this.engine) this.followServerAddress(this.engine, this.engineStore, finder);
    }
    return this.serverFinder.address;
  }

  /** The address if something already asked for it and it is known (a status report must not start the search). */
  get knownServerAddress(): ServerAddress | undefined {
    return this.serverFinder?.address;
  }

  private followServerAddress(engine: BuildEngine, store: DisposableStore, finder: ServerAddressFinder): void {
    if (finder.address?.local) return;
    const listener = engine.onLine((line) => {
      if (finder.push(line)) {
        listener.dispose();
        this.fireChanged();
      }
    });
    store.add(listener);
  }

  protected setPhase(progress: { phase: string; message: string } | undefined): void {
    this.phase = progress?.message;
    if (progress) this.phaseChanged.fire(progress);
    this.fireChanged();
  }

  abstract get running(): boolean;
  abstract get pid(): number | undefined;
  /** Ends the build's whole process tree; resolves when nothing of it is left. */
  abstract stop(): Promise<void>;
  /** Runs the same command again in the same terminal. */
  abstract restart(): Promise<void>;

  setRegistry(registry: PatternRegistry): void {
    this.engine?.setRegistry(registry);
    this.fireChanged();
  }

  /** A new engine for a new run of the command: state, problems and counts start over. */
  protected newEngine(): BuildEngine {
    this.engineStore.dispose();
    this.engine?.dispose();
    this.engineStore = new DisposableStore();
    this.clearProblems();
    this.exitStatus = undefined;
    this.startedAt = Date.now();
    const engine = new BuildEngine({
      registry: this.services.registry(),
      command: this.spec.detectCommand,
      toolHint: this.services.cachedTool(this.spec.key),
      idleTimeoutMs: this.services.idleTimeoutMs(),
      tailLines: TAIL_LINES,
    });
    this.engine = engine;
    this.runStarted.fire(engine);
    const s = this.engineStore;
    if (this.serverFinder) this.followServerAddress(engine, s, (this.serverFinder = new ServerAddressFinder()));
    s.add(engine.onStateChange(() => this.fireChanged()));
    s.add(
      engine.onEvent((e) => {
        if (e.type === 'build-start' || e.type === 'rebuild-start') {
          this.clearProblems();
          this.buildStarted();
        }
        if (e.type === 'rebuild-start') this.lastRebuildAt = Date.now();
      }),
    );
    s.add(engine.onProblem((e) => this.addProblem(e)));
    s.add(
      engine.onToolChange((tool) => {
        if (tool.id !== 'generic') this.services.rememberTool(this.spec.key, tool.id);
        this.fireChanged();
      }),
    );
    s.add(
      engine.onBuildComplete((result) => {
        const endedAt = Date.now();
        this.lastBuild = { result, endedAt };
        this.buildFinished(result);
        this.completed.fire({ session: this, result, endedAt });
        this.fireChanged();
      }),
    );
    return engine;
  }

  /** Hooks for subclasses: a build (or rebuild) started; a build got its verdict. */
  protected buildStarted(): void {}
  protected buildFinished(_result: BuildResult): void {}

  /** Subclasses call this once the run's process has ended (after the engine has the exit). */
  protected endRun(code: number | undefined, stopped = false): void {
    this.runEnded.fire({ code, stopped });
  }

  protected fireChanged(): void {
    if (!this.isDisposed) this.changed.fire(this);
  }

  private addProblem(event: ProblemEvent): void {
    const problem: LocatedProblem = { ...event.problem, uri: resolveProblemUri(event.problem.file, this.spec.cwd) };
    this.currentProblems.push(problem);
    this.diagnosticsTimer ??= setTimeout(() => this.publishDiagnostics(), DIAGNOSTICS_BATCH_MS);
    this.fireChanged();
  }

  private clearProblems(): void {
    if (this.diagnosticsTimer) clearTimeout(this.diagnosticsTimer);
    this.diagnosticsTimer = undefined;
    this.currentProblems = [];
    this.diagnostics.clear();
  }

  private publishDiagnostics(): void {
    this.diagnosticsTimer = undefined;
    const byFile = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    for (const problem of this.currentProblems) {
      if (!problem.uri || problem.severity === 'info') continue;
      const key = problem.uri.toString();
      let entry = byFile.get(key);
      if (!entry) byFile.set(key, (entry = { uri: problem.uri, list: [] }));
      entry.list.push(toDiagnostic(problem, this.toolName ?? 'Kirby'));
    }
    this.diagnostics.clear();
    for (const { uri, list } of byFile.values()) this.diagnostics.set(uri, list);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    if (this.diagnosticsTimer) clearTimeout(this.diagnosticsTimer);
    this.engineStore.dispose();
    this.engine?.dispose();
    this.diagnostics.dispose();
    this.store.dispose();
    this.disposed.fire(this);
    this.changed.dispose();
    this.completed.dispose();
    this.disposed.dispose();
    this.runStarted.dispose();
    this.runEnded.dispose();
  }
}

/** Tools print paths relative to where they run (webpack's "./src/a.js"), absolute, or as file:// URLs. */
export function resolveProblemUri(file: string | undefined, cwd: string): vscode.Uri | undefined {
  if (!file) return undefined;
  if (file.startsWith('file://')) return vscode.Uri.parse(file);
  return vscode.Uri.file(path.resolve(cwd, file));
}

/** The problem's position: tools print 1-based lines and columns (the engine normalises columns); VS Code counts from 0. */
export function problemRange(problem: Problem): vscode.Range {
  const line = Math.max(0, (problem.line ?? 1) - 1);
  const column = Math.max(0, (problem.column ?? 1) - 1);
  const endLine = problem.endLine !== undefined ? Math.max(line, problem.endLine - 1) : line;
  const endColumn = problem.endColumn !== undefined ? Math.max(0, problem.endColumn - 1) : column;
  return new vscode.Range(line, column, endLine, endColumn);
}

function toDiagnostic(problem: LocatedProblem, source: string): vscode.Diagnostic {
  const severity = problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diagnostic = new vscode.Diagnostic(problemRange(problem), problem.message || '(no message)', severity);
  diagnostic.source = source;
  if (problem.code) diagnostic.code = problem.code;
  return diagnostic;
}
