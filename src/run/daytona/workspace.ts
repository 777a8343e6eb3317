/**
 * A workspace opened on Daytona, ready for builds: client connected, sandbox found or created and started,
 * files pushed, dependencies installed when the lockfile changed; each step timed. What the CLI and the extension
 * both need; nothing here knows about VS Code.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KirbyDaytonaError } from './errors';
import { DaytonaBackend } from './remotePtyRunner';
import { ensureSandbox, StepTimer, workspaceLabels, type StepTiming } from './sandbox';
import { connectDaytona, type DaytonaSettings, type SandboxHandle } from './sdkAdapter';
import { fileManifestStore, pullChanges, pushWorkspace, shellQuote, type PullReport, type SyncReport } from './sync';
import { hashFile } from './workspaceScan';

export interface DaytonaWorkspaceOptions {
  settings: DaytonaSettings;
  localRoot: string;
  /** A local folder for Kirby's per-sandbox state (sync manifests). */
  stateDir: string;
  image?: string;
  snapshot?: string;
  readyTimeoutSeconds?: number;
  autoStopMinutes?: number;
  public?: boolean;
  resources?: { cpu?: number; memory?: number; disk?: number };
  exclude?: readonly string[];
  uploadSecrets?: boolean;
  /** Run in the sandbox after a push when the lockfile changed, e.g. "npm ci"; none when undefined. */
  installCommand?: string;
  installTimeoutSeconds?: number;
  /** Told as each setup step begins: find, create, start, sync, install. */
  onStep?: (step: string) => void;
}

export interface DaytonaWorkspace {
  readonly sandbox: SandboxHandle;
  readonly created: boolean;
  readonly backend: DaytonaBackend;
  readonly steps: readonly StepTiming[];
  readonly sync: SyncReport;
  readonly remoteRoot: string;
  push(): Promise<SyncReport>;
  pull(): Promise<PullReport>;
  dispose(): Promise<void>;
}

const LOCKFILES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lockb', 'bun.lock'];

export async function openDaytonaWorkspace(options: DaytonaWorkspaceOptions): Promise<DaytonaWorkspace> {
  const timer = new StepTimer(undefined, options.onStep);
  const client = await connectDaytona(options.settings);
  let createdNow: SandboxHandle | undefined;
  try {
    const ready = await ensureSandbox(client, {
      labels: workspaceLabels(options.localRoot),
      image: options.image,
      snapshot: options.snapshot,
      readyTimeoutSeconds: options.readyTimeoutSeconds ?? 120,
      autoStopMinutes: options.autoStopMinutes,
      public: options.public,
      resources: options.resources,
      timer,
    });
    const sandbox = ready.sandbox;
    if (ready.created) createdNow = sandbox;
    const workDir = await sandbox.workDir();
    const remoteRoot = `${workDir}/workspace`;
    const store = fileManifestStore(path.join(options.stateDir, `${sandbox.id}.json`));
    const push = () => pushWorkspace(sandbox, options.localRoot, remoteRoot, store, { exclude: options.exclude, uploadSecrets: options.uploadSecrets });
    const sync = await timer.time('sync', push);
    if (options.installCommand) await timer.time('install', () => installIfLockChanged(sandbox, options, remoteRoot));
    const backend = new DaytonaBackend({ ptys: sandbox.ptys, files: sandbox.files, localRoot: options.localRoot, remoteRoot, stateDir: `${workDir}/.kirby` });
    return {
      sandbox,
      created: ready.created,
      backend,
      steps: timer.steps,
      sync,
      remoteRoot,
      push,
      pull: () => pullChanges(sandbox, options.localRoot, remoteRoot, store, { exclude: options.exclude }),
      dispose: () => client.dispose(),
    };
  } catch (e) {
    // a sandbox made for this setup and not usable is deleted (nothing left behind, nothing billed); a reused one stays
    await createdNow?.delete().catch(() => undefined);
    await client.dispose();
    throw e;
  }
}

/** Installs when the lockfile's hash differs from the one recorded after the last successful install. */
async function installIfLockChanged(sandbox: SandboxHandle, options: DaytonaWorkspaceOptions, remoteRoot: string): Promise<void> {
  const lock = LOCKFILES.map((f) => path.join(options.localRoot, f)).find((f) => fs.existsSync(f));
  const state = `${options.installCommand}\n${lock ? await hashFile(lock) : 'no lockfile'}`;
  const marker = path.join(options.stateDir, `${sandbox.id}.installed`);
  if (readText(marker) === state) return;
  const script = `cd ${shellQuote(remoteRoot)} && ${options.installCommand} 2>&1`;
  const r = await sandbox.exec(`sh -c ${shellQuote(script)}`, remoteRoot, options.installTimeoutSeconds ?? 900);
  if (r.exitCode !== 0) {
    throw new KirbyDaytonaError(
      'sandbox-failed',
      `"${options.installCommand}" failed in the sandbox (exit code ${r.exitCode}):\n${r.output.trim().slice(-4000)}\n`,
      'Sandboxes on lower Daytona tiers may have restricted outbound network, so installing packages can fail; check the output above and your tier.',
    );
  }
  await fs.promises.mkdir(options.stateDir, { recursive: true });
  await fs.promises.writeFile(marker, state);
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The install a lockfile asks for ("auto"), or undefined with no package.json at all. */
export function autoInstallCommand(root: string): string | undefined {
  const has = (file: string) => fs.existsSync(path.join(root, file));
  if (has('pnpm-lock.yaml')) return 'pnpm install --frozen-lockfile';
  if (has('yarn.lock')) return 'yarn install --frozen-lockfile';
  if (has('bun.lock') || has('bun.lockb')) return 'bun install';
  if (has('package-lock.json')) return 'npm ci';
  return has('package.json') ? 'npm install' : undefined;
}
