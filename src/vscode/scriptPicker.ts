import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readPackageScripts, scriptCommand, type PackageManager, type PackageScripts } from '../run/packageScripts';
import type { BuildSpec } from './buildSession';

const LAST_CHOICE_KEY = 'kirby.lastScript';
const MAX_PACKAGES = 200;

interface ScriptItem extends vscode.QuickPickItem {
  spec?: BuildSpec;
  choice?: LastChoice;
}

interface LastChoice {
  file: string;
  script: string;
}

/** The scripts of every package.json in the workspace (all folders, not node_modules), grouped by package. */
export async function findPackages(log: vscode.LogOutputChannel): Promise<{ pkg: PackageScripts; folder: vscode.WorkspaceFolder }[]> {
  const found: { pkg: PackageScripts; folder: vscode.WorkspaceFolder }[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const pattern = new vscode.RelativePattern(folder, '**/package.json');
    const files = await vscode.workspace.findFiles(pattern, '**/{node_modules,.git,dist,out,build}/**', MAX_PACKAGES);
    files.sort((a, b) => depth(a.fsPath) - depth(b.fsPath) || a.fsPath.localeCompare(b.fsPath));
    for (const file of files) {
      try {
        found.push({ pkg: readPackageScripts(file.fsPath, folder.uri.fsPath), folder });
      } catch (e) {
        log.warn(`skipping ${(e as Error).message}`);
      }
    }
  }
  return found;
}

/** The spec for running `script` of the package in `dir`: named after the script (and its package when ambiguous). */
export function scriptSpec(pkg: PackageScripts, script: string, manager: PackageManager, label: string = script): BuildSpec {
  const command = scriptCommand(manager, script);
  return { name: label, command, cwd: pkg.dir, detectCommand: pkg.scripts[script] ?? command, key: `${pkg.file}#${script}` };
}

/** A spec for a command line typed by the user or configured in `kirby.buildCommand`. */
export function commandSpec(command: string, cwd: string, name: string = command): BuildSpec {
  return { name, command, cwd, detectCommand: command, key: `${cwd}$ ${command}` };
}

/**
 * Asks which script to run: every script of every package.json, the last choice first. Returns undefined when the
 * user cancels or the workspace has no scripts (after saying so).
 */
export async function pickScript(
  state: vscode.Memento,
  managerSetting: PackageManager | 'auto',
  log: vscode.LogOutputChannel,
): Promise<BuildSpec | undefined> {
  const packages = await findPackages(log);
  const multiple = packages.length > 1 || (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const last = state.get<LastChoice>(LAST_CHOICE_KEY);
  const items: ScriptItem[] = [];
  let lastItem: ScriptItem | undefined;
  for (const { pkg, folder } of packages) {
    const scripts = Object.keys(pkg.scripts);
    if (scripts.length === 0) continue;
    const manager = managerSetting === 'auto' ? pkg.packageManager : managerSetting;
    const where = path.relative(folder.uri.fsPath, pkg.dir) || '.';
    const group = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${folder.name}/${where}` : where;
    items.push({ label: pkg.name ? `${pkg.name} (${group})` : group, kind: vscode.QuickPickItemKind.Separator });
    for (const script of scripts) {
      const label = multiple && where !== '.' ? `${path.basename(pkg.dir)}: ${script}` : script;
      const item: ScriptItem = {
        label: script,
        description: pkg.scripts[script],
        detail: `${scriptCommand(manager, script)} in ${group}`,
        spec: scriptSpec(pkg, script, manager, label),
        choice: { file: pkg.file, script },
      };
      if (last && last.file === pkg.file && last.script === script) lastItem = item;
      items.push(item);
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage(
      'Kirby found no scripts in any package.json of this workspace. Set "kirby.buildCommand" to run another command.',
    );
    return undefined;
  }
  if (lastItem) items.unshift({ label: 'recently used', kind: vscode.QuickPickItemKind.Separator }, { ...lastItem });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Kirby: Start Build',
    placeHolder: 'Pick a script to run and watch',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked?.spec) return undefined;
  await state.update(LAST_CHOICE_KEY, picked.choice);
  return picked.spec;
}

/** Finds one script by name: in `cwd`'s package.json, else the shallowest package that has it. */
export async function findScript(
  script: string,
  cwd: string | undefined,
  managerSetting: PackageManager | 'auto',
  log: vscode.LogOutputChannel,
): Promise<BuildSpec | undefined> {
  if (cwd && fs.existsSync(path.join(cwd, 'package.json'))) {
    const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(cwd))?.uri.fsPath ?? cwd;
    return scriptSpecIn(cwd, script, root, managerSetting);
  }
  const match = (await findPackages(log)).find(({ pkg }) => script in pkg.scripts);
  return match && scriptSpec(match.pkg, script, managerFor(match.pkg, managerSetting));
}

/** The spec for `script` of the package.json in `dir`; undefined without that script, an error for broken JSON. */
export function scriptSpecIn(dir: string, script: string, root: string, managerSetting: PackageManager | 'auto'): BuildSpec | undefined {
  const pkg = readPackageScripts(path.join(dir, 'package.json'), root);
  return script in pkg.scripts ? scriptSpec(pkg, script, managerFor(pkg, managerSetting)) : undefined;
}

/** The folder a task runs in by default: its workspace folder, else the first one. */
export function taskFolder(scope: vscode.Task['scope']): string {
  return typeof scope === 'object' ? scope.uri.fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
}

function managerFor(pkg: PackageScripts, setting: PackageManager | 'auto'): PackageManager {
  return setting === 'auto' ? pkg.packageManager : setting;
}

function depth(file: string): number {
  return file.split(/[\\/]/).length;
}
