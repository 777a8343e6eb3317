import { execFile } from 'node:child_process';
import * as fs from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** Linux state letter; 'Z' is a zombie (already dead). */
  state: string;
  name: string;
  /** From /proc (Linux): user + system CPU time in clock ticks, and resident pages. */
  cpuTicks?: number;
  rssPages?: number;
}

/** All processes of the machine, from /proc on Linux, from `ps` elsewhere. */
export async function listProcesses(): Promise<ProcessInfo[]> {
  if (process.platform === 'linux') return listFromProc();
  return listFromPs();
}

function listFromProc(): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const entry of entries) {
    const c = entry.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const info = readProcStat(Number(entry));
    if (info) out.push(info);
  }
  return out;
}

/** Parses /proc/<pid>/stat: "pid (comm) state ppid pgrp session …"; comm may contain spaces and parentheses. */
export function readProcStat(pid: number): ProcessInfo | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < 0) return undefined;
  const fields = text.slice(close + 2).split(' ');
  return {
    pid,
    name: text.slice(open + 1, close),
    state: fields[0],
    ppid: Number(fields[1]),
    pgid: Number(fields[2]),
    sid: Number(fields[3]),
    cpuTicks: Number(fields[11]) + Number(fields[12]),
    rssPages: Number(fields[21]),
  };
}

function listFromPs(): Promise<ProcessInfo[]> {
  return new Promise((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat=,comm='], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) return resolve([]);
      const out: ProcessInfo[] = [];
      for (const line of stdout.split('\n')) {
        const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
        if (m) out.push({ pid: +m[1], ppid: +m[2], pgid: +m[3], sid: -1, state: m[4][0], name: m[5] });
      }
      resolve(out);
    });
  });
}

/**
 * The processes that belong to a build rooted at `root` (a session leader: node-pty and our pipe backend both start
 * the build with setsid): its descendants by parent link, plus anything still in its session or process group —
 * which catches children orphaned to init after their parent died. `known` carries pids seen earlier, so a child
 * that was reparented between two looks is still found through its old parent.
 */
export function treeMembers(all: readonly ProcessInfo[], root: number, known: Set<number>): Set<number> {
  const members = new Set<number>();
  const children = new Map<number, number[]>();
  for (const p of all) {
    if (p.state === 'Z') continue;
    let list = children.get(p.ppid);
    if (!list) children.set(p.ppid, (list = []));
    list.push(p.pid);
    if (p.pid === root || p.sid === root || p.pgid === root || known.has(p.pid)) members.add(p.pid);
  }
  const queue = [...members, ...known];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    for (const child of children.get(pid) ?? []) {
      if (!members.has(child)) {
        members.add(child);
        queue.push(child);
      }
    }
  }
  return members;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone, or not ours
  }
}

/** Alive and not a zombie (an orphan nobody reaps still answers kill(pid, 0) but is dead). */
export function isAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    const info = readProcStat(pid);
    return info !== undefined && info.state !== 'Z';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops a running build once: ends its tree and resolves after its exit event. Shared by the backends, which keep
 * the returned promise so that a second stop() waits for the first.
 */
export function stopBuild(pid: number, onExit: (listener: () => void) => unknown): Promise<void> {
  const exited = new Promise<void>((resolve) => onExit(() => resolve()));
  return killTree(pid).then(() => exited);
}

export interface KillTreeOptions {
  /** How long processes get to exit after SIGTERM before they are killed. Default 2000 ms. */
  graceMs?: number;
  /** End only the descendants (a user's shell keeps running; its build does not). */
  keepRoot?: boolean;
}

/**
 * Ends a build's whole process tree, including children that ignore SIGTERM/SIGHUP and ones that left the process
 * group: SIGTERM to every member, a grace period while new members are still collected, then the survivors are
 * frozen (SIGSTOP, so they cannot fork while we look) and killed. Resolves when none is left.
 */
export async function killTree(root: number, options: KillTreeOptions = {}): Promise<void> {
  if (!Number.isInteger(root) || root <= 1) throw new Error(`refusing to kill process tree of pid ${root}`);
  if (process.platform === 'win32') return killTreeWindows(root);
  const graceMs = options.graceMs ?? 2000;
  const known = new Set<number>([root]);
  const collect = async () => {
    for (const pid of treeMembers(await listProcesses(), root, known)) known.add(pid);
  };
  const targets = () => (options.keepRoot ? [...known].filter((pid) => pid !== root) : [...known]);
  const signalAll = (name: NodeJS.Signals) => {
    if (!options.keepRoot) signal(-root, name);
    for (const pid of targets()) signal(pid, name);
  };
  await collect();
  signalAll('SIGTERM');

  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await delay(40);
    await collect();
    if (!targets().some(isAlive)) return;
  }
  // freeze, re-collect until nothing new appears, then kill
  for (let round = 0; round < 5; round++) {
    const before = known.size;
    for (const pid of targets()) signal(pid, 'SIGSTOP');
    await collect();
    if (known.size === before) break;
  }
  signalAll('SIGKILL');
  for (let i = 0; i < 50 && targets().some(isAlive); i++) await delay(20);
}

function killTreeWindows(root: number): Promise<void> {
  return new Promise((resolve) => {
    execFile('taskkill', ['/pid', String(root), '/T', '/F'], () => resolve());
  });
}
