/** The subset of node-pty's API Kirby uses (both node-pty and @lydell/node-pty provide it). */
export interface PtyModule {
  spawn(file: string, args: string[], options: PtyOptions): Pty;
}

export interface PtyOptions {
  name: string;
  cols: number;
  rows: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
  encoding: null;
}

export interface Pty {
  readonly pid: number;
  onData(listener: (data: Buffer | string) => void): { dispose(): void };
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): { dispose(): void };
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
  pause(): void;
  resume(): void;
}

export interface LoadedPty {
  module: PtyModule;
  /** Where it came from, for the user: "@lydell/node-pty" or VS Code's own copy. */
  source: string;
}

export class PtyUnavailableError extends Error {}

let cached: LoadedPty | undefined;
let lastFailure: string | undefined;

/**
 * Loads node-pty on first use (never at activation: it is a native module). Tries the prebuilt N-API package we ship,
 * then any extra locations the caller knows (VS Code's own node-pty under its appRoot — unsupported by VS Code, so
 * only a fallback), and reports every failure in one message.
 */
export function loadPty(extraCandidates: readonly string[] = []): LoadedPty {
  if (cached) return cached;
  const failures: string[] = [];
  for (const candidate of ['@lydell/node-pty', ...extraCandidates]) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require(candidate) as PtyModule;
      if (typeof module.spawn !== 'function') throw new Error('has no spawn()');
      cached = { module, source: candidate };
      return cached;
    } catch (e) {
      failures.push(`${candidate}: ${firstLine((e as Error).message)}`);
    }
  }
  lastFailure = failures.join('; ');
  throw new PtyUnavailableError(`node-pty could not be loaded (${lastFailure})`);
}

function firstLine(text: string): string {
  const i = text.indexOf('\n');
  return i < 0 ? text : text.slice(0, i);
}
