/** A build run as the run store keeps it (seed 004's BuildSpy model, inside VS Code). */
export type RunStatus = 'running_live' | 'completed' | 'failed' | 'crashed' | 'cancelled';

export interface RunRecord {
  id: string;
  command: string;
  args: string[];
  cwd: string;
  backend: string;
  tool?: string;
  /** Date.now() values. */
  startTime: number;
  endTime?: number;
  status: RunStatus;
  exitCode?: number;
  durationMs?: number;
  processCount: number;
  phase?: string;
  currentStep?: string;
  /** How to run it again: the build's name and identity ("the same build" for history and statistics). */
  name?: string;
  key?: string;
  detectCommand?: string;
  /** The latest verdict of the run (a watch run has one per rebuild) and how many verdicts it had. */
  lastResult?: 'success' | 'error' | 'cancelled';
  lastBuildMs?: number;
  builds?: number;
  errors?: number;
  warnings?: number;
}

export type RunEventType =
  | 'phase_change'
  | 'log'
  | 'error'
  | 'warning'
  | 'progress'
  | 'process_start'
  | 'process_end'
  | 'resource_update'
  | 'build_complete'
  | 'build_crashed';

export interface RunEvent {
  id: number;
  runId: string;
  timestamp: number;
  type: RunEventType;
  data: Record<string, unknown>;
}

export type ProcessStatus = 'running' | 'completed' | 'crashed';

export interface ProcessRecord {
  runId: string;
  pid: number;
  ppid: number;
  name: string;
  cmdline: string;
  startTime: number;
  endTime?: number;
  /** CPU % of one core, last sample. */
  cpu: number;
  /** Resident memory in bytes, last sample. */
  mem: number;
  status: ProcessStatus;
  children: number[];
}

/** One sample of a run's process tree, at `time` (Date.now()). */
export interface ProcessSnapshot {
  time: number;
  processes: ProcessRecord[];
}

/** A run with everything recorded about it: what the dashboard shows and "Export as JSON" writes. */
export interface RunExport {
  run: RunRecord;
  events: RunEvent[];
  processes: ProcessRecord[];
  samples: ProcessSnapshot[];
}
