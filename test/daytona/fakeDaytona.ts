/**
 * A fake Daytona on 127.0.0.1 that the real @daytonaio/sdk talks to: the control-plane API under /api (sandboxes with
 * states, labels, start/stop/delete, toolbox proxy URL, preview URL) and each sandbox's toolbox under
 * /toolbox/<id>/… (files, process, sessions, PTY WebSocket), working on a temporary directory per sandbox. It counts
 * requests per route, can add latency to every request, and injects faults: a wrong key (401), queued error answers
 * (429, 500, …) per route, a create that never reaches "started", PTY sockets dropped mid-stream.
 * No /socket.io/: the SDK falls back to polling sandbox state.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { connect as netConnect, type AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { fileRoutes, type SandboxDisk } from './fakeFiles';
import { delay, match, readJson, route, sendError, sendJson, type Route } from './fakeHttp';
import { FakeProcesses } from './fakeProcess';
import { FakePtys } from './fakePty';

export interface FakeDaytonaOptions {
  apiKey?: string;
  /** How long "creating"/"starting"/"stopping" last. */
  transitionMs?: number;
}

interface FakeSandbox {
  id: string;
  name: string;
  state: string;
  labels: Record<string, string>;
  env: Record<string, string>;
  target: string;
  public: boolean;
  autoStopInterval: number;
  createdAt: string;
  disk: SandboxDisk;
  processes: FakeProcesses;
  ptys: FakePtys;
  toolboxRoutes: Route[];
}

interface QueuedFault {
  route: string | undefined;
  status: number;
  message: string;
}

export class FakeDaytona {
  readonly apiKey: string;
  /** The body of the last create request, as the SDK sent it. */
  lastCreateRequest: Record<string, unknown> | undefined;
  /** Requests per route key, e.g. "POST /files/bulk-upload" or "GET /sandbox/:id". */
  readonly requests = new Map<string, number>();
  /** Added before every HTTP answer and WebSocket upgrade. */
  latencyMs = 0;
  /** New sandboxes stay "creating" forever. */
  slowCreate = false;
  /** Applied to the PTYs of every sandbox (see PtyFaults). */
  dropPtyAfterBytes: number | undefined;
  losePtyTailOnExit = false;

  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => pickProtocol([...protocols]) });
  private readonly sandboxes = new Map<string, FakeSandbox>();
  private readonly faults: QueuedFault[] = [];
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-daytona-'));
  private readonly transitionMs: number;
  private readonly apiRoutes: Route[];
  private port = 0;

  constructor(options: FakeDaytonaOptions = {}) {
    this.apiKey = options.apiKey ?? 'fake-key';
    this.transitionMs = options.transitionMs ?? 30;
    this.apiRoutes = this.makeApiRoutes();
    this.server.on('upgrade', (req, socket, head) => void this.upgrade(req, socket, head));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** The next `count` requests to `route` (or to any route) are answered with `status`. */
  failNext(status: number, options: { route?: string; count?: number; message?: string } = {}): void {
    for (let i = 0; i < (options.count ?? 1); i++) {
      this.faults.push({ route: options.route, status, message: options.message ?? `injected ${status}` });
    }
  }

  count(routeKey: string): number {
    return this.requests.get(routeKey) ?? 0;
  }

  resetCounts(): void {
    this.requests.clear();
  }

  /** Cuts every PTY socket of every sandbox now (no close frame). */
  dropPtySockets(): void {
    for (const s of this.sandboxes.values()) s.ptys.dropAll();
  }

  /** A sandbox's state, as the API would report it. */
  state(id: string): string | undefined {
    return this.sandboxes.get(id)?.state;
  }

  /** A sandbox's working directory on this machine (where uploads land). */
  workDir(id: string): string {
    const s = this.sandboxes.get(id);
    if (!s) throw new Error(`no sandbox ${id}`);
    return s.disk.workDir;
  }

  sandboxIds(): string[] {
    return [...this.sandboxes.values()].filter((s) => s.state !== 'destroyed' && s.state !== 'destroying').map((s) => s.id);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sandboxes.values()].map((s) => s.ptys.dispose()));
    for (const ws of this.wss.clients) ws.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname.startsWith('/preview/')) return this.preview(req, res, url);
    try {
      if (this.latencyMs > 0) await delay(this.latencyMs);
      const found = this.route(req.method ?? 'GET', url.pathname);
      if (!found) return sendError(res, 404, `no route ${req.method} ${url.pathname}`, 'NOT_FOUND');
      const key = `${found.route.method} ${found.route.pattern}`;
      this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
      if (!this.authorized(req)) return sendError(res, 401, 'Invalid credentials', 'UNAUTHORIZED');
      const fault = this.takeFault(key);
      if (fault) return sendError(res, fault.status, fault.message, fault.status === 429 ? 'TOO_MANY_REQUESTS' : 'INTERNAL_ERROR');
      if (found.sandbox && found.sandbox.state !== 'started') {
        return sendError(res, 502, `sandbox ${found.sandbox.id} is ${found.sandbox.state}`, 'SANDBOX_NOT_STARTED', 'DAYTONA_PROXY');
      }
      await found.route.handler(req, res, found.params, url);
    } catch (e) {
      if (!res.headersSent) sendError(res, 500, (e as Error).message, 'INTERNAL_ERROR');
    }
  }

  /** /api/… is the control plane; /toolbox/<id>/… is that sandbox's daemon. */
  private route(method: string, pathname: string): { route: Route; params: Record<string, string>; sandbox?: FakeSandbox } | undefined {
    if (pathname.startsWith('/api/')) return match(this.apiRoutes, method, pathname.slice(4));
    const m = /^\/toolbox\/([^/]+)(\/.*)$/.exec(pathname);
    const sandbox = m ? this.sandboxes.get(m[1]) : undefined;
    if (!m || !sandbox) return undefined;
    const found = match(sandbox.toolboxRoutes, method, m[2]);
    return found && { ...found, sandbox };
  }

  /**
   * Daytona's preview proxy: /preview/<sandbox>/<port>/… reaches that port in the sandbox (here: on this machine),
   * with the sandbox's token in x-daytona-preview-token unless the sandbox is public.
   */
  private preview(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const m = /^\/preview\/([^/]+)\/(\d+)(\/.*)?$/.exec(url.pathname);
    const sandbox = m ? this.sandboxes.get(m[1]) : undefined;
    if (!m || !sandbox) return sendError(res, 404, 'no such preview', 'NOT_FOUND');
    this.requests.set('GET /preview', (this.requests.get('GET /preview') ?? 0) + 1);
    if (!sandbox.public && req.headers['x-daytona-preview-token'] !== `preview-${sandbox.id}`) return sendError(res, 401, 'preview token missing or wrong', 'UNAUTHORIZED');
    const upstream = http.request({ host: '127.0.0.1', port: Number(m[2]), method: req.method, path: `${m[3] ?? '/'}${url.search}`, headers: { ...req.headers, host: `127.0.0.1:${m[2]}` } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (e) => sendError(res, 502, `nothing listens on port ${m[2]} in the sandbox: ${e.message}`, 'BAD_GATEWAY'));
    req.pipe(upstream);
  }

  /** A WebSocket through the preview proxy (a dev server's hot reload): the same token rule, then raw bytes both ways. */
  private previewUpgrade(req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer, url: URL): void {
    const m = /^\/preview\/([^/]+)\/(\d+)(\/.*)?$/.exec(url.pathname);
    const sandbox = m ? this.sandboxes.get(m[1]) : undefined;
    if (!m || !sandbox || (!sandbox.public && req.headers['x-daytona-preview-token'] !== `preview-${sandbox.id}`)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    const upstream = netConnect(Number(m[2]), '127.0.0.1', () => {
      const headers = Object.entries(req.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
      upstream.write(`${req.method} ${m[3] ?? '/'}${url.search} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  }

  private authorized(req: http.IncomingMessage): boolean {
    return req.headers.authorization === `Bearer ${this.apiKey}`;
  }

  private takeFault(key: string): QueuedFault | undefined {
    const i = this.faults.findIndex((f) => f.route === undefined || f.route === key);
    return i < 0 ? undefined : this.faults.splice(i, 1)[0];
  }

  private async upgrade(req: http.IncomingMessage, socket: import('node:stream').Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname.startsWith('/preview/')) return this.previewUpgrade(req, socket, head, url);
    if (this.latencyMs > 0) await delay(this.latencyMs);
    const m = /^\/toolbox\/([^/]+)\/process\/(pty\/create-connect|pty\/([^/]+)\/connect|session\/([^/]+)\/command\/([^/]+)\/logs)$/.exec(url.pathname);
    const sandbox = m ? this.sandboxes.get(m[1]) : undefined;
    const refuse = (status: number) => {
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!m || !sandbox) return refuse(404);
    const key = m[2] === 'pty/create-connect' ? 'WS /process/pty/create-connect' : m[3] ? 'WS /process/pty/:pid/connect' : 'WS /process/session/:sid/command/:cid/logs';
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    if (!this.authorized(req)) return refuse(401);
    const fault = this.takeFault(key);
    if (fault) return refuse(fault.status);
    if (sandbox.state !== 'started') return refuse(502);
    const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      sandbox.ptys.faults.dropAfterBytes = this.dropPtyAfterBytes;
      sandbox.ptys.faults.loseTailOnExit = this.losePtyTailOnExit;
      if (m[2] === 'pty/create-connect') void sandbox.ptys.createAndAttach(url, protocols, ws);
      else if (m[3]) sandbox.ptys.connect(m[3], ws);
      else sandbox.processes.followLogs(m[4], m[5], ws);
    });
  }

  private makeApiRoutes(): Route[] {
    const find = (idOrName: string) => [...this.sandboxes.values()].find((s) => (s.id === idOrName || s.name === idOrName) && s.state !== 'destroyed');
    const withSandbox =
      (fn: (s: FakeSandbox, res: http.ServerResponse, params: Record<string, string>) => void | Promise<void>) =>
      (_req: http.IncomingMessage, res: http.ServerResponse, params: Record<string, string>) => {
        const s = find(params.id);
        if (!s) return sendError(res, 404, `Sandbox with ID or name ${params.id} not found`, 'NOT_FOUND');
        return fn(s, res, params);
      };
    return [
      route('POST', '/sandbox', async (req, res) => {
        const body = await readJson<Parameters<FakeDaytona['create']>[0] & Record<string, unknown>>(req);
        this.lastCreateRequest = body;
        sendJson(res, 200, this.dto(this.create(body)));
      }),
      route('GET', '/sandbox', (_req, res, _p, url) => {
        const wanted = JSON.parse(url.searchParams.get('labels') ?? '{}') as Record<string, string>;
        const items = [...this.sandboxes.values()].filter((s) => s.state !== 'destroyed' && Object.entries(wanted).every(([k, v]) => s.labels[k] === v));
        sendJson(res, 200, { items: items.map((s) => this.dto(s)), nextCursor: null });
      }),
      route('GET', '/sandbox/:id', withSandbox((s, res) => sendJson(res, 200, this.dto(s)))),
      route('GET', '/sandbox/:id/toolbox-proxy-url', withSandbox((_s, res) => sendJson(res, 200, { url: this.toolboxUrl() }))),
      route('POST', '/sandbox/:id/start', withSandbox((s, res) => {
        if (s.state !== 'started') this.transition(s, 'starting', 'started');
        sendJson(res, 200, this.dto(s));
      })),
      route('POST', '/sandbox/:id/stop', withSandbox(async (s, res) => {
        await s.ptys.dispose();
        this.transition(s, 'stopping', 'stopped');
        sendJson(res, 200, this.dto(s));
      })),
      route('DELETE', '/sandbox/:id', withSandbox(async (s, res) => {
        await s.ptys.dispose();
        this.transition(s, 'destroying', 'destroyed');
        sendJson(res, 200, this.dto(s));
      })),
      route('GET', '/sandbox/:id/ports/:port/preview-url', withSandbox((s, res, p) => {
        sendJson(res, 200, { sandboxId: s.id, url: `http://127.0.0.1:${this.port}/preview/${s.id}/${p.port}`, token: `preview-${s.id}` });
      })),
    ];
  }

  private create(body: { name?: string; labels?: Record<string, string>; env?: Record<string, string>; target?: string; public?: boolean; autoStopInterval?: number }): FakeSandbox {
    const id = randomUUID();
    const root = path.join(this.dir, id);
    const disk: SandboxDisk = { root, workDir: path.join(root, 'home', 'daytona') };
    fs.mkdirSync(disk.workDir, { recursive: true });
    const processes = new FakeProcesses(() => disk);
    const ptys = new FakePtys(() => disk);
    const s: FakeSandbox = {
      id,
      name: body.name ?? id,
      state: 'creating',
      labels: body.labels ?? {},
      env: body.env ?? {},
      target: body.target ?? 'us',
      public: body.public ?? false,
      autoStopInterval: body.autoStopInterval ?? 15,
      createdAt: new Date().toISOString(),
      disk,
      processes,
      ptys,
      toolboxRoutes: [
        ...fileRoutes(() => disk),
        ...processes.routes(),
        ...ptys.routes(),
        route('GET', '/work-dir', (_req, res) => sendJson(res, 200, { dir: disk.workDir })),
        route('GET', '/user-home-dir', (_req, res) => sendJson(res, 200, { dir: disk.workDir })),
      ],
    };
    this.sandboxes.set(id, s);
    if (!this.slowCreate) this.transition(s, 'creating', 'started');
    return s;
  }

  private transition(s: FakeSandbox, during: string, after: string): void {
    s.state = during;
    setTimeout(() => {
      if (s.state === during) s.state = after;
    }, this.transitionMs);
  }

  private toolboxUrl(): string {
    return `http://127.0.0.1:${this.port}/toolbox`;
  }

  private dto(s: FakeSandbox): unknown {
    return {
      id: s.id,
      name: s.name,
      organizationId: 'fake-org',
      user: 'daytona',
      env: s.env,
      labels: s.labels,
      public: s.public,
      networkBlockAll: false,
      target: s.target,
      cpu: 1,
      gpu: 0,
      memory: 1,
      disk: 3,
      state: s.state,
      autoStopInterval: s.autoStopInterval,
      createdAt: s.createdAt,
      updatedAt: new Date().toISOString(),
      toolboxProxyUrl: this.toolboxUrl(),
    };
  }
}

/** The daemon answers with one of the offered subprotocols; the exit-control token when offered. */
function pickProtocol(offered: string[]): string | false {
  return offered.find((p) => p === 'X-Daytona-Pty-Exit-Control') ?? offered[0] ?? false;
}
