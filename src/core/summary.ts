import { BuildState } from './events';

/** How users read each state: the words the status bar, tooltips and the CLI use. */
export const STATE_LABELS: Readonly<Record<BuildState, string>> = {
  [BuildState.Idle]: 'Idle',
  [BuildState.Building]: 'Building',
  [BuildState.Ready]: 'Ready',
  [BuildState.WatchModeActive]: 'Watching',
  [BuildState.Rebuilding]: 'Rebuilding',
  [BuildState.Error]: 'Error',
};

// Higher is more urgent: with several builds the status bar shows the most urgent state.
const URGENCY: Readonly<Record<BuildState, number>> = {
  [BuildState.Idle]: 0,
  [BuildState.Ready]: 1,
  [BuildState.WatchModeActive]: 2,
  [BuildState.Building]: 3,
  [BuildState.Rebuilding]: 3,
  [BuildState.Error]: 4,
};

/** The state that needs the user's attention most; Idle when there is none. */
export function worstState(states: Iterable<BuildState>): BuildState {
  let worst = BuildState.Idle;
  for (const s of states) if (URGENCY[s] > URGENCY[worst]) worst = s;
  return worst;
}

export function isBusy(state: BuildState): boolean {
  return state === BuildState.Building || state === BuildState.Rebuilding;
}

/** "850 ms", "3.2 s", "2 min 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
}

/** "2 errors, 1 warning" — or "no problems". */
export function formatCounts(errors: number, warnings: number): string {
  const parts: string[] = [];
  if (errors > 0) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (warnings > 0) parts.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(', ') : 'no problems';
}

/** "just now", "5 s ago", "3 min ago", "2 h ago", "4 d ago". */
export function formatAge(ms: number): string {
  if (ms < 2000) return 'just now';
  if (ms < 60_000) return `${Math.floor(ms / 1000)} s ago`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)} h ago`;
  return `${Math.floor(ms / 86_400_000)} d ago`;
}
