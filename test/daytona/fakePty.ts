/**
 * The fake daemon's PTY sessions, shaped after the real one (apps/daemon/pkg/toolbox/process/pty): a login-like
 * interactive shell in a real local pty, output broadcast as binary frames to every attached socket, input from any
 * socket, `{"type":"control","status":"connected"}` on attach, and on exit every socket closed with
 * `{"exitCode":N,"exitReason":…}` as the close reason (1000 for 0, 1011 otherwise). Like the real daemon it keeps no
 * history: a socket that reattaches receives only what is written after it attached. A client whose send queue is
 * too long is dropped ("slow consumer"), as the daemon does.
 */
import type { WebSocket } from 'ws';
import { PtyBackend } from '../../src/run/localPty';
import { loadPty } from '../../src/run/ptyLoader';
import type { BuildProcess, ExitStatus } from '../../src/run/types';
import { route, sendError, sendJson, readJson, type Route } from './fakeHttp';
import { resolveIn, type SandboxDisk } from './fakeFiles';

/** The daemon drops a client after 256 queued frames of up to 32 KiB; here, after this many bytes buffered. */
const SLOW_CONSUMER_BYTES = 256 * 32 * 1024;

export interface PtyFaults {
  /** Drop every socket of a session (no close frame) once it has streamed this many bytes in total. */
  dropAfterBytes?: number;
  /**
   * The real daemon closes the sockets with the exit code while output may still sit in a client's send queue; this
   * loses the session's last chunk that way.
   */
  loseTailOnExit?: boolean;
}

interface PtySession {
  id: string;
  cwd: string;
  cols: number;
  rows: number;
  envs: Record<string, string>;
  createdAt: string;
  proc: BuildProcess;
  clients: Set<WebSocket>;
  sentBytes: number;
  dropped: boolean;
  killed: boolean;
  /** With loseTailOnExit: the latest chunk, sent only when the next one comes. */
  held?: Uint8Array;
}

export class FakePtys {
  private readonly sessions = new Map<string, PtySession>();
  readonly faults: PtyFaults = {};

  constructor(private readonly disk: () => SandboxDisk) {}

  routes(): Route[] {
    return [
      route('GET', '/process/pty', (_req, res) => sendJson(res, 200, { sessions: [...this.sessions.values()].map(info) })),
      route('GET', '/process/pty/:pid', (_req, res, p) => {
        const s = this.sessions.get(p.pid);
        if (!s) return sendError(res, 404, 'PTY session not found', 'PROCESS_NOT_FOUND', 'DAYTONA_DAEMON');
        sendJson(res, 200, info(s));
      }),
      route('DELETE', '/process/pty/:pid', async (_req, res, p) => {
        const s = this.sessions.get(p.pid);
        if (!s) return sendError(res, 404, 'PTY session not found', 'PROCESS_NOT_FOUND', 'DAYTONA_DAEMON');
        this.sessions.delete(s.id);
        // the daemon SIGKILLs the tree and reports 137, whatever the shell's own status
        s.killed = true;
        await s.proc.stop();
        closeAll(s, 137);
        sendJson(res, 200, { message: 'PTY session deleted' });
      }),
      route('POST', '/process/pty/:pid/resize', async (req, res, p) => {
        const s = this.sessions.get(p.pid);
        if (!s) return sendError(res, 410, 'PTY session not found', 'PROCESS_NOT_FOUND', 'DAYTONA_DAEMON');
        const { cols, rows } = await readJson<{ cols: number; rows: number }>(req);
        if (cols > 1000 || rows > 1000) return sendError(res, 400, 'cols and rows must be less than 1000', 'BAD_REQUEST', 'DAYTONA_DAEMON');
        s.cols = cols;
        s.rows = rows;
        s.proc.resize(cols, rows);
        sendJson(res, 200, info(s));
      }),
    ];
  }

  /** `create-connect`: starts the session and attaches the socket in one step. */
  async createAndAttach(url: URL, protocols: readonly string[], ws: WebSocket): Promise<void> {
    const id = url.searchParams.get('id') ?? '';
    if (!id || this.sessions.has(id)) {
      sendControlError(ws, id ? `PTY session with ID '${id}' already exists` : 'session ID is required');
      return;
    }
    const cwd = resolveIn(this.disk(), url.searchParams.get('cwd') ?? this.disk().workDir);
    if (!cwd) {
      sendControlError(ws, 'cwd is outside the sandbox');
      return;
    }
    const envs = { TERM: 'xterm-256color', ...envsFromProtocols(protocols) };
    const cols = Number(url.searchParams.get('cols') ?? 80);
    const rows = Number(url.searchParams.get('rows') ?? 24);
    const proc = await new PtyBackend(loadPty()).spawn({
      command: '/bin/sh',
      args: ['-i'],
      cwd,
      cols,
      rows,
      env: { ...envs, HOME: this.disk().workDir, PS1: '$ ', ENV: '' },
    });
    const session: PtySession = { id, cwd, cols, rows, envs, createdAt: new Date().toISOString(), proc, clients: new Set(), sentBytes: 0, dropped: false, killed: false };
    this.sessions.set(id, session);
    proc.onData((chunk) => this.broadcast(session, chunk));
    proc.onExit((status: ExitStatus) => {
      this.sessions.delete(id);
      closeAll(session, session.killed ? 137 : status.code);
    });
    this.attach(session, ws);
  }

  connect(id: string, ws: WebSocket): void {
    const s = this.sessions.get(id);
    if (!s) {
      sendControlError(ws, `Failed to connect to PTY session: PTY session ${id} not found`);
      return;
    }
    this.attach(s, ws);
  }

  /** Cuts every socket of every session without a close frame, as a network drop would. */
  dropAll(): void {
    for (const s of this.sessions.values()) for (const ws of s.clients) ws.terminate();
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.proc.stop()));
    this.sessions.clear();
  }

  private attach(s: PtySession, ws: WebSocket): void {
    s.clients.add(ws);
    ws.send(JSON.stringify({ type: 'control', status: 'connected' }));
    ws.on('message', (data: Buffer, isBinary: boolean) => s.proc.write(isBinary ? data.toString('utf8') : data.toString()));
    ws.on('close', () => s.clients.delete(ws));
    ws.on('error', () => s.clients.delete(ws));
  }

  private broadcast(s: PtySession, latest: Uint8Array): void {
    let chunk = latest;
    if (this.faults.loseTailOnExit) {
      const previous = s.held;
      s.held = latest;
      if (!previous) return;
      chunk = previous;
    }
    s.sentBytes += chunk.length;
    for (const ws of s.clients) {
      if (ws.bufferedAmount > SLOW_CONSUMER_BYTES) {
        ws.close(1008, 'slow consumer');
        s.clients.delete(ws);
        continue;
      }
      ws.send(chunk, { binary: true });
    }
    const limit = this.faults.dropAfterBytes;
    if (limit !== undefined && !s.dropped && s.sentBytes >= limit) {
      s.dropped = true;
      for (const ws of s.clients) ws.terminate();
    }
  }
}

function info(s: PtySession): unknown {
  return { id: s.id, cwd: s.cwd, envs: s.envs, cols: s.cols, rows: s.rows, createdAt: s.createdAt, active: true, lazyStart: false };
}

function closeAll(s: PtySession, exitCode: number): void {
  const reason = exitCode === 0 ? undefined : exitCode === 130 ? 'Ctrl+C' : exitCode === 137 ? 'SIGKILL' : exitCode === 143 ? 'SIGTERM' : exitCode > 128 ? `signal ${exitCode - 128}` : 'non-zero exit';
  for (const ws of s.clients) ws.close(exitCode === 0 ? 1000 : 1011, JSON.stringify({ exitCode, ...(reason ? { exitReason: reason } : {}) }));
  s.clients.clear();
}

function sendControlError(ws: WebSocket, error: string): void {
  ws.send(JSON.stringify({ type: 'control', status: 'error', error }));
  ws.close();
}

/** `X-Daytona-Pty-Envs~<base64url JSON>` among the offered subprotocols. */
function envsFromProtocols(protocols: readonly string[]): Record<string, string> {
  const token = protocols.find((p) => p.startsWith('X-Daytona-Pty-Envs~'));
  if (!token) return {};
  return JSON.parse(Buffer.from(token.slice('X-Daytona-Pty-Envs~'.length), 'base64url').toString('utf8')) as Record<string, string>;
}
