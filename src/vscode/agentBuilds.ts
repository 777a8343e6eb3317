import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BuildSnapshot } from '../core/agentReport';
import type { ProcessSample } from '../core/runs/processTracker';
import { BuildState } from '../core/events';
import { isBusy, STATE_LABELS } from '../core/summary';
import type { BuildManager } from './buildManager';
import type { BuildSession } from './buildSession';
import { Command, type StartBuildArgs } from './commands';

/** What agent tools need of a remote build's sandbox (the extension's RemoteWorkspaces). */
export interface SandboxAccess {
  /** A URL on this machine for a port in the sandbox that runs builds of `cwd`. */
  previewFor(cwd: string, port: number): Promise<string | undefined>;
  /** The sandbox's processes (one `ps`), undefined when no sandbox is open for `cwd`. */
  processes(cwd: string): Promise<ProcessSample[] | undefined>;
}

/**
 * Resolves once the build has a verdict (a one-shot build finished; a watch build is watching or failed), its process
 * ended, the wait ran out or the call was cancelled — with the session as it is then.
 */
export function waitForVerdict(builds: BuildManager, id: string, seconds: number, token: vscode.CancellationToken, done = settled): Promise<BuildSession | undefined> {
  return new Promise((resolve) => {
    const finish = () => {
      listener.dispose();
      cancel.dispose();
      clearTimeout(timer);
      resolve(builds.get(id));
    };
    const check = () => {
      const b = builds.get(id);
      if (!b || done(b)) finish();
    };
    const listener = builds.onDidChange(check);
    const cancel = token.onCancellationRequested(finish);
    const timer = setTimeout(finish, seconds * 1000);
    check();
  });
}

function settled(b: BuildSession): boolean {
  if (!b.running) return true;
  // a one-shot build's verdict is its exit (tsc reports errors before it is done); a watch build never exits
  if (!b.isWatch) return false;
  return b.state === BuildState.Error || b.state === BuildState.WatchModeActive || (b.lastBuild !== undefined && !isBusy(b.state));
}

export function snapshot(b: BuildSession): BuildSnapshot {
  return {
    id: b.id,
    name: b.spec.name,
    command: b.spec.command,
    cwd: b.spec.cwd,
    state: STATE_LABELS[b.state],
    tool: b.toolName,
    watch: b.isWatch,
    running: b.running,
    origin: b.origin,
    exitCode: b.exitStatus?.code,
    lastBuild: b.lastBuild && {
      result: b.lastBuild.result.result,
      durationMs: Math.max(0, b.lastBuild.result.endTime - b.lastBuild.result.startTime),
      endedAt: b.lastBuild.endedAt,
      assumed: b.lastBuild.result.assumed,
    },
    errors: b.counts.errors,
    warnings: b.counts.warnings,
    problems: b.problems.map(({ uri, ...p }) => ({ ...p, file: uri ? vscode.workspace.asRelativePath(uri) : p.file })),
    recentLines: b.recentLines(10),
    serverUrl: b.knownServerAddress?.url,
  };
}

/**
 * Starts through the Start Build command, so workspace trust and script lookup are the same as for a user. Resolves
 * with the build's id, or a sentence saying why there is none.
 */
export async function startBuild(input: { script?: string; command?: string; cwd?: string; backend?: 'local' | 'daytona'; defaultScript?: string }): Promise<{ id: string } | { error: string }> {
  const args: StartBuildArgs = { script: input.command ? undefined : (input.script ?? input.defaultScript ?? 'build'), command: input.command, cwd: resolveCwd(input.cwd), backend: input.backend };
  try {
    const id = await vscode.commands.executeCommand<string | undefined>(Command.StartBuild, args);
    return id ? { id } : { error: 'The build did not start: the workspace is not trusted, or it has no folder.' };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** An agent's folder: absolute, or relative to the first workspace folder. */
function resolveCwd(cwd: string | undefined): string | undefined {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!cwd || path.isAbsolute(cwd) || !root) return cwd;
  return path.join(root, cwd);
}
