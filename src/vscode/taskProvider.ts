import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BuildManager } from './buildManager';
import type { BuildSpec } from './buildSession';
import type { Settings } from './config';
import { PtyBuildSession, type PtySessionServices } from './ptyBuildSession';
import { commandSpec, findPackages, scriptSpecIn, taskFolder } from './scriptPicker';

export const KIRBY_TASK_TYPE = 'kirby';

export interface KirbyTaskDefinition extends vscode.TaskDefinition {
  script?: string;
  command?: string;
  cwd?: string;
}

/**
 * The `kirby` task type: a script or command run by Kirby (its pty terminal, parser and state) as a real VS Code task,
 * so tasks.json, Run Task, `preLaunchTask` and `dependsOn` work. Watch scripts are offered as background tasks with
 * `$kirby-watch`, which VS Code uses to know when each build is done.
 */
export class KirbyTaskProvider implements vscode.TaskProvider {
  constructor(
    private readonly builds: BuildManager,
    private readonly ptyServices: () => PtySessionServices,
    private readonly settings: Settings,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const tasks: vscode.Task[] = [];
    for (const { pkg, folder } of await findPackages(this.log)) {
      const relative = path.relative(folder.uri.fsPath, pkg.dir);
      for (const script of Object.keys(pkg.scripts)) {
        const definition: KirbyTaskDefinition = { type: KIRBY_TASK_TYPE, script, ...(relative ? { cwd: relative } : {}) };
        const watch = this.builds.sessionServices.registry().fromCommand(pkg.scripts[script])?.watchCommand?.test(pkg.scripts[script]) ?? false;
        const task = this.task(definition, folder, relative ? `${script} - ${relative}` : script, watch ? ['$kirby-watch'] : []);
        task.isBackground = watch;
        task.detail = pkg.scripts[script];
        tasks.push(task);
      }
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const definition = task.definition as KirbyTaskDefinition;
    if (!definition.script && !definition.command) return undefined;
    const resolved = this.task(definition, task.scope, task.name, task.problemMatchers);
    resolved.isBackground = task.isBackground;
    return resolved;
  }

  private task(definition: KirbyTaskDefinition, scope: vscode.Task['scope'], name: string, matchers: string[]): vscode.Task {
    const execution = new vscode.CustomExecution(async (resolved) => this.run(resolved as KirbyTaskDefinition, scope));
    return new vscode.Task(definition, scope ?? vscode.TaskScope.Workspace, name, KIRBY_TASK_TYPE, execution, matchers);
  }

  /** Called by VS Code when the task runs: the build starts now, its terminal is the task's. */
  private async run(definition: KirbyTaskDefinition, scope: vscode.Task['scope']): Promise<vscode.Pseudoterminal> {
    const spec = this.spec(definition, scope);
    // the previous run of this task has ended (a task cannot run twice): its state gives way to the new run's
    for (const old of this.builds.all) if (old.spec.key === spec.key && old instanceof PtyBuildSession && !old.running) old.dispose();
    const session = new PtyBuildSession(spec, this.ptyServices(), true);
    this.builds.track(session);
    if (!vscode.workspace.isTrusted) {
      session.pseudoterminal.note('Kirby does not run builds in a workspace you have not trusted.');
      setTimeout(() => session.pseudoterminal.exit(1), 0);
      return session.pseudoterminal;
    }
    void session.start();
    return session.pseudoterminal;
  }

  private spec(definition: KirbyTaskDefinition, scope: vscode.Task['scope']): BuildSpec {
    const folder = taskFolder(scope);
    const cwd = path.resolve(folder, definition.cwd ?? '');
    if (definition.command) return commandSpec(definition.command, cwd);
    const spec = scriptSpecIn(cwd, definition.script!, folder, this.settings.packageManager.value);
    if (!spec) throw new Error(`Kirby: no script "${definition.script}" in ${path.join(cwd, 'package.json')}`);
    return spec;
  }
}
