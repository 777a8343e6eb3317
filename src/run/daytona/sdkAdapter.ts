/**
 * The only module that touches @daytonaio/sdk. It is loaded on first use (never at activation), every setting is
 * passed explicitly (so the SDK never takes its endpoint or key from a workspace's .env), and every failure leaves
 * here as a KirbyDaytonaError. A rename of the package is a change to `loadSdk` alone.
 */
import type * as Sdk from '@daytonaio/sdk';
import { KirbyDaytonaError, SET_KEY_STEP } from './errors';

export interface DaytonaSettings {
  apiKey: string | undefined;
  /** e.g. https://app.daytona.io/api */
  apiUrl: string;
  /** The region, e.g. "us". Always given: a missing one makes the SDK read DAYTONA_TARGET from .env in the cwd. */
  target: string;
  /** Poll sandbox state (100 ms) instead of the SDK's event socket; the fake server has no socket.io. */
  pollState?: boolean;
  requestTimeoutMs?: number;
}

export interface CreateSandboxRequest {
  labels: Record<string, string>;
  image?: string;
  snapshot?: string;
  envVars?: Record<string, string>;
  /** Minutes of inactivity before Daytona stops the sandbox (0 = never). */
  autoStopMinutes?: number;
  public?: boolean;
  /** vCPUs, memory and disk in GiB: only for a sandbox made from an image (a snapshot brings its own). */
  resources?: { cpu?: number; memory?: number; disk?: number };
}

export interface RemoteFileInfo {
  name: string;
  isDir: boolean;
  size: number;
}

export interface RemoteFiles {
  /** One multipart request for all files. */
  upload(files: readonly { path: string; content: Buffer }[], timeoutSeconds?: number): Promise<void>;
  /** One request for all paths; a path that failed maps to an Error. */
  download(paths: readonly string[]): Promise<Map<string, Buffer | Error>>;
  list(dir: string): Promise<RemoteFileInfo[]>;
  createFolder(path: string, mode?: string): Promise<void>;
  delete(path: string, recursive?: boolean): Promise<void>;
}

export interface PtyClosed {
  /** Undefined when the socket was lost rather than the process ending. */
  exitCode?: number;
  reason?: string;
}

export interface RemotePty {
  /** Settles once, when the session's socket closes for whatever reason. */
  readonly closed: Promise<PtyClosed>;
  send(data: string): Promise<void>;
  resize(cols: number, rows: number): Promise<void>;
  disconnect(): Promise<void>;
}

export interface PtyCreateRequest {
  id: string;
  cwd: string;
  envs: Record<string, string>;
  cols: number;
  rows: number;
  onData: (data: Uint8Array) => void;
}

export interface RemotePtys {
  create(request: PtyCreateRequest): Promise<RemotePty>;
  /** Reattaches to a running session; the daemon replays nothing written while detached. */
  connect(id: string, onData: (data: Uint8Array) => void): Promise<RemotePty>;
  /** false when the session is gone (its process ended). */
  isAlive(id: string): Promise<boolean>;
  kill(id: string): Promise<void>;
}

export interface SandboxHandle {
  readonly id: string;
  readonly state: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly files: RemoteFiles;
  readonly ptys: RemotePtys;
  waitUntilStarted(timeoutSeconds: number): Promise<void>;
  start(timeoutSeconds: number): Promise<void>;
  stop(timeoutSeconds: number): Promise<void>;
  delete(): Promise<void>;
  workDir(): Promise<string>;
  /** Runs a command line directly (no shell unless it says `sh -c`); output is stdout and stderr together. */
  exec(command: string, cwd?: string, timeoutSeconds?: number): Promise<{ exitCode: number; output: string }>;
  previewLink(port: number): Promise<{ url: string; token: string }>;
}

export interface DaytonaClient {
  create(request: CreateSandboxRequest, timeoutSeconds: number): Promise<SandboxHandle>;
  get(id: string): Promise<SandboxHandle>;
  list(labels: Record<string, string>): Promise<SandboxHandle[]>;
  dispose(): Promise<void>;
}

type SdkModule = typeof Sdk;

let sdkPromise: Promise<SdkModule> | undefined;
function loadSdk(): Promise<SdkModule> {
  // in a bundle this is a real import() of dist/daytona-sdk.js (CommonJS): its exports arrive under `default`
  sdkPromise ??= import('@daytonaio/sdk').then((m: SdkModule & { default?: SdkModule }) => (m.default?.Daytona ? m.default : m));
  return sdkPromise;
}

/** Connects (lazily loading the SDK). Throws KirbyDaytonaError('no-key') before any request without a key. */
export async function connectDaytona(settings: DaytonaSettings): Promise<DaytonaClient> {
  if (!settings.apiKey) throw new KirbyDaytonaError('no-key', 'No Daytona API key is set.', SET_KEY_STEP);
  const sdk = await loadSdk();
  const errors = new ErrorMapper(sdk, settings.apiUrl);
  try {
    const daytona = new sdk.Daytona({
      apiKey: settings.apiKey,
      apiUrl: settings.apiUrl,
      target: settings.target,
      useDeprecatedPolling: settings.pollState ?? false,
      otelEnabled: false,
      requestTimeoutMs: settings.requestTimeoutMs,
    });
    return new Client(daytona, errors);
  } catch (e) {
    throw errors.map(e);
  }
}

class Client implements DaytonaClient {
  constructor(
    private readonly daytona: Sdk.Daytona,
    private readonly errors: ErrorMapper,
  ) {}

  create(request: CreateSandboxRequest, timeoutSeconds: number): Promise<SandboxHandle> {
    const base = {
      labels: request.labels,
      envVars: request.envVars,
      autoStopInterval: request.autoStopMinutes,
      public: request.public,
    };
    const resources = request.resources && Object.keys(request.resources).length > 0 ? request.resources : undefined;
    const params = request.image ? { ...base, image: request.image, resources } : { ...base, snapshot: request.snapshot };
    return this.errors.guard(async () => new Handle(await this.daytona.create(params, { timeout: timeoutSeconds }), this.errors));
  }

  get(id: string): Promise<SandboxHandle> {
    return this.errors.guard(async () => new Handle(await this.daytona.get(id), this.errors));
  }

  list(labels: Record<string, string>): Promise<SandboxHandle[]> {
    return this.errors.guard(async () => {
      const found: SandboxHandle[] = [];
      for await (const sandbox of this.daytona.list({ labels })) found.push(new Handle(sandbox, this.errors));
      return found;
    });
  }

  async dispose(): Promise<void> {
    await this.daytona[Symbol.asyncDispose]().catch(() => undefined);
  }
}

class Handle implements SandboxHandle {
  readonly files: RemoteFiles;
  readonly ptys: RemotePtys;

  constructor(
    private readonly sandbox: Sdk.Sandbox,
    private readonly errors: ErrorMapper,
  ) {
    this.files = new Files(sandbox.fs, errors);
    this.ptys = new Ptys(sandbox.process, errors);
  }

  get id(): string {
    return this.sandbox.id;
  }
  get state(): string | undefined {
    return this.sandbox.state;
  }
  get labels(): Readonly<Record<string, string>> {
    return this.sandbox.labels ?? {};
  }

  waitUntilStarted(timeoutSeconds: number): Promise<void> {
    return this.errors.guard(() => this.sandbox.waitUntilStarted(timeoutSeconds));
  }
  start(timeoutSeconds: number): Promise<void> {
    return this.errors.guard(() => this.sandbox.start(timeoutSeconds));
  }
  stop(timeoutSeconds: number): Promise<void> {
    return this.errors.guard(() => this.sandbox.stop(timeoutSeconds));
  }
  delete(): Promise<void> {
    return this.errors.guard(() => this.sandbox.delete());
  }
  workDir(): Promise<string> {
    return this.errors.guard(async () => (await this.sandbox.getWorkDir()) ?? '');
  }
  exec(command: string, cwd?: string, timeoutSeconds?: number): Promise<{ exitCode: number; output: string }> {
    return this.errors.guard(async () => {
      const r = await this.sandbox.process.executeCommand(command, cwd, undefined, timeoutSeconds);
      return { exitCode: r.exitCode ?? -1, output: r.result };
    });
  }
  previewLink(port: number): Promise<{ url: string; token: string }> {
    return this.errors.guard(async () => {
      const link = await this.sandbox.getPreviewLink(port);
      return { url: link.url, token: link.token };
    });
  }
}

class Files implements RemoteFiles {
  constructor(
    private readonly fs: Sdk.FileSystem,
    private readonly errors: ErrorMapper,
  ) {}

  upload(files: readonly { path: string; content: Buffer }[], timeoutSeconds = 30 * 60): Promise<void> {
    if (files.length === 0) return Promise.resolve();
    return this.errors.guard(() => this.fs.uploadFiles(files.map((f) => ({ source: f.content, destination: f.path })), timeoutSeconds));
  }

  download(paths: readonly string[]): Promise<Map<string, Buffer | Error>> {
    return this.errors.guard(async () => {
      const out = new Map<string, Buffer | Error>();
      if (paths.length === 0) return out;
      for (const r of await this.fs.downloadFiles(paths.map((source) => ({ source })))) {
        out.set(r.source, r.error || !Buffer.isBuffer(r.result) ? new Error(r.error ?? 'no data') : r.result);
      }
      return out;
    });
  }

  list(dir: string): Promise<RemoteFileInfo[]> {
    return this.errors.guard(async () => (await this.fs.listFiles(dir)).map((f) => ({ name: f.name, isDir: f.isDir, size: f.size })));
  }

  createFolder(path: string, mode = '755'): Promise<void> {
    return this.errors.guard(() => this.fs.createFolder(path, mode));
  }

  delete(path: string, recursive = false): Promise<void> {
    return this.errors.guard(() => this.fs.deleteFile(path, recursive));
  }
}

class Ptys implements RemotePtys {
  constructor(
    private readonly process: Sdk.Process,
    private readonly errors: ErrorMapper,
  ) {}

  create(request: PtyCreateRequest): Promise<RemotePty> {
    return this.errors.guard(async () => {
      const handle = await this.process.createPty({ ...request, onData: (d) => request.onData(d) });
      return new Pty(handle, this.errors);
    });
  }

  connect(id: string, onData: (data: Uint8Array) => void): Promise<RemotePty> {
    return this.errors.guard(async () => new Pty(await this.process.connectPty(id, { onData: (d) => onData(d) }), this.errors));
  }

  async isAlive(id: string): Promise<boolean> {
    try {
      return (await this.process.getPtySessionInfo(id)).active;
    } catch (e) {
      const mapped = this.errors.map(e);
      if (mapped.failure === 'not-found') return false;
      throw mapped;
    }
  }

  kill(id: string): Promise<void> {
    return this.errors.guard(() => this.process.killPtySession(id));
  }
}

class Pty implements RemotePty {
  readonly closed: Promise<PtyClosed>;

  constructor(
    private readonly handle: Sdk.PtyHandle,
    private readonly errors: ErrorMapper,
  ) {
    // wait() resolves on the socket's close with whatever exit data the close carried (none when it was lost)
    this.closed = handle.wait().then(
      (r) => ({ exitCode: r.exitCode, reason: r.error }),
      (e: unknown) => ({ reason: e instanceof Error ? e.message : String(e) }),
    );
  }

  send(data: string): Promise<void> {
    return this.errors.guard(() => this.handle.sendInput(data));
  }
  resize(cols: number, rows: number): Promise<void> {
    return this.errors.guard(async () => {
      await this.handle.resize(cols, rows);
    });
  }
  disconnect(): Promise<void> {
    return this.handle.disconnect().catch(() => undefined);
  }
}

/** Turns the SDK's error classes (matched by class, not name: a minified bundle renames them) into Kirby's. */
class ErrorMapper {
  constructor(
    private readonly sdk: SdkModule,
    private readonly apiUrl: string,
  ) {}

  async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      throw this.map(e);
    }
  }

  map(e: unknown): KirbyDaytonaError {
    if (e instanceof KirbyDaytonaError) return e;
    const sdk = this.sdk;
    const detail = e instanceof Error ? e.message : String(e);
    const status = e instanceof sdk.DaytonaError ? e.statusCode : undefined;
    if (status === 401 || e instanceof sdk.DaytonaAuthenticationError) {
      return new KirbyDaytonaError('unauthorized', `Daytona rejected the API key (401: ${detail}).`, SET_KEY_STEP, status);
    }
    if (status === 403) {
      return new KirbyDaytonaError(
        'forbidden',
        `Daytona refused the request (403: ${detail}).`,
        'Check in the Daytona dashboard that the key has the sandbox permissions and the organization is active.',
        status,
      );
    }
    if (status === 404) return new KirbyDaytonaError('not-found', `Not found on Daytona (404: ${detail}).`, '', status);
    if (status === 429) {
      return new KirbyDaytonaError(
        'rate-limited',
        `Daytona's rate limit or quota was reached (429: ${detail}).`,
        'Wait a minute and retry, or stop or delete sandboxes you no longer use to free quota.',
        status,
      );
    }
    if (status === 408 || status === 504 || e instanceof sdk.DaytonaTimeoutError || e instanceof sdk.DaytonaConnectionTimeoutError) {
      return new KirbyDaytonaError('timeout', `Daytona did not answer in time (${detail}).`, 'Retry; if it keeps happening, check status.daytona.io.', status);
    }
    if (e instanceof sdk.DaytonaConnectionError) {
      return new KirbyDaytonaError('network', `Could not reach Daytona at ${this.apiUrl} (${detail}).`, 'Check the network connection and kirby.daytona.apiUrl.');
    }
    if (status !== undefined && status >= 500) {
      return new KirbyDaytonaError('server', `Daytona had a server error (${status}: ${detail}).`, 'Retry in a moment; if it persists, check status.daytona.io.', status);
    }
    return new KirbyDaytonaError('other', `Daytona: ${detail}`, '', status);
  }
}
