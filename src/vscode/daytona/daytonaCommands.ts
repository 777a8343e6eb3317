import * as vscode from 'vscode';
import { Command, type CommandSignatures, type DaytonaCommand, type StartBuildArgs } from '../commands';
import type { BuildManager } from '../buildManager';
import type { DaytonaAccess } from './daytonaAccess';
import type { RemoteWorkspaces } from './remoteWorkspaces';
import { manageSandboxes } from './sandboxCommands';

/** The handlers of the Daytona commands (key, remote build, sandboxes, pull, preview). */
export function daytonaCommands(access: DaytonaAccess, remote: RemoteWorkspaces, builds: BuildManager): Pick<CommandSignatures, DaytonaCommand> {
  const folderWorkspace = async () => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const ws = folder ? await remote.workspaceOf(folder) : undefined;
    if (!ws) void vscode.window.showInformationMessage('Kirby: no Daytona sandbox is open for this workspace yet. Run a build in one first (Kirby: Start Build in Daytona Sandbox).');
    return ws;
  };

  return {
    [Command.SetDaytonaApiKey]: () => access.setKey(),
    [Command.ClearDaytonaApiKey]: () => access.clearKey(),
    [Command.StartRemoteBuild]: async (args: StartBuildArgs = {}) =>
      vscode.commands.executeCommand<string | undefined>(Command.StartBuild, { ...args, backend: 'daytona' }),
    [Command.ManageSandboxes]: () => manageSandboxes(access),
    [Command.PullFromSandbox]: async () => {
      const ws = await folderWorkspace();
      if (!ws) return;
      try {
        const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Kirby: pulling changed files from the sandbox…' }, () => ws.pull());
        const kept = report.conflicts.length > 0 ? ` ${report.conflicts.length} file(s) you also changed here were left alone: ${report.conflicts.slice(0, 5).join(', ')}.` : '';
        void vscode.window.showInformationMessage(`Kirby pulled ${report.downloaded.length} file(s) from the sandbox.${kept}`);
      } catch (e) {
        await access.showError(e, 'pull files from the sandbox');
      }
    },
    [Command.OpenPreview]: async (port?: number) => {
      const ws = await folderWorkspace();
      if (!ws) return;
      const served = builds.all.filter((b) => b.spec.backend === 'daytona').map((b) => b.serverAddress()?.port).find((p) => p !== undefined);
      const chosen = port ?? (await askPort(served));
      if (chosen === undefined) return;
      try {
        const url = await remote.preview(ws, chosen);
        await vscode.commands.executeCommand('simpleBrowser.show', url);
      } catch (e) {
        await access.showError(e, `open the preview of port ${chosen}`);
      }
    },
  };
}

async function askPort(suggested: number | undefined): Promise<number | undefined> {
  const value = await vscode.window.showInputBox({
    title: 'Kirby: Daytona Preview',
    prompt: 'The port the server listens on in the sandbox (on 0.0.0.0)',
    value: suggested !== undefined ? String(suggested) : '3000',
    validateInput: (v) => (/^\d+$/.test(v) && Number(v) > 0 && Number(v) < 65536 ? undefined : 'A port number, 1–65535.'),
  });
  return value ? Number(value) : undefined;
}
