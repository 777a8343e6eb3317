/** What the parser reports. Times are the engine clock's milliseconds; offsets count decoded UTF-16 units. */
export type BuildEventType = 'build-start' | 'rebuild-start' | 'build-success' | 'build-error' | 'watch-ready' | 'warning';

export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  file?: string;
  /** 1-based, as printed. */
  line?: number;
  /** 1-based, whatever the tool printed (0-based tools are shifted by the pattern database). */
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity: Severity;
  code?: string;
  message: string;
}

export interface BuildEvent {
  type: BuildEventType;
  tool: string;
  time: number;
  /** Offset in the decoded output just past the line that produced the event. */
  offset: number;
  /** The visible line (escape codes removed) that produced the event. */
  line: string;
}

export interface ProblemEvent {
  type: 'problem';
  tool: string;
  time: number;
  offset: number;
  problem: Problem;
}

export enum BuildState {
  Idle = 'Idle',
  Building = 'Building',
  Ready = 'Ready',
  WatchModeActive = 'WatchModeActive',
  Rebuilding = 'Rebuilding',
  Error = 'Error',
}

export type TransitionReason = 'start' | 'output' | 'exit' | 'end-of-stream' | 'idle-timeout';

export interface StateChange {
  state: BuildState;
  previous: BuildState;
  time: number;
  tool: string | undefined;
  reason: TransitionReason;
  /** True when no verdict was seen and the state was inferred (silence or end of stream). */
  assumed: boolean;
}
