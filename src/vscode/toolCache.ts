import type * as vscode from 'vscode';

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
