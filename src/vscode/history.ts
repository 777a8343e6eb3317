import * as vscode from 'vscode';
import { Emitter } from '../core/emitter';
import type { BuildResult } from '../core/stateMachine';

/** One finished build as the history keeps it (workspace state; the run store of a later release replaces it). */
export interface HistoryEntry {
  /** The session and the build's sequence in it: an amended record replaces the one with the same pair. */
  sessionId: string;
  sequence: number;
  name: string;
  command: string;
  cwd: string;
  key: string;
  detectCommand: string;
  tool?: string;
  result: BuildResult['result'];
  assumed: boolean;
  durationMs: number;
  /** Date.now() at the verdict. */
  endedAt: number;
  errors: number;
  warnings: number;
}

const STATE_KEY = 'kirby.history';
export const HISTORY_LIMIT = 10;

/** The last builds of this workspace, newest first, persisted in workspace state. */
export class BuildHistory {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {}

  get entries(): readonly HistoryEntry[] {
    const stored = this.memento.get<unknown>(STATE_KEY);
    return Array.isArray(stored) ? (stored as HistoryEntry[]) : [];
  }

  async add(entry: HistoryEntry): Promise<void> {
    const rest = this.entries.filter((e) => !(e.sessionId === entry.sessionId && e.sequence === entry.sequence));
    await this.memento.update(STATE_KEY, [entry, ...rest].slice(0, HISTORY_LIMIT));
    this.changed.fire();
  }

  async clear(): Promise<void> {
    await this.memento.update(STATE_KEY, undefined);
    this.changed.fire();
  }
}

const TOOL_CACHE_KEY = 'kirby.detectedTools';
const TOOL_CACHE_LIMIT = 200;

/** The tool last detected for each build command (seed 001, open question 3), so the next run starts with it. */
export class ToolCache {
  constructor(private readonly memento: vscode.Memento) {}

  get(key: string): string | undefined {
    return this.all()[key];
  }

  set(key: string, toolId: string): void {
    const all = this.all();
    if (all[key] === toolId) return;
    delete all[key];
    all[key] = toolId;
    const keys = Object.keys(all);
    for (const old of keys.slice(0, Math.max(0, keys.length - TOOL_CACHE_LIMIT))) delete all[old];
    void this.memento.update(TOOL_CACHE_KEY, all);
  }

  async clear(): Promise<void> {
    await this.memento.update(TOOL_CACHE_KEY, undefined);
  }

  private all(): Record<string, string> {
    const stored = this.memento.get<unknown>(TOOL_CACHE_KEY);
    return typeof stored === 'object' && stored !== null ? { ...(stored as Record<string, string>) } : {};
  }
}
