import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendLine, fileSize, readLines, rewriteLines } from './jsonLines';
import type { ProcessRecord, ProcessSnapshot, RunEvent, RunEventType, RunExport, RunRecord } from './types';

export interface RunStoreOptions {
  /** Keep at most this many runs (the oldest finished ones go first). Default 200. */
  maxRuns?: number;
  /** Keep the store under this many bytes on disk. Default 50 MB. */
  maxBytes?: number;
  /** Log text kept per event (a bounded excerpt, never a whole log). Default 2000 characters. */
  maxExcerpt?: number;
}

export interface NewRun {
  command: string;
  args?: string[];
  cwd: string;
  backend: string;
  tool?: string;
  name?: string;
  key?: string;
  detectCommand?: string;
}

export interface DeleteResult {
  deleted: string[];
  errors: { id: string; message: string }[];
}

const RUNS_FILE = 'runs.jsonl';

/**
 * Build runs, their events and their processes, per workspace, on disk. Crash-safe by construction: every change
 * is one appended line (a kill mid-write loses at most that line, and loading skips it); the runs file is compacted
 * by an atomic rename. No vscode import: the extension gives it a folder (its workspace storage).
 */
export class RunStore {
  private readonly runsById = new Map<string, RunRecord>();
  private maxRuns: number;
  private maxBytes: number;
  private readonly maxExcerpt: number;
  private runLines = 0;
  private eventCounter = 0;
  /** Lines that could not be read when the store was opened (a torn write). */
  skippedOnLoad = 0;

  constructor(
    private readonly dir: string,
    options: RunStoreOptions = {},
  ) {
    this.maxRuns = options.maxRuns ?? 200;
    this.maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
    this.maxExcerpt = options.maxExcerpt ?? 2000;
    fs.mkdirSync(path.join(dir, 'events'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'processes'), { recursive: true });
    const { records, skipped } = readLines<RunRecord>(this.runsFile);
    this.skippedOnLoad = skipped;
    this.runLines = records.length;
    for (const r of records) {
      if (r && typeof r.id === 'string') {
        if ((r as { deleted?: boolean }).deleted) this.runsById.delete(r.id);
        else this.runsById.set(r.id, r);
      }
    }
  }

  private get runsFile(): string {
    return path.join(this.dir, RUNS_FILE);
  }

  private eventsFile(runId: string): string {
    return path.join(this.dir, 'events', `${safeId(runId)}.jsonl`);
  }

  private processesFile(runId: string): string {
    return path.join(this.dir, 'processes', `${safeId(runId)}.jsonl`);
  }

  /** Runs, newest first; `search` matches the command and its arguments. */
  runs(filter: { search?: string; limit?: number } = {}): RunRecord[] {
    const needle = filter.search?.toLowerCase();
    const all = [...this.runsById.values()]
      .filter((r) => !needle || `${r.command} ${r.args.join(' ')}`.toLowerCase().includes(needle))
      .sort((a, b) => b.startTime - a.startTime);
    return filter.limit !== undefined ? all.slice(0, filter.limit) : all;
  }

  get(id: string): RunRecord | undefined {
    return this.runsById.get(id);
  }

  startRun(input: NewRun, now = Date.now()): RunRecord {
    const run: RunRecord = {
      id: `${now.toString(36)}-${randomBytes(4).toString('hex')}`,
      command: input.command,
      args: input.args ?? [],
      cwd: input.cwd,
      backend: input.backend,
      tool: input.tool,
      name: input.name,
      key: input.key,
      detectCommand: input.detectCommand,
      startTime: now,
      status: 'running_live',
      processCount: 0,
    };
    this.write(run);
    return run;
  }

  updateRun(id: string, patch: Partial<Omit<RunRecord, 'id'>>): RunRecord | undefined {
    const run = this.runsById.get(id);
    if (!run) return undefined;
    const next = { ...run, ...patch };
    if (next.endTime !== undefined) next.durationMs = next.endTime - next.startTime;
    this.write(next);
    return next;
  }

  addEvent(runId: string, type: RunEventType, data: Record<string, unknown> = {}, now = Date.now()): RunEvent {
    // unique across sessions of the store: the time, then a counter within the millisecond
    const event: RunEvent = { id: now * 1000 + (this.eventCounter++ % 1000), runId, timestamp: now, type, data: this.bounded(data) };
    appendLine(this.eventsFile(runId), event);
    return event;
  }

  events(runId: string): RunEvent[] {
    return readLines<RunEvent>(this.eventsFile(runId)).records;
  }

  /** A sample of the run's processes: appended as a snapshot; the latest line per pid wins when read. */
  recordProcesses(runId: string, processes: readonly ProcessRecord[], now = Date.now()): void {
    if (processes.length === 0) return;
    const snapshot: ProcessSnapshot = { time: now, processes: [...processes] };
    appendLine(this.processesFile(runId), snapshot);
  }

  processes(runId: string): ProcessRecord[] {
    const latest = new Map<number, ProcessRecord>();
    for (const snapshot of this.samples(runId)) for (const p of snapshot.processes) latest.set(p.pid, p);
    return [...latest.values()];
  }

  /** Every sample of the run's processes, oldest first (the dashboard's charts). */
  samples(runId: string): ProcessSnapshot[] {
    return readLines<ProcessSnapshot>(this.processesFile(runId)).records.filter((s) => s && typeof s.time === 'number' && Array.isArray(s.processes));
  }

  /** Everything recorded about one run (the dashboard's detail and "Export as JSON"). */
  export(runId: string): RunExport | undefined {
    const run = this.runsById.get(runId);
    return run && { run, events: this.events(runId), processes: this.processes(runId), samples: this.samples(runId) };
  }

  /** New retention limits (the settings changed): applied at once. Returns the runs dropped. */
  setRetention(limits: { maxRuns?: number; maxBytes?: number }): string[] {
    if (limits.maxRuns !== undefined) this.maxRuns = limits.maxRuns;
    if (limits.maxBytes !== undefined) this.maxBytes = limits.maxBytes;
    return this.enforceRetention();
  }

  /** Deletes finished runs; a live run is refused with its own error, the others still go. */
  deleteRuns(ids: readonly string[]): DeleteResult {
    const result: DeleteResult = { deleted: [], errors: [] };
    for (const id of ids) {
      const run = this.runsById.get(id);
      if (!run) result.errors.push({ id, message: 'no such run' });
      else if (run.status === 'running_live') result.errors.push({ id, message: 'the run is still live: stop it first' });
      else {
        this.remove(id);
        result.deleted.push(id);
      }
    }
    this.compactIfNeeded();
    return result;
  }

  /** After the extension host died: runs it left live are crashed (exit -1). Returns them. */
  markInterruptedRunsCrashed(now = Date.now()): RunRecord[] {
    const crashed: RunRecord[] = [];
    for (const run of this.runs()) {
      if (run.status !== 'running_live') continue;
      crashed.push(this.updateRun(run.id, { status: 'crashed', exitCode: -1, endTime: now })!);
      this.addEvent(run.id, 'build_crashed', { reason: 'the extension host stopped while the build ran' }, now);
    }
    return crashed;
  }

  /** Drops the oldest finished runs beyond the count limit, then while the store is over its size limit. */
  enforceRetention(): string[] {
    const dropped: string[] = [];
    const finished = this.runs().filter((r) => r.status !== 'running_live').reverse(); // oldest first
    let count = this.runsById.size;
    for (const run of finished) {
      if (count <= this.maxRuns) break;
      this.remove(run.id);
      dropped.push(run.id);
      count--;
    }
    let size = this.diskSize();
    for (const run of finished) {
      if (size <= this.maxBytes) break;
      if (!this.runsById.has(run.id)) continue;
      const freed = fileSize(this.eventsFile(run.id)) + fileSize(this.processesFile(run.id));
      this.remove(run.id);
      dropped.push(run.id);
      size -= freed;
    }
    this.compactIfNeeded(true);
    return dropped;
  }

  diskSize(): number {
    let total = fileSize(this.runsFile);
    for (const id of this.runsById.keys()) total += fileSize(this.eventsFile(id)) + fileSize(this.processesFile(id));
    return total;
  }

  private write(run: RunRecord): void {
    appendLine(this.runsFile, run);
    this.runsById.set(run.id, run);
    this.runLines++;
    this.compactIfNeeded();
  }

  private remove(id: string): void {
    this.runsById.delete(id);
    appendLine(this.runsFile, { id, deleted: true });
    this.runLines++;
    fs.rmSync(this.eventsFile(id), { force: true });
    fs.rmSync(this.processesFile(id), { force: true });
  }

  /** The runs file holds every update; rewrite it with one line per run once it is mostly history. */
  private compactIfNeeded(force = false): void {
    if (!force && this.runLines < 64 + 4 * this.runsById.size) return;
    const runs = [...this.runsById.values()].sort((a, b) => a.startTime - b.startTime);
    rewriteLines(this.runsFile, runs);
    this.runLines = runs.length;
  }

  private bounded(data: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) {
      out[key] = typeof value === 'string' && value.length > this.maxExcerpt ? `${value.slice(0, this.maxExcerpt)}…` : value;
    }
    return out;
  }
}

/** Run ids come from the store, but a file name must never escape its folder. */
function safeId(id: string): string {
  return id.replace(/[^\w.-]/g, '_');
}
