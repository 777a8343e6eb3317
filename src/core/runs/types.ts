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
