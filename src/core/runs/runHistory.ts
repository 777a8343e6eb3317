import { formatCounts, formatDuration } from '../summary';
import type { RunRecord } from './types';

/** How a run ended, as the history shows it (a live run is "running" whatever its last verdict). */
export type RunOutcome = 'running' | 'success' | 'warnings' | 'error' | 'cancelled' | 'crashed';

export function runOutcome(run: RunRecord): RunOutcome {
  switch (run.status) {
    case 'running_live':
      return 'running';
    case 'failed':
      return 'error';
    case 'crashed':
      return 'crashed';
    case 'cancelled':
      return 'cancelled';
    case 'completed':
      // exit 0 after a failed verdict happens (a tool that reports errors but exits 0): the verdict wins
      if (run.lastResult === 'error') return 'error';
      return (run.warnings ?? 0) > 0 ? 'warnings' : 'success';
  }
}

const OUTCOME_WORDS: Readonly<Record<RunOutcome, string>> = {
  running: 'running',
  success: 'succeeded',
  warnings: 'succeeded',
  error: 'failed',
  cancelled: 'stopped',
  crashed: 'crashed',
};

/**
 * One line about a run: "failed in 3.2 s · 2 errors", "running · last build succeeded", "stopped after 5 min 02 s ·
 * 4 builds, the last failed". A watch run's own duration is how long it watched, so its last build's time is shown.
 */
export function describeRun(run: RunRecord): string {
  const outcome = runOutcome(run);
  const builds = run.builds ?? 0;
  const counts = formatCounts(run.errors ?? 0, run.warnings ?? 0);
  const last = run.lastResult ? `the last ${run.lastResult === 'success' ? 'succeeded' : run.lastResult === 'error' ? 'failed' : 'was cancelled'}` : '';
  if (outcome === 'running') return builds > 0 ? `running · ${builds} build${builds === 1 ? '' : 's'}, ${last} · ${counts}` : 'running';
  const took = run.durationMs !== undefined ? ` ${outcome === 'cancelled' || outcome === 'crashed' ? 'after' : 'in'} ${formatDuration(run.durationMs)}` : '';
  const exit = outcome === 'error' && run.exitCode !== undefined && run.exitCode !== 0 ? ` (exit ${run.exitCode})` : '';
  const watch = builds > 1 ? ` · ${builds} builds, ${last}` : '';
  return `${OUTCOME_WORDS[outcome]}${took}${exit}${watch} · ${counts}`;
}

/** The identity history and statistics group runs by: the build's key when it has one, else command and folder. */
export function sameBuildKey(run: Pick<RunRecord, 'key' | 'command' | 'cwd'>): string {
  return run.key ?? `${run.cwd}\u0000${run.command}`;
}

export interface BuildTrend {
  /** Finished runs looked at (at most `window`). */
  runs: number;
  succeeded: number;
  /** Median time of a build (the last verdict's duration, else the run's), when known. */
  medianMs?: number;
}

/** How the recent finished runs of the same build went (`runs` newest first, as the store returns them). */
export function buildTrend(runs: readonly RunRecord[], build: Pick<RunRecord, 'key' | 'command' | 'cwd'>, window = 10): BuildTrend {
  const key = sameBuildKey(build);
  const recent = runs.filter((r) => r.status !== 'running_live' && sameBuildKey(r) === key).slice(0, window);
  const durations = recent
    .map((r) => r.lastBuildMs ?? (r.builds === undefined || r.builds <= 1 ? r.durationMs : undefined))
    .filter((d): d is number => d !== undefined)
    .sort((a, b) => a - b);
  const succeeded = recent.filter((r) => {
    const outcome = runOutcome(r);
    return outcome === 'success' || outcome === 'warnings';
  }).length;
  const medianMs = durations.length > 0 ? durations[Math.floor(durations.length / 2)] : undefined;
  return { runs: recent.length, succeeded, medianMs };
}

/** "4 of the last 5 succeeded · typically 3.2 s"; undefined when there is nothing to say. */
export function describeTrend(trend: BuildTrend): string | undefined {
  if (trend.runs === 0) return undefined;
  const share = trend.runs === 1 ? (trend.succeeded === 1 ? 'the last run succeeded' : 'the last run did not succeed') : `${trend.succeeded} of the last ${trend.runs} succeeded`;
  return trend.medianMs !== undefined ? `${share} · typically ${formatDuration(trend.medianMs)}` : share;
}
