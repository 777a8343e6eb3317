import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandHandlers } from './vscode/actions';
import { registerAgentTools } from './vscode/agentTools';
import { createApi, type KirbyApi } from './vscode/api';
import { BuildManager } from './vscode/buildManager';
import { registerCommands } from './vscode/commands';
import { PatternSettings, Settings } from './vscode/config';
import { Dashboard } from './vscode/dashboard';
import { DaytonaAccess } from './vscode/daytona/daytonaAccess';
import { daytonaCommands } from './vscode/daytona/daytonaCommands';
import { RemoteWorkspaces } from './vscode/daytona/remoteWorkspaces';
import { RunRecorder } from './vscode/runRecorder';
import { BuildStatusBar } from './vscode/statusBar';
import { ContextKeys } from './vscode/contextKeys';
import { ExternalBuilds } from './vscode/externalBuilds';
import { KIRBY_TASK_TYPE, KirbyTaskProvider } from './vscode/taskProvider';
import { ToolCache } from './vscode/toolCache';

let builds: BuildManager | undefined;
let remote: RemoteWorkspaces | undefined;

/**
 * Activation wires adapters to the engine and nothing more: node-pty and every build start on first use, so this
 * stays cheap (measured by `npm run bench`).
 */
export function activate(context: vscode.ExtensionContext): KirbyApi {
  const log = vscode.window.createOutputChannel('Kirby', { log: true });
  const settings = new Settings();
  const patterns = new PatternSettings(settings.buildToolPatterns, log);
  const tools = new ToolCache(context.workspaceState);
  builds = new BuildManager(settings, patterns, tools, log);
  const recorder = new RunRecorder(context.storageUri?.fsPath, builds, settings.sampleIntervalMs, { maxRuns: settings.maxRuns, maxMB: settings.maxRunStorageMB }, log);
  const statusBar = new BuildStatusBar(builds, recorder);
  const dashboard = new Dashboard(context.extensionUri, () => recorder.runs, builds);
  const daytona = new DaytonaAccess(context.secrets, settings, log);
  remote = new RemoteWorkspaces(daytona, settings, path.join(context.globalStorageUri.fsPath, 'daytona'), context.workspaceState, log);
  builds.remote = remote;
  context.subscriptions.push(
    log,
    settings,
    patterns,
    builds,
    statusBar,
    recorder,
    dashboard,
    new ContextKeys(builds),
    new ExternalBuilds(builds, settings.monitorAllTerminals, settings.externalTerminalPatterns, context.workspaceState, log),
    vscode.tasks.registerTaskProvider(KIRBY_TASK_TYPE, new KirbyTaskProvider(builds, () => builds!.ptyServices, settings, log)),
    registerAgentTools(builds, recorder, remote),
    remote,
    registerCommands({
      ...commandHandlers({ builds, dashboard, settings, runs: () => recorder.runs, tools, state: context.workspaceState, log }),
      ...daytonaCommands(daytona, remote, builds),
    }),
  );
  return createApi(builds, patterns, statusBar, recorder);
}

/** Every build and its process tree ends with the extension host. */
export async function deactivate(): Promise<void> {
  await builds?.stopAll();
  await remote?.shutdown();
  builds = undefined;
  remote = undefined;
}
