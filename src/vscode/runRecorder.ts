import * as vscode from 'vscode';
import { DisposableStore, Emitter } from '../core/emitter';
import type { BuildEngine } from '../core/engine';
import { RunStore } from '../core/runs/runStore';
import { ProcessTracker } from '../core/runs/processTracker';
import type { RunStatus } from '../core/runs/types';
import { ProcessSampler } from '../run/processSampler';
import type { BuildManager } from './buildManager';
import type { BuildSession } from './buildSession';
import type { ConfigValue } from './config';

/** Exit codes of a build stopped on purpose (Ctrl+C, SIGTERM); Kirby's own Stop says so itself: cancelled, not failed. */
const CANCEL_CODES = new Set([130, 143]);
/** A process gone this long without its exit being reported is a crash. */
const VANISHED_AFTER_MS = 5000;

/**
 * Writes every build — started by Kirby or followed — into the run store: the run, its phases, problems, verdicts and
 * a sample of its process tree every `kirby.sampleIntervalMs`. The store is opened on first use, never at activation;
 * runs a dead extension host left live are marked crashed right after activation.
 */
export class RunRecorder implements vscode.Disposable {
  private store: RunStore | undefined;
  private readonly disposables = new DisposableStore();
  private readonly tracked = new WeakSet<BuildSession>();
  private readonly currentRun = new WeakMap<BuildSession, string>();
  private readonly changed = new Emitter<void>();
  /** A run started, got a verdict, ended or was deleted (status bar and history listen; sampling does not fire it). */
  readonly onDidChangeRuns = this.changed.event;

  constructor(
    private readonly storageDir: string | undefined,
    builds: BuildManager,
    private readonly sampleIntervalMs: ConfigValue<number>,
    private readonly retention: { maxRuns: ConfigValue<number>; maxMB: ConfigValue<number> },
    private readonly log: vscode.LogOutputChannel,
  ) {
    if (!storageDir) return; // no folder open: nothing to keep runs for
    const timer = setTimeout(() => {
      const crashed = this.runs?.markInterruptedRunsCrashed() ?? [];
      if (crashed.length > 0) this.log.warn(`${crashed.length} build run(s) were still live when VS Code last stopped: marked crashed`);
      this.changed.fire();
    }, 0);
    this.disposables.add({ dispose: () => clearTimeout(timer) });
    const applyRetention = () => {
      const dropped = this.store?.setRetention(this.limits()) ?? [];
      if (dropped.length > 0) this.log.info(`retention settings changed: ${dropped.length} old run(s) dropped`);
      this.changed.fire();
    };
    this.disposables.add(retention.maxRuns.onDidChange(applyRetention));
    this.disposables.add(retention.maxMB.onDidChange(applyRetention));
    this.disposables.add(builds.onDidChange(() => builds.all.forEach((s) => this.watch(s))));
  }

  /** The store, opened on first use (undefined without a workspace). */
  get runs(): RunStore | undefined {
    if (!this.storageDir) return undefined;
    try {
      this.store ??= new RunStore(this.storageDir, this.limits());
    } catch (e) {
      this.log.error(`the run store in ${this.storageDir} could not be opened: ${(e as Error).message}`);
    }
    return this.store;
  }

  /** The id of the session's current (or last) run in the store. */
  runIdOf(session: BuildSession): string | undefined {
    return this.currentRun.get(session);
  }

  /** The store if something already opened it: for renders that must not open it themselves (activation). */
  get openedRuns(): RunStore | undefined {
    return this.store;
  }

  private limits() {
    return { maxRuns: this.retention.maxRuns.value, maxBytes: this.retention.maxMB.value * 1024 * 1024 };
  }

  private watch(session: BuildSession): void {
    if (this.tracked.has(session)) return;
    this.tracked.add(session);
    session.onDidStartRun((engine) => this.record(session, engine));
  }

  private record(session: BuildSession, engine: BuildEngine): void {
    const store = this.runs;
    if (!store) return;
    const { spec } = session;
    const run = store.startRun({
      command: spec.command,
      cwd: spec.cwd,
      backend: session.origin === 'kirby' ? (spec.backend ?? 'local') : session.origin,
      tool: engine.tool.id,
      name: spec.name,
      key: spec.key,
      detectCommand: spec.detectCommand,
    });
    this.currentRun.set(session, run.id);
    this.changed.fire();
    const processes = new ProcessTracker(run.id);
    const listeners = new DisposableStore();
    let sampler: ProcessSampler | undefined;
    let lastSeen = Date.now();

    const finish = (status: RunStatus, exitCode: number | undefined) => {
      const endTime = Date.now();
      processes.end(undefined, endTime);
      store.recordProcesses(run.id, processes.all);
      store.updateRun(run.id, { status, exitCode, endTime, tool: engine.tool.id, processCount: processes.count });
      store.enforceRetention();
      listeners.dispose();
      this.changed.fire();
    };
    const sample = async () => {
      const pid = session.pid;
      if (pid === undefined) return;
      sampler ??= new ProcessSampler(pid);
      const samples = await sampler.sample();
      if (samples === undefined || store.get(run.id)?.status !== 'running_live') return; // could not ask: not a crash
      const now = Date.now();
      if (samples.length > 0) lastSeen = now;
      else if (now - lastSeen > VANISHED_AFTER_MS) {
        store.addEvent(run.id, 'build_crashed', { reason: 'the build process vanished without an exit' });
        return finish('crashed', -1);
      }
      const { current, started, ended } = processes.update(samples, now);
      for (const p of started) store.addEvent(run.id, 'process_start', { pid: p.pid, name: p.name });
      for (const p of ended) store.addEvent(run.id, 'process_end', { pid: p.pid, name: p.name });
      store.recordProcesses(run.id, current, now);
      store.addEvent(run.id, 'resource_update', { cpu: sum(current, (p) => p.cpu), mem: sum(current, (p) => p.mem), processes: current.length });
      store.updateRun(run.id, { processCount: processes.count, phase: engine.state });
    };

    listeners.add(
      session.onDidChangePhase((p) => {
        store.addEvent(run.id, 'phase_change', { phase: p.phase, message: p.message });
        store.updateRun(run.id, { phase: p.phase, currentStep: p.message });
      }),
    );
    listeners.add(engine.onStateChange((c) => store.addEvent(run.id, 'phase_change', { state: c.state, reason: c.reason, assumed: c.assumed })));
    listeners.add(
      engine.onProblem(({ problem: p }) =>
        store.addEvent(run.id, p.severity === 'error' ? 'error' : 'warning', { file: p.file, line: p.line, column: p.column, message: p.message }),
      ),
    );
    listeners.add(
      engine.onBuildComplete((r) => {
        const durationMs = Math.max(0, r.endTime - r.startTime);
        store.addEvent(run.id, 'build_complete', { result: r.result, durationMs, errors: r.errors, warnings: r.warnings, assumed: r.assumed });
        const builds = (store.get(run.id)?.builds ?? 0) + 1;
        store.updateRun(run.id, { lastResult: r.result, lastBuildMs: durationMs, builds, errors: r.errors, warnings: r.warnings, tool: engine.tool.id });
        this.changed.fire();
      }),
    );
    listeners.add(
      session.onDidEndRun(({ code, stopped }) =>
        finish(code === 0 ? 'completed' : stopped || (code !== undefined && CANCEL_CODES.has(code)) ? 'cancelled' : 'failed', code),
      ),
    );
    listeners.add(session.onDidDispose(() => store.get(run.id)?.status === 'running_live' && finish('cancelled', undefined)));
    if (!ProcessSampler.supported) return; // no samples, and no way to tell a vanished process: the exit decides
    const timer = setInterval(() => void sample(), Math.max(100, this.sampleIntervalMs.value));
    listeners.add({ dispose: () => clearInterval(timer) });
  }

  dispose(): void {
    this.disposables.dispose();
    this.changed.dispose();
  }
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}
