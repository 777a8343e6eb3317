import * as vscode from 'vscode';
import { DisposableStore } from '../core/emitter';
import type { BuildEngine } from '../core/engine';
import { RunStore } from '../core/runs/runStore';
import type { ProcessRecord, RunStatus } from '../core/runs/types';
import { ProcessSampler } from '../run/processSampler';
import type { BuildManager } from './buildManager';
import type { BuildSession } from './buildSession';
import type { ConfigValue } from './config';

/** Exit codes of a build stopped on purpose (Ctrl+C, Stop): the run was cancelled, not failed. */
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
    }, 0);
    this.disposables.add({ dispose: () => clearTimeout(timer) });
    this.disposables.add(builds.onDidChange(() => builds.all.forEach((s) => this.watch(s))));
  }

  /** The store, opened on first use (undefined without a workspace). */
  get runs(): RunStore | undefined {
    if (!this.storageDir) return undefined;
    try {
      this.store ??= new RunStore(this.storageDir, { maxRuns: this.retention.maxRuns.value, maxBytes: this.retention.maxMB.value * 1024 * 1024 });
    } catch (e) {
      this.log.error(`the run store in ${this.storageDir} could not be opened: ${(e as Error).message}`);
    }
    return this.store;
  }

  private watch(session: BuildSession): void {
    if (this.tracked.has(session)) return;
    this.tracked.add(session);
    session.onDidStartRun((engine) => this.record(session, engine));
  }

  private record(session: BuildSession, engine: BuildEngine): void {
    const store = this.runs;
    if (!store) return;
    const run = store.startRun({ command: session.spec.command, cwd: session.spec.cwd, backend: session.origin === 'kirby' ? 'local' : session.origin, tool: engine.tool.id });
    const runStore = new DisposableStore();
    let sampler: ProcessSampler | undefined;
    let timer: NodeJS.Timeout | undefined;
    let lastSeen = Date.now();
    const seen = new Map<number, ProcessRecord>();
    const finish = (status: RunStatus, exitCode: number | undefined) => {
      if (timer) clearInterval(timer);
      const endTime = Date.now();
      for (const p of seen.values()) if (p.status === 'running') Object.assign(p, { status: 'completed', endTime });
      store.recordProcesses(run.id, [...seen.values()]);
      store.updateRun(run.id, { status, exitCode, endTime, tool: engine.tool.id, processCount: seen.size });
      store.enforceRetention();
      runStore.dispose();
    };
    runStore.add(engine.onStateChange((c) => store.addEvent(run.id, 'phase_change', { state: c.state, reason: c.reason, assumed: c.assumed })));
    runStore.add(
      engine.onProblem((e) =>
        store.addEvent(run.id, e.problem.severity === 'error' ? 'error' : 'warning', { file: e.problem.file, line: e.problem.line, column: e.problem.column, message: e.problem.message }),
      ),
    );
    runStore.add(
      engine.onBuildComplete((r) => store.addEvent(run.id, 'build_complete', { result: r.result, durationMs: r.endTime - r.startTime, errors: r.errors, warnings: r.warnings, assumed: r.assumed })),
    );
    runStore.add(
      session.onDidEndRun((code) => finish(code === 0 ? 'completed' : code !== undefined && CANCEL_CODES.has(code) ? 'cancelled' : 'failed', code)),
    );
    runStore.add(session.onDidDispose(() => store.get(run.id)?.status === 'running_live' && finish('cancelled', undefined)));

    const interval = Math.max(100, this.sampleIntervalMs.value);
    timer = setInterval(() => {
      const pid = session.pid;
      if (pid === undefined) return;
      sampler ??= new ProcessSampler(pid);
      void sampler.sample().then((samples) => {
        if (store.get(run.id)?.status !== 'running_live') return;
        const now = Date.now();
        if (samples.length > 0) lastSeen = now;
        else if (now - lastSeen > VANISHED_AFTER_MS) {
          store.addEvent(run.id, 'build_crashed', { reason: 'the build process vanished without an exit' });
          return finish('crashed', -1);
        }
        const current = new Set(samples.map((s) => s.pid));
        for (const s of samples) {
          const known = seen.get(s.pid);
          if (!known) store.addEvent(run.id, 'process_start', { pid: s.pid, name: s.name });
          seen.set(s.pid, { runId: run.id, pid: s.pid, ppid: s.ppid, name: s.name, cmdline: s.cmdline, startTime: known?.startTime ?? now, cpu: s.cpu, mem: s.rss, status: 'running', children: [] });
        }
        for (const p of seen.values()) {
          if (p.status === 'running' && !current.has(p.pid)) {
            Object.assign(p, { status: 'completed', endTime: now });
            store.addEvent(run.id, 'process_end', { pid: p.pid, name: p.name });
          }
        }
        for (const p of seen.values()) p.children = [...seen.values()].filter((c) => c.ppid === p.pid).map((c) => c.pid);
        store.recordProcesses(run.id, samples.map((s) => seen.get(s.pid)!));
        store.addEvent(run.id, 'resource_update', { cpu: samples.reduce((n, s) => n + s.cpu, 0), mem: samples.reduce((n, s) => n + s.rss, 0), processes: samples.length });
        store.updateRun(run.id, { processCount: seen.size, phase: engine.state });
      });
    }, interval);
  }

  dispose(): void {
    this.disposables.dispose();
  }
}
