import type { ProcessRecord } from './types';

/** One process of a build's tree at one moment, as the sampler (src/run/processSampler.ts) reports it. */
export interface ProcessSample {
  pid: number;
  ppid: number;
  name: string;
  cmdline: string;
  /** CPU use since the previous sample, in % of one core. */
  cpu: number;
  /** Resident memory, bytes. */
  rss: number;
}

export interface TrackerUpdate {
  /** The current records of the processes in this sample. */
  current: ProcessRecord[];
  started: ProcessRecord[];
  ended: ProcessRecord[];
}

/** A run's processes across samples: which appeared, which ended, and who is whose child. */
export class ProcessTracker {
  private readonly seen = new Map<number, ProcessRecord>();

  constructor(private readonly runId: string) {}

  get count(): number {
    return this.seen.size;
  }

  get all(): ProcessRecord[] {
    return [...this.seen.values()];
  }

  update(samples: readonly ProcessSample[], now: number): TrackerUpdate {
    const started: ProcessRecord[] = [];
    const current: ProcessRecord[] = [];
    for (const s of samples) {
      const known = this.seen.get(s.pid);
      const record: ProcessRecord = {
        runId: this.runId,
        pid: s.pid,
        ppid: s.ppid,
        name: s.name,
        cmdline: s.cmdline,
        startTime: known?.startTime ?? now,
        cpu: s.cpu,
        mem: s.rss,
        status: 'running',
        children: [],
      };
      if (!known) started.push(record);
      this.seen.set(s.pid, record);
      current.push(record);
    }
    const live = new Set(samples.map((s) => s.pid));
    const ended = this.end((p) => !live.has(p.pid), now);
    this.linkChildren();
    return { current, started, ended };
  }

  /** Marks the running processes that `gone` picks as completed; returns them. */
  end(gone: (p: ProcessRecord) => boolean = () => true, now = Date.now()): ProcessRecord[] {
    const ended: ProcessRecord[] = [];
    for (const p of this.seen.values()) {
      if (p.status === 'running' && gone(p)) {
        p.status = 'completed';
        p.endTime = now;
        ended.push(p);
      }
    }
    return ended;
  }

  private linkChildren(): void {
    const children = new Map<number, number[]>();
    for (const p of this.seen.values()) {
      let list = children.get(p.ppid);
      if (!list) children.set(p.ppid, (list = []));
      list.push(p.pid);
    }
    for (const p of this.seen.values()) p.children = children.get(p.pid) ?? [];
  }
}
