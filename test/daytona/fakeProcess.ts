/** The fake daemon's process routes: one-shot execute, sessions with commands and their logs (poll or follow). */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { readJson, route, sendError, sendJson, splitCommandLine, type Route } from './fakeHttp';
import type { SandboxDisk } from './fakeFiles';

interface CommandRun {
  id: string;
  command: string;
  exitCode?: number;
  stdout: Buffer[];
  stderr: Buffer[];
  followers: Set<WebSocket>;
  finished: Promise<void>;
}

const STDOUT_PREFIX = Buffer.from([1, 1, 1]);
const STDERR_PREFIX = Buffer.from([2, 2, 2]);
/** The real daemon's log frames are at most this long, and it closes the log socket about a second after exit. */
const LOG_FRAME_BYTES = 1024;

export class FakeProcesses {
  private readonly sessions = new Map<string, Map<string, CommandRun>>();

  constructor(
    private readonly disk: () => SandboxDisk,
    private readonly logCloseDelayMs = 100,
  ) {}

  routes(): Route[] {
    return [
      route('POST', '/process/execute', async (req, res) => {
        const body = await readJson<{ command: string; cwd?: string; timeout?: number }>(req);
        const [file, ...args] = splitCommandLine(body.command);
        const run = this.runCommand(file, args, body.cwd);
        await run.done;
        sendJson(res, 200, { exitCode: run.exitCode(), result: run.output() });
      }),
      route('POST', '/process/session', async (req, res) => {
        const { sessionId } = await readJson<{ sessionId: string }>(req);
        if (this.sessions.has(sessionId)) return sendError(res, 409, `session ${sessionId} exists`, 'CONFLICT', 'DAYTONA_DAEMON');
        this.sessions.set(sessionId, new Map());
        res.writeHead(201).end();
      }),
      route('GET', '/process/session', (_req, res) => sendJson(res, 200, [...this.sessions.keys()].map((id) => this.sessionDto(id)))),
      route('GET', '/process/session/:sid', (_req, res, p) => {
        if (!this.sessions.has(p.sid)) return sendError(res, 404, 'session not found', 'SESSION_NOT_FOUND', 'DAYTONA_DAEMON');
        sendJson(res, 200, this.sessionDto(p.sid));
      }),
      route('DELETE', '/process/session/:sid', (_req, res, p) => {
        this.sessions.delete(p.sid);
        res.writeHead(204).end();
      }),
      route('POST', '/process/session/:sid/exec', async (req, res, p) => {
        const session = this.sessions.get(p.sid);
        if (!session) return sendError(res, 404, 'session not found', 'SESSION_NOT_FOUND', 'DAYTONA_DAEMON');
        const body = await readJson<{ command: string; runAsync?: boolean; async?: boolean }>(req);
        const cmd = this.startSessionCommand(session, body.command);
        if (body.runAsync || body.async) return sendJson(res, 202, { cmdId: cmd.id });
        await cmd.finished;
        const stdout = Buffer.concat(cmd.stdout).toString('utf8');
        const stderr = Buffer.concat(cmd.stderr).toString('utf8');
        sendJson(res, 200, { cmdId: cmd.id, exitCode: cmd.exitCode, output: stdout + stderr, stdout, stderr });
      }),
      route('GET', '/process/session/:sid/command/:cid', (_req, res, p) => {
        const cmd = this.sessions.get(p.sid)?.get(p.cid);
        if (!cmd) return sendError(res, 404, 'command not found', 'COMMAND_NOT_FOUND', 'DAYTONA_DAEMON');
        sendJson(res, 200, { id: cmd.id, command: cmd.command, exitCode: cmd.exitCode });
      }),
      route('GET', '/process/session/:sid/command/:cid/logs', (_req, res, p) => {
        const cmd = this.sessions.get(p.sid)?.get(p.cid);
        if (!cmd) return sendError(res, 404, 'command not found', 'COMMAND_NOT_FOUND', 'DAYTONA_DAEMON');
        const stdout = Buffer.concat(cmd.stdout).toString('utf8');
        const stderr = Buffer.concat(cmd.stderr).toString('utf8');
        sendJson(res, 200, { output: stdout + stderr, stdout, stderr });
      }),
    ];
  }

  /** The follow=true log socket: what was written so far, then live frames, closed a little after the exit. */
  followLogs(sid: string, cid: string, ws: WebSocket): void {
    const cmd = this.sessions.get(sid)?.get(cid);
    if (!cmd) {
      ws.close(1011, 'command not found');
      return;
    }
    for (const b of cmd.stdout) sendFrames(ws, STDOUT_PREFIX, b);
    for (const b of cmd.stderr) sendFrames(ws, STDERR_PREFIX, b);
    if (cmd.exitCode !== undefined) {
      setTimeout(() => ws.close(1000), this.logCloseDelayMs);
      return;
    }
    cmd.followers.add(ws);
    ws.on('close', () => cmd.followers.delete(ws));
  }

  private sessionDto(id: string): unknown {
    const commands = [...(this.sessions.get(id)?.values() ?? [])].map((c) => ({ id: c.id, command: c.command, exitCode: c.exitCode }));
    return { sessionId: id, commands };
  }

  private startSessionCommand(session: Map<string, CommandRun>, command: string): CommandRun {
    let finish = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const cmd: CommandRun = { id: randomUUID(), command, stdout: [], stderr: [], followers: new Set(), finished };
    session.set(cmd.id, cmd);
    const child = spawn('/bin/sh', ['-c', command], { cwd: this.disk().workDir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (b: Buffer) => {
      cmd.stdout.push(b);
      for (const ws of cmd.followers) sendFrames(ws, STDOUT_PREFIX, b);
    });
    child.stderr.on('data', (b: Buffer) => {
      cmd.stderr.push(b);
      for (const ws of cmd.followers) sendFrames(ws, STDERR_PREFIX, b);
    });
    child.on('close', (code) => {
      cmd.exitCode = code ?? 1;
      finish();
      setTimeout(() => {
        for (const ws of cmd.followers) ws.close(1000);
      }, this.logCloseDelayMs);
    });
    return cmd;
  }

  private runCommand(file: string, args: string[], cwd: string | undefined) {
    const chunks: Buffer[] = [];
    let code = -1;
    const child = spawn(file, args, { cwd: cwd ?? this.disk().workDir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    const done = new Promise<void>((resolve) => {
      child.on('error', (e) => {
        chunks.push(Buffer.from(e.message));
        code = 127;
        resolve();
      });
      child.on('close', (c) => {
        code = c ?? 1;
        resolve();
      });
    });
    return { done, exitCode: () => code, output: () => Buffer.concat(chunks).toString('utf8') };
  }
}

function sendFrames(ws: WebSocket, prefix: Buffer, data: Buffer): void {
  for (let at = 0; at < data.length; at += LOG_FRAME_BYTES) {
    ws.send(Buffer.concat([prefix, data.subarray(at, at + LOG_FRAME_BYTES)]), { binary: true });
  }
}
