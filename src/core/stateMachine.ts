import { Emitter } from './emitter';
import { BuildState, type BuildEventType, type Severity, type StateChange, type TransitionReason } from './events';

export interface StateMachineOptions {
  /** Building/Rebuilding with no output for this long ends with an assumed verdict (0 = never). */
  idleTimeoutMs: number;
  /** Output after at least this much silence starts a new burst (see `success`). */
  quietGapMs: number;
  /** The command line already says this is a watch / dev / serve run. */
  watch: boolean;
}

/**
 * Exit codes a shell reports for SIGHUP, SIGINT and SIGTERM, and those signals: a closed terminal, Ctrl+C, a polite
 * stop, so the run was cancelled. SIGKILL is not among them: Kirby says when it sent one itself (`stopped`); from
 * anyone else it is the out-of-memory killer or `kill -9`, and the build failed.
 */
const INTERRUPT_CODES = new Set([129, 130, 143]);
const INTERRUPT_SIGNALS = new Set(['SIGHUP', 'SIGINT', 'SIGTERM', '1', '2', '15']);

export interface CycleCounts {
  errors: number;
  warnings: number;
}

/** One build (or rebuild) from its start to its verdict. */
export interface BuildResult {
  result: 'success' | 'error' | 'cancelled';
  startTime: number;
  endTime: number;
  errors: number;
  warnings: number;
  /** No verdict was printed: it was inferred from silence, the end of the stream, or the exit code alone. */
  assumed: boolean;
  /** The state machine's count of builds so far, starting at 1. */
  sequence: number;
  /** This record replaces the earlier one with the same sequence (a one-shot build whose exit code contradicted it). */
  amended?: boolean;
}

/**
 * Hears which events the run's event stream carries: one start and one verdict per build, one watch-ready per run.
 * Called just before the state change the event causes, so a listener sees the line before its effect.
 */
export interface EventReporter {
  /** The event being read counts, as `type` (a success line inside a failure concludes it as an error). */
  report(type: BuildEventType): void;
  /** The event being read may count once its burst ends (a deferred success): keep it. */
  keep(): void;
  /** The kept event counts now, as `type`. */
  reportKept(type: BuildEventType): void;
}

/**
 * The watch-mode state machine (Idle, Building, Ready, WatchModeActive, Rebuilding, Error), made right for real
 * tools:
 * - repeated start lines while building are ignored, and so are repeated verdict lines of a build that has its
 *   verdict (Vite 8 prints three for one failure, Parcel redraws "Building…" with a spinner);
 * - watch-ready never ends a build by itself (Vite, webpack-dev-server and Parcel announce watching before the
 *   first build is done); it only marks the run as a watch run;
 * - success-looking text in the same burst of output as a failure is noise and the state stays Error (esbuild's
 *   "build finished" after an error, Tailwind's "Done in" after its error box). A success that arrives after a quiet
 *   gap is a new build, which is how tools that print no rebuild-start line (webpack, Tailwind 4, Next dev) leave
 *   Error once the user fixes the code;
 * - the exit code decides builds that print no verdict (tsc), and a non-zero exit overrides an early success;
 * - a build that prints no verdict falls back to an assumed one after an idle timeout.
 */
export class BuildStateMachine {
  private current = BuildState.Idle;
  private watch: boolean;
  private cycleHasErrors = false;
  private burst = 0;
  private errorBurst = -1;
  private lastOutput = Number.NEGATIVE_INFINITY;
  private cycleStart = 0;
  private counts: CycleCounts = { errors: 0, warnings: 0 };
  /** A build has started and has no verdict yet. */
  private cycleOpen = false;
  private verdictBurst = -1;
  /**
   * Problems printed with no build open, after the burst of the last verdict: they belong to the next build, which
   * the tool did not announce (a webpack rebuild prints its errors and warnings, then its verdict).
   */
  private unannounced: CycleCounts = { errors: 0, warnings: 0 };
  private unannouncedBurst = -1;
  private lastVerdict: BuildResult['result'] | undefined;
  /** A verdict already shown, whose record waits for the end of its burst: problems printed after it count too. */
  private unpublished: { result: Pick<BuildResult, 'result' | 'startTime' | 'endTime' | 'assumed' | 'sequence'>; counts: CycleCounts } | undefined;
  private lastPublished: BuildResult | undefined;
  private builds = 0;

  private readonly changed = new Emitter<StateChange>();
  readonly onDidChange = this.changed.event;
  private readonly completed = new Emitter<BuildResult>();
  /** Each build's verdict, once: the history and the "builds" of a replay come from here. */
  readonly onBuildComplete = this.completed.event;

  /** The tool named in state changes; kept current by the engine. */
  tool: string | undefined;
  /** One-shot success prints nothing (tsc): the end of the stream counts as success. */
  silentSuccess = false;
  /**
   * The tool prints its success line before its errors (webpack 4's stats block starts with "Hash:" and lists
   * "ERROR in" after it): a success only counts once its burst of output has ended without an error.
   */
  deferSuccess = false;
  private pendingSuccess = false;
  /** The current build's start line was reported. */
  private startReported = false;
  private watchReported = false;
  /** Told which events count (see EventReporter); the engine's event stream. */
  reporter: EventReporter | undefined;

  constructor(private readonly options: StateMachineOptions) {
    this.watch = options.watch;
  }

  get state(): BuildState {
    return this.current;
  }

  get isWatch(): boolean {
    return this.watch;
  }

  /** The run turned out to be a watch run (its command line said so after it started). */
  markWatch(): void {
    this.watch = true;
  }

  /**
   * A script runner started the script after the one that ran a tool printing nothing on success (tsc): that
   * build, if it printed no error, ended well (npm, pnpm and turbo go on to the next script of a chain only
   * after the previous one exited 0).
   */
  nextScript(time: number): void {
    if (!this.isBuilding || !this.silentSuccess || this.cycleHasErrors) return;
    if (!this.conclude('success', time, true)) return;
    this.set(this.watch ? BuildState.WatchModeActive : BuildState.Ready, time, 'output', true);
    this.publish();
  }

  /** Builds with a verdict so far. */
  get completedBuilds(): number {
    return this.builds;
  }

  get isBuilding(): boolean {
    return this.current === BuildState.Building || this.current === BuildState.Rebuilding;
  }

  /** Errors and warnings of the current build cycle. */
  get cycleCounts(): Readonly<CycleCounts> {
    return this.counts;
  }

  get cycleStartTime(): number {
    return this.cycleStart;
  }

  start(time: number): void {
    this.lastOutput = time;
    this.newCycle(time);
    this.set(BuildState.Building, time, 'start', false);
  }

  /** Output arrived (called per chunk). */
  output(time: number): void {
    if (time - this.lastOutput >= this.options.quietGapMs) {
      this.settle(time);
      this.publish();
      this.burst++;
    }
    this.lastOutput = time;
  }

  /** Something waits for the current burst of output to end (see `settle`). */
  get needsSettle(): boolean {
    return this.pendingSuccess || this.unpublished !== undefined;
  }

  /**
   * The burst of output has ended: a deferred success that no error followed now counts, and the last verdict's
   * record is published with every problem its burst printed.
   */
  settle(time: number): void {
    if (this.pendingSuccess) {
      this.pendingSuccess = false;
      this.applySuccess(time, true);
    }
    this.publish();
  }

  get quietGapMs(): number {
    return this.options.quietGapMs;
  }

  event(type: BuildEventType, time: number): void {
    switch (type) {
      case 'build-start':
      case 'rebuild-start':
        this.buildStart(type === 'rebuild-start', time);
        return;
      case 'watch-ready':
        this.watch = true;
        if (!this.watchReported) {
          this.watchReported = true;
          this.reporter?.report(type);
        }
        if (this.current === BuildState.Idle || this.current === BuildState.Ready) {
          this.set(BuildState.WatchModeActive, time, 'output', false);
        }
        return;
      case 'build-error':
        this.markError(false);
        this.error(time, false);
        return;
      case 'warning':
        this.countsNow().warnings++;
        this.reporter?.report(type);
        return;
      case 'build-success':
        this.success(time);
        return;
    }
  }

  problem(severity: Severity): void {
    if (severity === 'error') this.markError(true);
    else if (severity === 'warning') this.countsNow().warnings++;
  }

  exit(time: number, code: number | undefined, signal: number | string | undefined, stopped = false): void {
    this.settle(time);
    this.exitOrEnd(time, code, signal, stopped);
    this.publish();
  }

  private exitOrEnd(time: number, code: number | undefined, signal: number | string | undefined, stopped = false): void {
    const interrupted =
      stopped ||
      (signal !== undefined && signal !== 0 && INTERRUPT_SIGNALS.has(String(signal))) ||
      (code !== undefined && INTERRUPT_CODES.has(code));
    const failed = !interrupted && code !== undefined && code !== 0;
    switch (this.current) {
      case BuildState.Building:
      case BuildState.Rebuilding:
        if (interrupted) {
          this.conclude('cancelled', time, false);
          this.set(BuildState.Idle, time, 'exit', false);
        } else if (failed || this.cycleHasErrors) {
          this.conclude('error', time, true);
          this.set(BuildState.Error, time, 'exit', false);
        } else if (code === 0) {
          this.conclude('success', time, true);
          this.set(BuildState.Ready, time, 'exit', false);
        } else {
          this.endOfStreamVerdict(time);
        }
        return;
      case BuildState.WatchModeActive:
        this.set(failed ? BuildState.Error : BuildState.Idle, time, 'exit', false);
        return;
      case BuildState.Ready:
      case BuildState.Idle:
        if (failed) {
          // a one-shot build that printed success and then failed: its record says what the exit code says
          const last = this.lastPublished;
          if (this.current === BuildState.Ready && last?.result === 'success') {
            this.lastPublished = { ...last, result: 'error', endTime: time, amended: true };
            this.completed.fire(this.lastPublished);
          }
          this.set(BuildState.Error, time, 'exit', false);
        }
        else if (this.current === BuildState.Idle && code === 0) this.set(BuildState.Ready, time, 'exit', false);
        return;
      case BuildState.Error:
        return;
    }
  }

  /** The output ended and the exit status is unknown (a replayed recording without one). */
  endOfStream(time: number): void {
    this.settle(time);
    this.endOfStreamVerdict(time);
    this.publish();
  }

  private endOfStreamVerdict(time: number): void {
    if (!this.isBuilding) return;
    if (this.cycleHasErrors) {
      this.conclude('error', time, true);
      this.set(BuildState.Error, time, 'end-of-stream', true);
    } else if (this.silentSuccess) {
      this.conclude('success', time, true);
      this.set(BuildState.Ready, time, 'end-of-stream', true);
    }
  }

  /** Called by the engine's timer: ends a build that has been silent past the idle timeout. */
  checkIdle(time: number): number | undefined {
    if (!this.isBuilding || this.options.idleTimeoutMs <= 0) return undefined;
    const due = this.lastOutput + this.options.idleTimeoutMs;
    if (due - time > 0.001) return due - time;
    if (this.cycleHasErrors) {
      this.conclude('error', time, true);
      this.set(BuildState.Error, time, 'idle-timeout', true);
    } else {
      this.conclude('success', time, true);
      this.set(this.watch ? BuildState.WatchModeActive : BuildState.Ready, time, 'idle-timeout', true);
    }
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
    this.completed.dispose();
  }

  private buildStart(isRebuild: boolean, time: number): void {
    if (isRebuild) this.watch = true;
    const type = isRebuild ? 'rebuild-start' : 'build-start';
    if (this.isBuilding) {
      // a repeated start line belongs to the build already running; the first one of a build started by the
      // process (or by an earlier line of its burst) is still its start
      if (!this.startReported) this.reportStart(type);
      return;
    }
    this.newCycle(time);
    this.reportStart(type);
    const next = this.current === BuildState.Idle || !this.watch ? BuildState.Building : BuildState.Rebuilding;
    this.set(next, time, 'output', false);
  }

  private reportStart(type: BuildEventType): void {
    this.startReported = true;
    this.reporter?.report(type);
  }

  private success(time: number): void {
    if (this.deferSuccess) {
      if (!this.pendingSuccess) this.reporter?.keep();
      this.pendingSuccess = true;
      return;
    }
    this.applySuccess(time, false);
  }

  /** `kept`: the success line was read earlier (deferred) and its event was kept for now. */
  private applySuccess(time: number, kept: boolean): void {
    const sameBurstAsError = this.cycleHasErrors && this.burst === this.errorBurst;
    if (sameBurstAsError) {
      // success-looking noise inside a failure (if it concludes the build, the build failed)
      this.error(time, kept);
      return;
    }
    this.openImplicitCycle(time);
    if (this.conclude('success', time, false)) this.reportVerdict('build-success', kept);
    this.set(this.watch ? BuildState.WatchModeActive : BuildState.Ready, time, 'output', false);
  }

  private error(time: number, kept: boolean): void {
    // an error right after a success is a new build (a dev server's next request); after an error it is the same one
    this.openImplicitCycle(time, this.lastVerdict !== 'error');
    if (this.conclude('error', time, false)) this.reportVerdict('build-error', kept);
    this.set(BuildState.Error, time, 'output', false);
  }

  private reportVerdict(type: BuildEventType, kept: boolean): void {
    if (kept) this.reporter?.reportKept(type);
    else this.reporter?.report(type);
  }

  /**
   * A verdict with no build running, in a new burst of output: a build the tool did not announce (webpack and
   * Tailwind 4 print no start line; a dev server's HMR update). Repeated verdict lines of one burst are one build.
   */
  private openImplicitCycle(time: number, evenInSameBurst = false): void {
    if (this.cycleOpen || (this.burst === this.verdictBurst && !evenInSameBurst)) return;
    const errors = this.cycleHasErrors && this.burst === this.errorBurst;
    // the problems this burst already reported go to the build they belong to
    const counts = this.unannouncedBurst === this.burst ? this.unannounced : errors ? this.counts : undefined;
    this.newCycle(time);
    if (counts) this.counts = counts;
    if (errors) {
      this.cycleHasErrors = true;
      this.errorBurst = this.burst;
    }
  }

  /** Where a problem counts: the open build, the last verdict's build in its own burst, or the next build. */
  private countsNow(): CycleCounts {
    if (this.cycleOpen || this.burst === this.verdictBurst) return this.counts;
    if (this.unannouncedBurst !== this.burst) {
      this.unannouncedBurst = this.burst;
      this.unannounced = { errors: 0, warnings: 0 };
    }
    return this.unannounced;
  }

  /** Ends the open build with its verdict; false when none is open (the verdict was already given). */
  private conclude(result: BuildResult['result'], time: number, assumed: boolean): boolean {
    if (!this.cycleOpen) return false;
    this.publish();
    this.cycleOpen = false;
    this.verdictBurst = this.burst;
    this.lastVerdict = result;
    this.builds++;
    this.unpublished = {
      result: { result, startTime: this.cycleStart, endTime: time, assumed, sequence: this.builds },
      counts: this.counts,
    };
    return true;
  }

  private publish(): void {
    const pending = this.unpublished;
    if (!pending) return;
    this.unpublished = undefined;
    // spelled out: an object spread here cost ~5% of the parser's time on event-dense output
    const { result, startTime, endTime, assumed, sequence } = pending.result;
    this.lastPublished = { result, startTime, endTime, assumed, sequence, errors: pending.counts.errors, warnings: pending.counts.warnings };
    this.completed.fire(this.lastPublished);
  }

  /** Problems are counted; a bare verdict line ("Build failed") is not a second error. */
  private markError(counted: boolean): void {
    this.pendingSuccess = false;
    this.cycleHasErrors = true;
    this.errorBurst = this.burst;
    if (counted) this.countsNow().errors++;
  }

  private newCycle(time: number): void {
    this.publish();
    this.cycleOpen = true;
    this.startReported = false;
    this.pendingSuccess = false;
    this.cycleHasErrors = false;
    this.errorBurst = -1;
    this.cycleStart = time;
    this.counts = { errors: 0, warnings: 0 };
    this.unannouncedBurst = -1;
  }

  private set(state: BuildState, time: number, reason: TransitionReason, assumed: boolean): void {
    if (state === this.current) return;
    const previous = this.current;
    this.current = state;
    this.changed.fire({ state, previous, time, tool: this.tool, reason, assumed });
  }
}
