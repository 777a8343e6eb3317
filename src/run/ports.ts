import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as net from 'node:net';

export interface PortOwner {
  pid: number;
  name: string;
  cmdline: string;
}

export interface PortStatus {
  port: number;
  /** Something accepts connections on it (on 127.0.0.1 or ::1). */
  inUse: boolean;
  /** Who listens, when the system tells (Linux: /proc; macOS: lsof); empty when unknown. */
  owners: PortOwner[];
}

/** Whether the port is in use and by which processes. */
export async function portStatus(port: number): Promise<PortStatus> {
  const [v4, v6, owners] = await Promise.all([accepts('127.0.0.1', port), accepts('::1', port), listeners(port)]);
  return { port, inUse: v4 || v6 || owners.length > 0, owners };
}

/** A TCP connect probe: true when something accepts on host:port within the timeout. */
export function accepts(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface HealthCheck {
  ok: boolean;
  /** The HTTP status, when the server answered. */
  status?: number;
  error?: string;
  ms: number;
}

/** One GET: healthy when the server answers with a status below 500 (a 404 at "/" is still a running server). */
export async function checkHealth(url: string, timeoutMs = 5000): Promise<HealthCheck> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  // loaded on the first check, not with the extension: activation must not pay for HTTP or TLS
  const client = url.startsWith('https:') ? await import('node:https') : await import('node:http');
  return new Promise((resolve) => {
    let request: http.ClientRequest;
    try {
      request = client.get(url, { timeout: timeoutMs, rejectUnauthorized: false }, (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        resolve({ ok: status > 0 && status < 500, status, ms: ms() });
      });
    } catch (e) {
      resolve({ ok: false, error: (e as Error).message, ms: ms() });
      return;
    }
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (e) => resolve({ ok: false, error: e.message, ms: ms() }));
  });
}

async function listeners(port: number): Promise<PortOwner[]> {
  if (process.platform === 'linux') return linuxListeners(port);
  if (process.platform === 'darwin') return lsofListeners(port);
  return []; // Windows: netstat would tell, untested here, so we say "unknown" rather than guess
}

/** /proc/net/tcp{,6}: the socket inodes listening on the port, then the processes holding those inodes. */
function linuxListeners(port: number): PortOwner[] {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const row of text.split('\n').slice(1)) {
      const f = row.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; the inode is the tenth field
      if (f.length > 9 && f[3] === '0A' && f[1].endsWith(`:${hexPort}`)) inodes.add(f[9]);
    }
  }
  if (inodes.size === 0) return [];
  const owners: PortOwner[] = [];
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const holds = safeReaddir(`/proc/${entry}/fd`).some((fd) => {
      try {
        const target = fs.readlinkSync(`/proc/${entry}/fd/${fd}`);
        return target.startsWith('socket:[') && inodes.has(target.slice(8, -1));
      } catch {
        return false;
      }
    });
    if (holds) owners.push(describeLinuxProcess(Number(entry)));
  }
  return owners;
}

function describeLinuxProcess(pid: number): PortOwner {
  let name = '';
  let cmdline = '';
  try {
    name = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    // it exited meanwhile
  }
  return { pid, name, cmdline: cmdline || name };
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function lsofListeners(port: number): Promise<PortOwner[]> {
  return new Promise((resolve) => {
    execFile('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], (error, stdout) => {
      if (error && !stdout) return resolve([]);
      const owners: PortOwner[] = [];
      for (const line of stdout.split('\n')) {
        if (line.startsWith('p')) owners.push({ pid: Number(line.slice(1)), name: '', cmdline: '' });
        else if (line.startsWith('c') && owners.length > 0) owners[owners.length - 1].name = owners[owners.length - 1].cmdline = line.slice(1);
      }
      resolve(owners);
    });
  });
}
