import * as path from 'node:path';
import * as vscode from 'vscode';
import { DisposableStore } from '../../core/emitter';
import { formatDuration } from '../../core/summary';
import { IdleWatchdog } from '../../run/daytona/sandbox';
import type { SyncReport } from '../../run/daytona/sync';
import type { ProcessSample } from '../../core/runs/processTracker';
import type { DaytonaWorkspace } from '../../run/daytona/workspace';
import type { Backend, BuildProcess, SpawnOptions } from '../../run/types';
import type { Settings } from '../config';
import type { DaytonaAccess } from './daytonaAccess';

const STEP_WORDS: Record<string, string> = {
  find: 'looking for this workspace’s sandbox',
  create: 'creating a sandbox',
  start: 'starting the sandbox',
  sync: 'uploading the workspace',
  install: 'installing dependencies in the sandbox',
};
const SECRETS_CHOICE_KEY = 'kirby.daytona.uploadSecrets';
const SAVE_SYNC_DELAY_MS = 300;
const STOP_TIMEOUT_S = 60;

/**
 * The Daytona side of a workspace folder: its sandbox opened on the first remote build (setup steps told to the
 * build's terminal, timed), pushed again before each build and on save while a remote build runs, stopped when idle
 * past `kirby.daytona.autoStopMinutes` and when VS Code closes (unless `kirby.daytona.keepSandboxRunning`).
 */
export class RemoteWorkspaces implements vscode.Disposable {
  private readonly open = new Map<string, Promise<DaytonaWorkspace>>();
  private readonly running = new Map<string, number>();
  private readonly watchdogs = new Map<string, IdleWatchdog>();
  private readonly previews = new Map<string, Promise<string>>();
  private readonly store = new DisposableStore();
  private saveTimer: NodeJS.Timeout | undefined;
  private watchdogTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly access: DaytonaAccess,
    private readonly settings: Settings,
    private readonly stateDir: string,
    private readonly memento: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store.add(vscode.workspace.onDidSaveTextDocument((doc) => this.savedWhileRunning(doc.uri.fsPath)));
  }

  /** A backend that runs builds of `root` (a workspace folder) in its sandbox. */
  backendFor(root: string): Backend {
    return {
      kind: 'daytona',
      spawn: (options) => this.spawn(root, options),
    };
  }

  showError(e: unknown, doing: string): Promise<void> {
    return this.access.showError(e, doing);
  }

  /**
   * A URL on this machine for a port of the folder's sandbox: the preview link itself when previews are public,
   * else a loopback proxy that adds the preview token (a browser cannot send it by itself).
   */
  preview(ws: DaytonaWorkspace, port: number): Promise<string> {
    const key = `${ws.sandbox.id}:${port}`;
    let url = this.previews.get(key);
    if (!url) {
      url = (async () => {
        const link = await ws.sandbox.previewLink(port);
        if (this.settings.daytonaPublicPreview.value) return link.url;
        const { startPreviewProxy } = await import('../../run/daytona/previewProxy');
        const proxy = await startPreviewProxy(link);
        this.store.add({ dispose: () => void proxy.close() });
        return proxy.url;
      })();
      this.previews.set(key, url);
      url.catch(() => this.previews.delete(key));
    }
    return url;
  }

  /** The processes of the sandbox that runs builds of `cwd` (one `ps` there), if one is open. */
  async processes(cwd: string): Promise<ProcessSample[] | undefined> {
    const ws = await this.workspaceOf(cwd);
    if (!ws) return undefined;
    const { PS_ARGS, parsePs } = await import('../../run/processSampler');
    const result = await ws.sandbox.exec(`ps ${PS_ARGS.join(' ')}`);
    return result.exitCode === 0 ? parsePs(result.output) : undefined;
  }

  /** The local URL of a port of the sandbox that runs builds of `cwd`, if one is open. */
  async previewFor(cwd: string, port: number): Promise<string | undefined> {
    const ws = await this.workspaceOf(cwd);
    return ws ? this.preview(ws, port) : undefined;
  }


  /** The opened sandbox of the folder holding `file`, if any. */
  async workspaceOf(file: string): Promise<DaytonaWorkspace | undefined> {
    for (const [root, ws] of this.open) if (!path.relative(root, file).startsWith('..')) return ws.catch(() => undefined);
    return undefined;
  }

  private async spawn(root: string, options: SpawnOptions): Promise<BuildProcess> {
    const progress = (phase: string, message: string) => options.onProgress?.({ phase, message });
    const opening = this.open.get(root);
    let ws: DaytonaWorkspace;
    if (opening) {
      ws = await opening;
      progress('sync', 'syncing changes to the sandbox…');
      this.tellSync(await ws.push(), progress);
    } else {
      ws = await this.openWorkspace(root, progress);
    }
    progress('build', `running in Daytona sandbox ${ws.sandbox.id}`);
    const process = await ws.backend.spawn(options);
    this.buildStarted(root);
    process.onExit(() => this.buildEnded(root));
    return process;
  }

  private async openWorkspace(root: string, progress: (phase: string, message: string) => void): Promise<DaytonaWorkspace> {
    const { openDaytonaWorkspace, autoInstallCommand } = await import('../../run/daytona/workspace');
    const s = this.settings;
    const install = s.daytonaInstallCommand.value.trim();
    const opening = (async () =>
      openDaytonaWorkspace({
        settings: await this.access.settingsWithKey(),
        localRoot: root,
        stateDir: this.stateDir,
        image: s.daytonaImage.value || undefined,
        snapshot: s.daytonaSnapshot.value || undefined,
        readyTimeoutSeconds: s.daytonaReadyTimeoutSeconds.value,
        autoStopMinutes: s.daytonaAutoStopMinutes.value,
        public: s.daytonaPublicPreview.value,
        resources: s.daytonaResources.value,
        exclude: s.daytonaSyncExclude.value,
        uploadSecrets: this.memento.get<boolean>(SECRETS_CHOICE_KEY) === true,
        installCommand: install === 'auto' ? autoInstallCommand(root) : install || undefined,
        onStep: (step) => progress(step === 'sync' || step === 'install' ? step : 'setup', `${STEP_WORDS[step] ?? step}…`),
      }))();
    this.open.set(root, opening);
    try {
      const ws = await opening;
      const steps = ws.steps.map((st) => `${st.step} ${formatDuration(st.ms)}`).join(' · ');
      progress('setup', `sandbox ${ws.sandbox.id} ${ws.created ? 'created' : 'reused'}: ${steps}`);
      this.tellSync(ws.sync, progress);
      this.log.info(`daytona: sandbox ${ws.sandbox.id} for ${root} (${steps})`);
      void vscode.commands.executeCommand('setContext', 'kirby.hasSandbox', true);
      void this.askAboutSecrets(root, ws, progress);
      return ws;
    } catch (e) {
      this.open.delete(root);
      throw e;
    }
  }

  private tellSync(report: SyncReport, progress: (phase: string, message: string) => void): void {
    const kb = Math.round(report.bytes / 1024);
    const what = report.uploaded.length === 0 && report.deleted.length === 0 ? 'nothing changed' : `${report.uploaded.length} file(s) uploaded (${kb} KB), ${report.deleted.length} deleted`;
    progress('sync', `sync: ${what} in ${report.uploadRequests} request(s), ${formatDuration(report.ms)}`);
  }

  /** .env-like files stay local until the user says otherwise (once per workspace). */
  private async askAboutSecrets(root: string, ws: DaytonaWorkspace, progress: (phase: string, message: string) => void): Promise<void> {
    if (ws.sync.secretsUploaded || ws.sync.secretFiles.length === 0 || this.memento.get(SECRETS_CHOICE_KEY) !== undefined) return;
    const files = ws.sync.secretFiles.slice(0, 5).join(', ');
    progress('sync', `kept local (they look like secrets): ${files}`);
    const choice = await vscode.window.showWarningMessage(
      `Kirby did not upload ${files} to the Daytona sandbox: they look like secrets. Upload them for the next builds?`,
      'Upload Them',
      'Keep Them Local',
    );
    if (!choice) return;
    await this.memento.update(SECRETS_CHOICE_KEY, choice === 'Upload Them');
    if (choice === 'Upload Them') {
      // the next open (after a reload) passes uploadSecrets; for this sandbox, push them now
      const { pushWorkspace, fileManifestStore } = await import('../../run/daytona/sync');
      try {
        await pushWorkspace(ws.sandbox, root, ws.remoteRoot, fileManifestStore(path.join(this.stateDir, `${ws.sandbox.id}.json`)), {
          exclude: this.settings.daytonaSyncExclude.value,
          uploadSecrets: true,
        });
      } catch (e) {
        void this.access.showError(e, 'upload the secret files');
      }
    }
  }

  private buildStarted(root: string): void {
    this.running.set(root, (this.running.get(root) ?? 0) + 1);
    this.watchdog(root).buildStarted();
  }

  private buildEnded(root: string): void {
    this.running.set(root, Math.max(0, (this.running.get(root) ?? 1) - 1));
    this.watchdog(root).buildEnded();
    this.scheduleWatchdog();
  }

  private watchdog(root: string): IdleWatchdog {
    let dog = this.watchdogs.get(root);
    if (!dog) this.watchdogs.set(root, (dog = new IdleWatchdog(this.settings.daytonaAutoStopMinutes.value * 60_000, Date.now)));
    return dog;
  }

  /** Stops sandboxes idle past their limit (Daytona's own auto-stop is the backstop if VS Code is gone). */
  private scheduleWatchdog(): void {
    if (this.watchdogTimer) clearTimeout(this.watchdogTimer);
    const waits = [...this.watchdogs.values()].map((d) => d.msUntilIdle()).filter(Number.isFinite);
    if (waits.length === 0) return;
    this.watchdogTimer = setTimeout(() => void this.stopIdle(), Math.min(...waits) + 1000);
  }

  private async stopIdle(): Promise<void> {
    for (const [root, dog] of this.watchdogs) {
      if (!dog.shouldStop()) continue;
      const ws = await this.open.get(root)?.catch(() => undefined);
      this.watchdogs.delete(root);
      this.open.delete(root);
      if (!ws) continue;
      this.log.info(`daytona: sandbox ${ws.sandbox.id} idle for ${this.settings.daytonaAutoStopMinutes.value} min: stopping it`);
      await ws.sandbox.stop(STOP_TIMEOUT_S).catch((e: Error) => this.log.warn(`daytona: stopping ${ws.sandbox.id}: ${e.message}`));
      await ws.dispose();
    }
    void vscode.commands.executeCommand('setContext', 'kirby.hasSandbox', this.open.size > 0);
    this.scheduleWatchdog();
  }

  /** Sync on save, debounced, while a remote build of that folder runs (a watch build then rebuilds remotely). */
  private savedWhileRunning(file: string): void {
    const root = [...this.running.entries()].find(([r, n]) => n > 0 && !path.relative(r, file).startsWith('..'))?.[0];
    if (!root) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(async () => {
      const ws = await this.open.get(root)?.catch(() => undefined);
      if (!ws) return;
      try {
        const report = await ws.push();
        this.log.info(`daytona: synced on save: ${report.uploaded.length} uploaded, ${report.deleted.length} deleted (${report.ms} ms)`);
      } catch (e) {
        void this.access.showError(e, 'sync the saved file to the sandbox');
      }
    }, SAVE_SYNC_DELAY_MS);
  }

  /** VS Code is closing: stop every sandbox Kirby opened unless told to keep them. */
  async shutdown(): Promise<void> {
    const all = await Promise.all([...this.open.values()].map((p) => p.catch(() => undefined)));
    this.open.clear();
    await Promise.all(
      all.map(async (ws) => {
        if (!ws) return;
        if (!this.settings.daytonaKeepSandboxRunning.value) await ws.sandbox.stop(STOP_TIMEOUT_S).catch(() => undefined);
        await ws.dispose().catch(() => undefined);
      }),
    );
  }

  dispose(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    if (this.watchdogTimer) clearTimeout(this.watchdogTimer);
    this.store.dispose();
  }
}
