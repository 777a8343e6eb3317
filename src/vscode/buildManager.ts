import * as path from 'node:path';
import * as vscode from 'vscode';
import { DisposableStore, Emitter } from '../core/emitter';
import { createLocalBackend } from '../run/local';
import type { Backend } from '../run/types';
import type { BuildSession, BuildSpec, SessionServices } from './buildSession';
import type { PatternSettings, Settings } from './config';
import type { ToolCache } from './toolCache';
import { PtyBuildSession, type PtySessionServices } from './ptyBuildSession';
import { ShellBuildSession } from './shellBuildSession';

/** Every build Kirby runs, each in its own terminal; the status bar, commands and API read them from here. */
export class BuildManager implements vscode.Disposable {
  private readonly sessions = new Map<string, BuildSession>();
  private readonly store = new DisposableStore();
  private readonly changed = new Emitter<void>();
  /** Any build started, changed state or problems, or went away. */
  readonly onDidChange = this.changed.event;
  private backend: Backend | undefined;
  private warnedAboutPipes = false;
  private readonly services: SessionServices;
  /** Builds that run on Daytona (set once the extension has made it; undefined: remote builds are refused). */
  remote: { backendFor(root: string): Backend; showError(e: unknown, doing: string): Promise<void> } | undefined;

  constructor(
    private readonly settings: Settings,
    private readonly patterns: PatternSettings,
    private readonly tools: ToolCache,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.services = {
      registry: () => this.patterns.registry,
      idleTimeoutMs: () => this.settings.idleTimeoutMs,
      cachedTool: (key) => this.tools.get(key),
      rememberTool: (key, toolId) => this.tools.set(key, toolId),
    };
    // new patterns apply to running builds at once
    this.store.add(this.patterns.onDidChange((registry) => this.sessions.forEach((s) => s.setRegistry(registry))));
  }

  get all(): readonly BuildSession[] {
    return [...this.sessions.values()];
  }

  get(id: string): BuildSession | undefined {
    return this.sessions.get(id);
  }

  /** The build behind a terminal, if Kirby started it. */
  forTerminal(terminal: vscode.Terminal | undefined): BuildSession | undefined {
    return terminal ? this.all.find((s) => s.terminal === terminal) : undefined;
  }

  /** A build Kirby started of the same command in the same folder (to restart rather than run twice). */
  findSame(spec: BuildSpec): BuildSession | undefined {
    return this.all.find((s) => s.origin === 'kirby' && s.spec.key === spec.key && s.spec.backend === spec.backend);
  }

  /** What a pty session needs: the shared services and the local backend, created (node-pty loaded) on first use. */
  get ptyServices(): PtySessionServices {
    return {
      ...this.services,
      backend: (spec) => (spec.backend === 'daytona' ? this.remoteBackend(spec) : (this.backend ??= createLocalBackend({ extraPtyCandidates: vsCodePtyCandidates() }))),
      backendWarning: (note) => this.warnPipes(note),
      backendFailed: (e, spec) => {
        if (spec.backend === 'daytona') void this.remote?.showError(e, `run "${spec.name}" in a Daytona sandbox`);
      },
    };
  }

  private remoteBackend(spec: BuildSpec): Backend {
    if (!this.remote) throw new Error('remote builds are not available in this window');
    // the sandbox mirrors the workspace folder that holds the build (a multi-root workspace has one per folder)
    const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(spec.cwd))?.uri.fsPath ?? spec.cwd;
    return this.remote.backendFor(root);
  }

  async start(spec: BuildSpec): Promise<BuildSession> {
    // a remote build always reads its output (the plain-terminal mode only exists for local shells)
    const session = this.settings.enableBuildOutputParsing.value || spec.backend === 'daytona'
      ? new PtyBuildSession(spec, this.ptyServices)
      : new ShellBuildSession(spec, this.services);
    this.track(session);
    this.log.info(`start #${session.id} "${spec.command}" in ${spec.cwd}`);
    if (this.settings.revealTerminal.value === 'always') session.terminal?.show(true);
    await session.start();
    this.changed.fire();
    return session;
  }

  /** What sessions need from the extension (for builds followed rather than started, too). */
  get sessionServices(): SessionServices {
    return this.services;
  }

  /** Lists a session (any origin) with the others: status bar, commands, run recorder and API see it from now on. */
  track(session: BuildSession): void {
    this.sessions.set(session.id, session);
    session.onDidChange(() => this.changed.fire());
    session.onDidCompleteBuild(({ result }) => {
      if (result.result === 'error' && this.settings.revealTerminal.value === 'onError' && session.origin === 'kirby') session.terminal?.show(true);
    });
    session.onDidDispose(() => {
      this.sessions.delete(session.id);
      this.changed.fire();
    });
    this.changed.fire();
  }

  /** Stops every build Kirby started, with its process tree (deactivation); builds it only follows keep running. */
  async stopAll(): Promise<void> {
    const own = this.all.filter((s) => s.origin === 'kirby');
    await Promise.all(own.map((s) => s.stop().catch((e) => this.log.error(`stop #${s.id}: ${(e as Error).message}`))));
  }

  private warnPipes(note: string): void {
    this.log.warn(note);
    if (this.warnedAboutPipes) return;
    this.warnedAboutPipes = true;
    void vscode.window.showWarningMessage(`Kirby runs builds through ${note}`);
  }

  dispose(): void {
    for (const session of this.all) session.dispose();
    this.store.dispose();
    this.changed.dispose();
  }
}

/** VS Code's own node-pty, a fallback when the copy we ship cannot load (unsupported by VS Code, so tried last). */
function vsCodePtyCandidates(): string[] {
  const root = vscode.env.appRoot;
  return [path.join(root, 'node_modules', 'node-pty'), path.join(root, 'node_modules.asar', 'node-pty')];
}
