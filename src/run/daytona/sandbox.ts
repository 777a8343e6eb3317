/**
 * One labelled sandbox per workspace: found again by its labels or created, waited for with a bounded timeout,
 * deleted again when its setup fails (nothing is left behind, nothing billed for), each step timed.
 */
import { createHash } from 'node:crypto';
import { KirbyDaytonaError } from './errors';
import type { CreateSandboxRequest, DaytonaClient, SandboxHandle } from './sdkAdapter';

export const KIRBY_LABEL = 'kirby';

/** The labels of a workspace's sandbox: the folder path is hashed, never sent. */
export function workspaceLabels(workspaceFolder: string): Record<string, string> {
  const hash = createHash('sha256').update(workspaceFolder).digest('hex').slice(0, 16);
  return { [KIRBY_LABEL]: '1', workspace: hash };
}

export interface StepTiming {
  step: 'find' | 'create' | 'start' | 'sync' | 'install' | string;
  ms: number;
}

/** Collects how long each setup step took, for the log and the run record. */
export class StepTimer {
  readonly steps: StepTiming[] = [];

  constructor(
    private readonly now: () => number = () => performance.now(),
    /** Told when a step begins (a terminal shows "creating the sandbox…" while it waits). */
    private readonly onStart?: (step: string) => void,
  ) {}

  async time<T>(step: string, work: () => Promise<T>): Promise<T> {
    this.onStart?.(step);
    const start = this.now();
    try {
      return await work();
    } finally {
      this.steps.push({ step, ms: Math.round(this.now() - start) });
    }
  }
}

export interface EnsureSandboxOptions {
  labels: Record<string, string>;
  image?: string;
  snapshot?: string;
  /** Longest wait for "started", create or start (seconds). */
  readyTimeoutSeconds: number;
  autoStopMinutes?: number;
  /** Previews open to anyone with the link (off: they need the sandbox's token). */
  public?: boolean;
  resources?: CreateSandboxRequest['resources'];
  timer?: StepTimer;
}

export interface ReadySandbox {
  sandbox: SandboxHandle;
  created: boolean;
  steps: StepTiming[];
}

/** Failures that mean the create request was refused, so there is nothing to clean up. */
const NOTHING_CREATED = new Set(['no-key', 'unauthorized', 'forbidden', 'rate-limited']);

/** States after which a sandbox will not come back by starting it. */
const GONE = new Set(['destroyed', 'destroying', 'error', 'build_failed']);

/** Reuses the workspace's sandbox (starting it if stopped) or creates one; a sandbox it created and could not start is deleted. */
export async function ensureSandbox(client: DaytonaClient, options: EnsureSandboxOptions): Promise<ReadySandbox> {
  const timer = options.timer ?? new StepTimer();
  const existing = (await timer.time('find', () => client.list(options.labels))).find((s) => !GONE.has(s.state ?? ''));
  if (existing) {
    if (existing.state !== 'started') {
      await timer.time('start', () => withReadiness(existing, options.readyTimeoutSeconds, () => startOrWait(existing, options.readyTimeoutSeconds)));
    }
    return { sandbox: existing, created: false, steps: timer.steps };
  }
  const request: CreateSandboxRequest = {
    labels: options.labels,
    image: options.image,
    snapshot: options.snapshot,
    autoStopMinutes: options.autoStopMinutes,
    public: options.public,
    resources: options.resources,
  };
  let created: SandboxHandle | undefined;
  try {
    created = await timer.time('create', () => client.create(request, options.readyTimeoutSeconds));
  } catch (e) {
    // the SDK gives up waiting without saying which sandbox it made: find it by its labels and delete it
    if (!(e instanceof KirbyDaytonaError) || !NOTHING_CREATED.has(e.failure)) await deleteQuietly(client, options.labels);
    throw readinessError(e, options.readyTimeoutSeconds);
  }
  return { sandbox: created, created: true, steps: timer.steps };
}

async function startOrWait(sandbox: SandboxHandle, timeoutSeconds: number): Promise<void> {
  if (sandbox.state === 'stopped' || sandbox.state === 'archived') await sandbox.start(timeoutSeconds);
  else await sandbox.waitUntilStarted(timeoutSeconds);
}

async function withReadiness(sandbox: SandboxHandle, timeoutSeconds: number, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    throw readinessError(e, timeoutSeconds, sandbox.id);
  }
}

function readinessError(e: unknown, timeoutSeconds: number, id?: string): unknown {
  if (!(e instanceof KirbyDaytonaError) || e.failure !== 'timeout') return e;
  return new KirbyDaytonaError(
    'timeout',
    `The Daytona sandbox${id ? ` ${id}` : ''} was not ready within ${timeoutSeconds} s.`,
    'Daytona may be busy: retry, or raise kirby.daytona.readyTimeoutSeconds. A sandbox Kirby created for it was deleted.',
  );
}

async function deleteQuietly(client: DaytonaClient, labels: Record<string, string>): Promise<void> {
  try {
    for (const s of await client.list(labels)) if (!GONE.has(s.state ?? '')) await s.delete();
  } catch {
    // the original failure is what the user needs to see
  }
}

/** Every sandbox Kirby made (any workspace), for a "delete Kirby's sandboxes" command. */
export async function listKirbySandboxes(client: DaytonaClient): Promise<SandboxHandle[]> {
  return (await client.list({ [KIRBY_LABEL]: '1' })).filter((s) => !GONE.has(s.state ?? ''));
}

export async function deleteKirbySandboxes(client: DaytonaClient, labels: Record<string, string> = { [KIRBY_LABEL]: '1' }): Promise<number> {
  const doomed = (await client.list(labels)).filter((s) => !GONE.has(s.state ?? ''));
  for (const s of doomed) await s.delete();
  return doomed.length;
}

/**
 * Decides when an idle sandbox should be stopped (Daytona bills while it runs). Pure: the clock is passed in, the
 * caller does the stopping. Activity is anything the user or a build did; a running build always counts as activity.
 */
export class IdleWatchdog {
  private lastActivity: number;
  private running = 0;

  constructor(
    private readonly idleMs: number,
    private readonly now: () => number,
  ) {
    this.lastActivity = now();
  }

  activity(): void {
    this.lastActivity = this.now();
  }

  buildStarted(): void {
    this.running++;
    this.activity();
  }

  buildEnded(): void {
    this.running = Math.max(0, this.running - 1);
    this.activity();
  }

  /** true once nothing has run or happened for idleMs (0 = never stop). */
  shouldStop(): boolean {
    return this.idleMs > 0 && this.running === 0 && this.now() - this.lastActivity >= this.idleMs;
  }

  /** How long until shouldStop() can first be true, for scheduling the next check. */
  msUntilIdle(): number {
    if (this.idleMs <= 0 || this.running > 0) return Infinity;
    return Math.max(0, this.lastActivity + this.idleMs - this.now());
  }
}
