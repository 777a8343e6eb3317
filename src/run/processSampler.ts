import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import type { ProcessSample } from '../core/runs/processTracker';
import { listProcesses, treeMembers } from './processTree';

export type { ProcessSample };

// Linux's USER_HZ: /proc reports CPU time in these ticks; it is 100 on every mainstream kernel build.
const TICKS_PER_SECOND = 100;

/**
 * Samples a build's process tree (every descendant, including ones that left its process group): CPU % and RSS per
 * process. Linux reads /proc directly (one pass over /proc/<pid>/stat per sample); macOS and other POSIX systems ask
 * `ps`. Windows is not supported yet: `supported` is false there and nothing is sampled.
 */
export class ProcessSampler {
  static readonly supported = process.platform !== 'win32';

  private readonly known = new Set<number>();
  private readonly cmdlines = new Map<number, string>();
  private previous = new Map<number, { ticks: number; at: number }>();

  constructor(private readonly root: number) {
    this.known.add(root);
  }

  /** The tree's processes now; empty when the tree is gone; undefined when the system could not be asked. */
  async sample(): Promise<ProcessSample[] | undefined> {
    if (process.platform === 'linux') return this.sampleLinux();
    if (!ProcessSampler.supported) return undefined;
    return this.samplePs();
  }

  /** One pass over /proc: each stat file is read once and gives both the tree and the figures. */
  private async sampleLinux(): Promise<ProcessSample[]> {
    const all = await listProcesses();
    const byPid = new Map(all.map((p) => [p.pid, p]));
    const members = treeMembers(all, this.root, this.known);
    const now = performance.now();
    const next = new Map<number, { ticks: number; at: number }>();
    const out: ProcessSample[] = [];
    for (const pid of members) {
      this.known.add(pid);
      const stat = byPid.get(pid);
      if (!stat) continue;
      const ticks = stat.cpuTicks ?? 0;
      const before = this.previous.get(pid);
      const seconds = before ? (now - before.at) / 1000 : 0;
      const cpu = before && seconds > 0 ? ((ticks - before.ticks) / TICKS_PER_SECOND / seconds) * 100 : 0;
      next.set(pid, { ticks, at: now });
      out.push({ pid, ppid: stat.ppid, name: stat.name, cmdline: this.cmdline(pid, stat.name), cpu: Math.max(0, cpu), rss: (stat.rssPages ?? 0) * pageSize() });
    }
    this.previous = next;
    return out;
  }

  private cmdline(pid: number, fallback: string): string {
    let line = this.cmdlines.get(pid);
    if (line === undefined) {
      try {
        line = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || fallback;
      } catch {
        line = fallback;
      }
      this.cmdlines.set(pid, line);
    }
    return line;
  }

  private samplePs(): Promise<ProcessSample[] | undefined> {
    return new Promise((resolve) => {
      execFile('ps', PS_ARGS, { maxBuffer: 8 * 1024 * 1024 }, (error, stdout) => {
        if (error) return resolve(undefined);
        const rows = parsePs(stdout);
        const members = treeMembers(
          rows.map((r) => ({ ...r, sid: 0, state: 'R' })),
          this.root,
          this.known,
        );
        for (const pid of members) this.known.add(pid);
        resolve(rows.filter((r) => members.has(r.pid)));
      });
    });
  }
}

/** `ps` arguments every POSIX system (and a Linux sandbox) understands: one process per line, no header. */
export const PS_ARGS = ['-A', '-o', 'pid=,ppid=,pgid=,pcpu=,rss=,comm='];

/** The rows of `ps ${PS_ARGS}`: CPU % as ps reports it, RSS in bytes (ps says KiB). */
export function parsePs(stdout: string): (ProcessSample & { pgid: number })[] {
  const rows: (ProcessSample & { pgid: number })[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    const name = f.slice(5).join(' ');
    rows.push({ pid: Number(f[0]), ppid: Number(f[1]), pgid: Number(f[2]), name, cmdline: name, cpu: Number(f[3]), rss: Number(f[4]) * 1024 });
  }
  return rows;
}

let cachedPageSize: number | undefined;
/** The kernel's page size, from our own RSS counted in pages (statm) and in kB (status): 4096 on x86-64. */
function pageSize(): number {
  if (cachedPageSize !== undefined) return cachedPageSize;
  try {
    const pages = Number(fs.readFileSync('/proc/self/statm', 'utf8').split(' ')[1]);
    const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1]);
    const guess = (kb * 1024) / pages;
    cachedPageSize = [4096, 16384, 65536].reduce((a, b) => (Math.abs(b - guess) < Math.abs(a - guess) ? b : a));
  } catch {
    cachedPageSize = 4096;
  }
  return cachedPageSize;
}
