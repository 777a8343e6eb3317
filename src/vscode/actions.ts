import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeRun, runOutcome, type RunOutcome } from '../core/runs/runHistory';
import type { RunStore } from '../core/runs/runStore';
import type { RunRecord } from '../core/runs/types';
import { formatAge, formatCounts, STATE_LABELS } from '../core/summary';
import type { BuildManager } from './buildManager';
import type { Dashboard } from './dashboard';
import { problemRange, type BuildSession } from './buildSession';
import { Command, type CommandSignatures, type DaytonaCommand, type NpmScriptItem, type StartBuildArgs } from './commands';
import type { Settings } from './config';
import type { ToolCache } from './toolCache';
import { commandSpec, findScript, pickScript } from './scriptPicker';

interface Services {
  builds: BuildManager;
  dashboard: Dashboard;
  settings: Settings;
  /** The run store (undefined without a workspace): history reads it. */
  runs: () => RunStore | undefined;
  tools: ToolCache;
  state: vscode.Memento;
  log: vscode.LogOutputChannel;
}

interface ActionItem extends vscode.QuickPickItem {
  run?: () => unknown;
}

/** The handlers behind Kirby's commands: each asks only what it must (which build, when there are several). */
export function commandHandlers(s: Services): Omit<CommandSignatures, DaytonaCommand> {
  const { builds } = s;

  async function startBuild(args: StartBuildArgs = {}): Promise<string | undefined> {
    if (!vscode.workspace.isTrusted) {
      const choice = await vscode.window.showWarningMessage(
        'Kirby does not run builds in a workspace you have not trusted: a build runs code from this folder.',
        'Manage Workspace Trust',
      );
      if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const cwd = args.cwd ?? folder;
    const manager = s.settings.packageManager.value;
    let spec;
    if (args.command) {
      if (!cwd) return noFolder();
      spec = commandSpec(args.command, cwd, args.name);
    } else if (args.script) {
      spec = await findScript(args.script, cwd, manager, s.log);
      if (!spec) throw new Error(`Kirby found no script "${args.script}" in ${cwd ?? 'this workspace'}'s package.json.`);
      if (args.name) spec = { ...spec, name: args.name };
    } else if (s.settings.buildCommand.value.trim()) {
      if (!cwd) return noFolder();
      spec = commandSpec(s.settings.buildCommand.value.trim(), cwd);
    } else if (s.settings.defaultScript.value.trim()) {
      const script = s.settings.defaultScript.value.trim();
      spec = await findScript(script, undefined, manager, s.log);
      if (!spec) {
        void vscode.window.showErrorMessage(`Kirby: no package.json in this workspace has the script "${script}" set in kirby.defaultScript.`);
        return undefined;
      }
    } else {
      spec = await pickScript(s.state, manager, s.log);
      if (!spec) return undefined;
    }
    if ((args.backend ?? s.settings.backend.value) === 'daytona') spec = { ...spec, backend: 'daytona' as const, key: `${spec.key}@daytona` };
    const same = builds.findSame(spec);
    if (same) {
      if (same.running && !args.script && !args.command) {
        const choice = await vscode.window.showInformationMessage(`"${spec.name}" is already running.`, 'Restart', 'Show Terminal');
        if (choice === 'Show Terminal') same.terminal?.show();
        if (choice !== 'Restart') return same.id;
      }
      same.terminal?.show(true);
      await same.restart();
      return same.id;
    }
    return (await builds.start(spec)).id;
  }

  /** The build a command is about: the given id, the only one, the one whose terminal is active, or asked. */
  async function pickBuild(id: string | undefined, placeHolder: string, filter: (b: BuildSession) => boolean = () => true) {
    if (id) return builds.get(id);
    const candidates = builds.all.filter(filter);
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('Kirby: no build to do that with.');
      return undefined;
    }
    if (candidates.length === 1) return candidates[0];
    const active = builds.forTerminal(vscode.window.activeTerminal);
    if (active && candidates.includes(active)) return active;
    const picked = await vscode.window.showQuickPick(
      candidates.map((b) => ({ label: b.spec.name, description: STATE_LABELS[b.state], detail: b.spec.command, build: b })),
      { placeHolder },
    );
    return picked?.build;
  }

  async function goToFirstError(id?: string): Promise<boolean> {
    const active = builds.forTerminal(vscode.window.activeTerminal);
    const ordered = id ? [builds.get(id)] : [active, ...builds.all.filter((b) => b !== active)];
    for (const build of ordered) {
      const problems = build?.problems.filter((p) => p.uri) ?? [];
      const first = problems.find((p) => p.severity === 'error') ?? problems[0];
      if (!first?.uri) continue;
      try {
        const range = problemRange(first);
        await vscode.window.showTextDocument(first.uri, { selection: new vscode.Range(range.start, range.start) });
        return true;
      } catch (e) {
        void vscode.window.showErrorMessage(`Kirby could not open ${first.uri.fsPath}: ${(e as Error).message}`);
        return false;
      }
    }
    void vscode.window.showInformationMessage('Kirby: no build problem with a file location.');
    return false;
  }

  async function showHistory(): Promise<void> {
    const runs = s.runs()?.runs({ limit: HISTORY_PICK_LIMIT }) ?? [];
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('Kirby: no builds have run in this workspace yet.');
      return;
    }
    const now = Date.now();
    const openInDashboard: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('pulse'), tooltip: 'Open in the Build Dashboard' };
    const items = runs.map((run) => ({
      label: `${OUTCOME_ICONS[runOutcome(run)]} ${run.name ?? run.command}`,
      description: describeRun(run),
      detail: `${run.command} · ${run.tool ?? 'unknown tool'} · ${run.backend} · ${formatAge(now - (run.endTime ?? run.startTime))}`,
      buttons: [openInDashboard],
      run,
    }));
    const pick = vscode.window.createQuickPick<(typeof items)[number]>();
    pick.title = 'Kirby: Build History';
    pick.placeholder = 'Recent runs, newest first. Pick one to run it again.';
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.items = items;
    const picked = await new Promise<RunRecord | undefined>((resolve) => {
      pick.onDidTriggerItemButton(({ item }) => {
        resolve(undefined);
        pick.hide();
        s.dashboard.show(item.run.id);
      });
      pick.onDidAccept(() => {
        resolve(pick.selectedItems[0]?.run);
        pick.hide();
      });
      pick.onDidHide(() => {
        resolve(undefined);
        pick.dispose();
      });
      pick.show();
    });
    if (picked) await runAgain(picked);
  }

  /** A run from the history, again: restarts the same build if it is listed, else starts it. */
  async function runAgain(run: RunRecord): Promise<void> {
    const spec = {
      ...(run.key
        ? { name: run.name ?? run.command, command: run.command, cwd: run.cwd, detectCommand: run.detectCommand ?? run.command, key: run.key }
        : commandSpec(run.command, run.cwd, run.name)),
      backend: run.backend === 'daytona' ? ('daytona' as const) : undefined,
    };
    const same = builds.findSame(spec);
    if (same) await same.restart();
    else await builds.start(spec);
  }

  async function showActions(): Promise<void> {
    const items: ActionItem[] = [];
    for (const b of builds.all) {
      items.push({ label: `${b.spec.name} — ${STATE_LABELS[b.state]}`, kind: vscode.QuickPickItemKind.Separator });
      if (b.terminal) items.push({ label: '$(terminal) Show Terminal', description: b.spec.name, run: () => b.terminal?.show() });
      if (b.running && b.canStop) items.push({ label: '$(debug-stop) Stop', description: b.spec.name, run: () => b.stop() });
      if (b.canRestart) items.push({ label: '$(debug-restart) Restart', description: b.spec.name, run: () => b.restart() });
      if (b.problems.some((p) => p.uri)) {
        items.push({ label: '$(error) Go to First Error', description: formatCounts(b.counts.errors, b.counts.warnings), run: () => goToFirstError(b.id) });
      }
    }
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: '$(play) Start Build…', run: () => startBuild() });
    items.push({ label: '$(cloud-upload) Start Build in Daytona Sandbox…', run: () => startBuild({ backend: 'daytona' }) });
    items.push({ label: '$(history) Show Build History', run: () => showHistory() });
    items.push({ label: '$(pulse) Open Build Dashboard', run: () => s.dashboard.show() });
    const picked = await vscode.window.showQuickPick(items, { title: 'Kirby', placeHolder: 'What do you want to do?' });
    await picked?.run?.();
  }

  return {
    [Command.StartBuild]: startBuild,
    [Command.StopBuild]: async (id) => {
      const b = await pickBuild(id, 'Which build should stop?', (x) => x.running && x.canStop);
      await b?.stop();
    },
    [Command.RestartBuild]: async (id) => {
      const b = await pickBuild(id, 'Which build should restart?', (x) => x.canRestart);
      await b?.restart();
    },
    [Command.ShowTerminal]: async (id) => {
      const b = await pickBuild(id, 'Whose terminal?');
      b?.terminal?.show();
    },
    [Command.GoToFirstError]: goToFirstError,
    [Command.ShowHistory]: showHistory,
    [Command.ShowActions]: showActions,
    [Command.ForgetDetectedTools]: async () => {
      await s.tools.clear();
      void vscode.window.showInformationMessage('Kirby forgot which tool each build command runs; the next builds detect it again.');
    },
    [Command.ShowLog]: () => s.log.show(),
    [Command.OpenDashboard]: () => s.dashboard.show(),
    [Command.RunNpmScript]: async (item) => {
      const script = item?.task?.definition.script;
      if (typeof script !== 'string') {
        void vscode.window.showErrorMessage('Kirby: "Run with Kirby" runs a script picked in the NPM Scripts view.');
        return undefined;
      }
      return startBuild({ script, cwd: npmItemFolder(item!) });
    },
  };
}

/** The folder of the script's package.json: where the view found it, else its task's folder and path. */
function npmItemFolder(item: NpmScriptItem): string | undefined {
  if (item.taskLocation) return path.dirname(item.taskLocation.uri.fsPath);
  const scope = item.task?.scope as vscode.WorkspaceFolder | undefined;
  const relative = typeof item.task?.definition.path === 'string' ? item.task.definition.path : '';
  return scope?.uri ? path.join(scope.uri.fsPath, relative) : undefined;
}

function noFolder(): undefined {
  void vscode.window.showErrorMessage('Kirby needs an open folder to run a build in.');
  return undefined;
}

const HISTORY_PICK_LIMIT = 50;

const OUTCOME_ICONS: Readonly<Record<RunOutcome, string>> = {
  running: '$(sync~spin)',
  success: '$(check)',
  warnings: '$(warning)',
  error: '$(error)',
  cancelled: '$(circle-slash)',
  crashed: '$(bug)',
};
