import * as vscode from 'vscode';
import { deleteKirbySandboxes, listKirbySandboxes, workspaceLabels } from '../../run/daytona/sandbox';
import type { SandboxHandle } from '../../run/daytona/sdkAdapter';
import type { DaytonaAccess } from './daytonaAccess';

const STOP_TIMEOUT_S = 60;

/**
 * "Kirby: Manage Daytona Sandboxes": Kirby's sandboxes (every workspace's), this workspace's marked; stop or delete
 * one from its buttons, or delete them all.
 */
export async function manageSandboxes(access: DaytonaAccess): Promise<void> {
  let sandboxes: SandboxHandle[];
  try {
    const client = await access.client();
    sandboxes = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Kirby: listing Daytona sandboxes' }, () => listKirbySandboxes(client));
  } catch (e) {
    await access.showError(e, 'list the Daytona sandboxes');
    return;
  }
  if (sandboxes.length === 0) {
    void vscode.window.showInformationMessage('Kirby has no Daytona sandbox running or stopped.');
    return;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const mine = folder ? workspaceLabels(folder).workspace : undefined;
  const stop: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('debug-stop'), tooltip: 'Stop (keeps its files; the next build starts it)' };
  const remove: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete' };
  type Item = vscode.QuickPickItem & { sandbox?: SandboxHandle };
  const items: Item[] = sandboxes.map((sandbox) => ({
    label: `$(${sandbox.state === 'started' ? 'vm-running' : 'vm'}) ${sandbox.id}`,
    description: `${sandbox.state ?? 'unknown state'}${sandbox.labels.workspace === mine ? ' · this workspace' : ''}`,
    buttons: sandbox.state === 'started' ? [stop, remove] : [remove],
    sandbox,
  }));
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: `$(trash) Delete all ${sandboxes.length} of Kirby's sandboxes` });
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'Kirby: Daytona Sandboxes';
  pick.placeholder = 'Stop or delete with the buttons';
  pick.items = items;
  const act = async (work: () => Promise<unknown>, doing: string, done: string) => {
    pick.busy = true;
    try {
      await work();
      void vscode.window.showInformationMessage(`Kirby: ${done}.`);
    } catch (e) {
      await access.showError(e, doing);
    } finally {
      pick.hide();
    }
  };
  pick.onDidTriggerItemButton(({ item, button }) => {
    const sandbox = item.sandbox!;
    if (button === stop) void act(() => sandbox.stop(STOP_TIMEOUT_S), `stop sandbox ${sandbox.id}`, `sandbox ${sandbox.id} stopped`);
    else void act(() => sandbox.delete(), `delete sandbox ${sandbox.id}`, `sandbox ${sandbox.id} deleted`);
  });
  pick.onDidAccept(() => {
    if (pick.selectedItems[0]?.sandbox) return; // a sandbox row does nothing by itself: its buttons do
    void act(async () => deleteKirbySandboxes(await access.client()), "delete Kirby's sandboxes", `${sandboxes.length} sandbox(es) deleted`);
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}
