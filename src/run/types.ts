import type { Disposable, Event } from '../core/emitter';

export interface SpawnOptions {
  /** A shell command line (`npm run dev`) when `args` is absent; otherwise the executable. */
  command: string;
  /** Arguments for `command` run directly, without a shell. */
  args?: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  cols?: number;
  rows?: number;
  /** Told about slow preparation before the command runs (a remote sandbox being set up), in words for a terminal. */
  onProgress?: (progress: { phase: string; message: string }) => void;
}

export interface ExitStatus {
  /** The process's exit code; for a signal death, 128 + the signal number. */
  code: number;
  /** The signal that ended the process, e.g. "SIGINT", if it died by one. */
  signal?: string;
  /**
   * Kirby ended it (stop(): Stop, a new run, closing the terminal): the run was cancelled, whatever signal it took.
   * A SIGKILL from anyone else (the kernel's out-of-memory killer, `kill -9`) ends the build in failure.
   */
  stopped?: boolean;
}

export type BackendKind = 'pty' | 'pipe' | 'daytona';

/** A running build, whatever runs it. Output is raw bytes, exactly as the process wrote them. */
export interface BuildProcess extends Disposable {
  readonly backend: BackendKind;
  /** How the backend was chosen, in plain words (e.g. why pipes are used instead of a pty). */
  readonly backendNote?: string;
  readonly pid: number | undefined;
  readonly onData: Event<Uint8Array>;
  /** Fires once, after the last onData. */
  readonly onExit: Event<ExitStatus>;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Ctrl+C: SIGINT to the foreground process group. */
  interrupt(): void;
  /** Ends the whole process tree (gracefully, then forcibly); resolves when nothing of it is left. */
  stop(): Promise<void>;
}

export interface Backend {
  readonly kind: BackendKind;
  spawn(options: SpawnOptions): Promise<BuildProcess>;
}
