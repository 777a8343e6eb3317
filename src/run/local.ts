import { PipeBackend } from './pipe';
import { PtyBackend, type PtyBackendOptions } from './localPty';
import { loadPty, PtyUnavailableError } from './ptyLoader';
import type { Backend } from './types';

export interface LocalBackendOptions extends PtyBackendOptions {
  /** More places to look for node-pty (VS Code's own copy), tried after the package we ship. */
  extraPtyCandidates?: readonly string[];
  /** Force pipes (tests, or a user who asked for them). */
  forcePipes?: boolean;
}

/** Picks the best local backend on first use: a real pty when node-pty loads, otherwise pipes, saying why. */
export function createLocalBackend(options: LocalBackendOptions = {}): Backend {
  if (options.forcePipes) return new PipeBackend('pipes (requested)');
  try {
    return new PtyBackend(loadPty(options.extraPtyCandidates), options);
  } catch (e) {
    if (!(e instanceof PtyUnavailableError)) throw e;
    return new PipeBackend(
      `pipes, because ${e.message}. The build still runs and is still read, but tools see no terminal: ` +
        'colours and progress may be missing, nothing can be typed into it, and it cannot be resized.',
    );
  }
}
