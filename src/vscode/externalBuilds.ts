import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DisposableStore } from '../core/emitter';
import { compilePattern } from '../core/patterns/regex';
import { readPackageScripts } from '../run/packageScripts';
import type { BuildManager } from './buildManager';
import type { BuildSpec } from './buildSession';
import { openSettingFile, type ConfigValue } from './config';
import { BufferedOutput } from './bufferedOutput';
import { ObservedBuildSession } from './observedBuildSession';
import { commandSpec, scriptSpecIn, taskFolder } from './scriptPicker';

/** How long a task's output may take to start after the task did. */
const PAIRING_WINDOW_MS = 15_000;
/** How long a command's output is held for a task to claim it. */
const CLAIM_WINDOW_MS = 2_000;
const PACKAGE_MANAGER_COMMAND = /^\s*(?:npm|pnpm|yarn|bun)\s/;

interface PendingExecution {
  execution: vscode.TerminalShellExecution;
  terminal: vscode.Terminal;
  commandLine: string;
  output: BufferedOutput;
  timer?: NodeJS.Timeout;
  /** The command ended while it was pending. */
  exitCode?: { code: number | undefined };
}
const PROMPT_DISMISSED_KEY = 'kirby.monitorTerminalsPromptDismissed';

const TASK_UNREAD =
  "VS Code did not let Kirby read this task's output (no shell integration in its terminal): the state comes from its start and exit code";

/**
 * Follows builds started elsewhere: npm tasks (the npm scripts panel, Run Task — told apart by their definition,
 * not their localized terminal name) always, and commands typed into shell-integrated terminals when the user opted
 * in (`kirby.monitorAllTerminals`). Raw output is parsed in memory only.
 */
export class ExternalBuilds implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly byTask = new Map<vscode.TaskExecution, ObservedBuildSession>();
  private readonly byExecution = new Map<vscode.TerminalShellExecution, ObservedBuildSession>();
  /** Task builds whose terminal output has not been found yet, newest last. */
  private unpaired: { session: ObservedBuildSession; script: string; since: number }[] = [];
  /**
   * Commands just started in a terminal, their output held in memory for a moment: VS Code reports an npm task's
   * command in its terminal before it reports the task's process, so a task may still claim one. Unclaimed, a
   * command is followed as a terminal build (when opted in) or dropped.
   */
  private pending: PendingExecution[] = [];
  private prompted = false;
  private compiled: { sources: string[]; patterns: RegExp[] } | undefined;

  constructor(
    private readonly builds: BuildManager,
    private readonly monitorAll: ConfigValue<boolean>,
    private readonly terminalPatterns: ConfigValue<string[]>,
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.store.add(vscode.tasks.onDidStartTask((e) => this.sessionForTask(e.execution)));
    this.store.add(vscode.tasks.onDidStartTaskProcess((e) => this.taskStarted(e)));
    this.store.add(vscode.tasks.onDidEndTaskProcess((e) => void this.byTask.get(e.execution)?.end(e.exitCode)));
    this.store.add(vscode.tasks.onDidEndTask((e) => this.byTask.delete(e.execution)));
    this.store.add(vscode.window.onDidStartTerminalShellExecution((e) => this.executionStarted(e)));
    this.store.add(
      vscode.window.onDidEndTerminalShellExecution((e) => {
        const pending = this.pending.find((p) => p.execution === e.execution);
        if (pending) pending.exitCode = { code: e.exitCode };
        const session = this.byExecution.get(e.execution);
        this.byExecution.delete(e.execution);
        if (session?.origin === 'terminal') void session.end(e.exitCode);
      }),
    );
    this.store.add(
      vscode.window.onDidCloseTerminal((terminal) => {
        for (const s of this.builds.all) if (s instanceof ObservedBuildSession && s.terminal === terminal) s.dispose();
      }),
    );
  }

  private taskStarted(e: vscode.TaskProcessStartEvent): void {
    const session = this.sessionForTask(e.execution);
    if (!session) return;
    this.log.info(`following npm task "${session.spec.name}" (pid ${e.processId}) in ${session.spec.cwd}`);
    if (!session.terminal) {
      void this.findTaskTerminal(e.processId).then((terminal) => {
        if (terminal && !session.terminal) session.showIn(terminal);
      });
    }
  }

  /** The session following an npm task's run: made (and begun) by whichever comes first, its process or its output. */
  private sessionForTask(execution: vscode.TaskExecution): ObservedBuildSession | undefined {
    const known = this.byTask.get(execution);
    if (known) return known;
    const task = execution.task;
    if (task.definition.type !== 'npm' || typeof task.definition.script !== 'string') return undefined;
    const script = task.definition.script;
    const spec = npmTaskSpec(task, script);
    const controls = { stop: () => execution.terminate(), restart: () => vscode.tasks.executeTask(task) };
    let session = this.builds.all.find((s): s is ObservedBuildSession => s instanceof ObservedBuildSession && s.spec.key === spec.key);
    if (!session) {
      session = new ObservedBuildSession(spec, this.builds.sessionServices, 'task', controls, TASK_UNREAD);
      this.builds.track(session);
    }
    this.byTask.set(execution, session);
    session.begin(controls);
    this.unpaired = this.unpaired.filter((u) => u.session !== session);
    if (!this.claimPending(session, script)) this.unpaired.push({ session, script, since: Date.now() });
    return session;
  }

  /** The task's terminal is the one whose shell is the task's process (its name is localized: "Task - build"). */
  private async findTaskTerminal(pid: number): Promise<vscode.Terminal | undefined> {
    for (const terminal of vscode.window.terminals) {
      if ((await terminal.processId) === pid) return terminal;
    }
    return undefined;
  }

  private executionStarted(e: vscode.TerminalShellExecutionStartEvent): void {
    if (this.builds.forTerminal(e.terminal)?.origin === 'kirby') return;
    const commandLine = e.execution.commandLine.value;
    const now = Date.now();
    this.unpaired = this.unpaired.filter((u) => now - u.since < PAIRING_WINDOW_MS && u.session.running);
    const task = this.unpaired.find((u) => mentionsScript(commandLine, u.script));
    if (task) {
      // an npm task's own command ("npm run build") in its terminal: that task's output
      this.unpaired = this.unpaired.filter((u) => u !== task);
      task.session.follow(new BufferedOutput(e.execution.read()), e.terminal);
      return;
    }
    if (!PACKAGE_MANAGER_COMMAND.test(commandLine) && !this.isBuildCommand(commandLine)) return;
    const pending: PendingExecution = { execution: e.execution, terminal: e.terminal, commandLine, output: new BufferedOutput(e.execution.read()) };
    pending.timer = setTimeout(() => this.unclaimed(pending), CLAIM_WINDOW_MS);
    this.pending.push(pending);
  }

  /** No task claimed the command: a build typed by the user. */
  private unclaimed(pending: PendingExecution): void {
    this.pending = this.pending.filter((p) => p !== pending);
    if (!this.isBuildCommand(pending.commandLine) || !this.monitorAll.value) {
      pending.output.discard();
      if (this.isBuildCommand(pending.commandLine)) void this.offerMonitoring(pending.commandLine);
      return;
    }
    const { execution, terminal, commandLine } = pending;
    const cwd = execution.cwd?.fsPath ?? terminal.shellIntegration?.cwd?.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!cwd) return pending.output.discard();
    const spec: BuildSpec = { ...commandSpec(commandLine, cwd, `${terminal.name}: ${commandLine}`), detectCommand: detectCommandFor(commandLine, cwd) };
    const session = new ObservedBuildSession(spec, this.builds.sessionServices, 'terminal', {}, 'the output of this terminal could not be read');
    this.builds.track(session);
    session.begin();
    session.follow(pending.output, terminal);
    if (pending.exitCode !== undefined) void session.end(pending.exitCode.code);
    else this.byExecution.set(execution, session);
  }

  /** A task's command that started before the task said it did. */
  private claimPending(session: ObservedBuildSession, script: string): boolean {
    const pending = this.pending.find((p) => mentionsScript(p.commandLine, script));
    if (!pending) return false;
    clearTimeout(pending.timer);
    this.pending = this.pending.filter((p) => p !== pending);
    session.follow(pending.output, pending.terminal);
    return true;
  }

  private isBuildCommand(commandLine: string): boolean {
    return this.compiledTerminalPatterns().some((re) => re.test(commandLine));
  }

  /** The setting's patterns, compiled once per value; a broken one is logged with the setting's name and skipped. */
  private compiledTerminalPatterns(): RegExp[] {
    const sources = this.terminalPatterns.value;
    if (this.compiled?.sources === sources) return this.compiled.patterns;
    const patterns: RegExp[] = [];
    const broken: string[] = [];
    (Array.isArray(sources) ? sources : []).forEach((pattern, index) => {
      try {
        patterns.push(compilePattern(pattern));
      } catch (err) {
        broken.push(`${this.terminalPatterns.id}[${index}]: ${(err as Error).message} in "${pattern}"`);
      }
    });
    this.compiled = { sources, patterns };
    for (const line of broken) this.log.warn(line);
    if (broken.length > 0) {
      void vscode.window.showWarningMessage(`Kirby ignored a pattern in your settings: ${broken[0]}. The other patterns keep working.`, 'Open Settings').then((choice) => {
        if (choice) void openSettingFile(this.terminalPatterns.id);
      });
    }
    return patterns;
  }

  /** Once: a build was typed into a terminal while following terminals is off. */
  private async offerMonitoring(commandLine: string): Promise<void> {
    if (this.prompted || this.state.get(PROMPT_DISMISSED_KEY)) return;
    this.prompted = true;
    const choice = await vscode.window.showInformationMessage(
      `Kirby can follow builds you start in your own terminals, like "${commandLine}": their state in the status bar and their problems in the Problems panel. The output is read in memory and never stored.`,
      'Follow Terminal Builds',
      'Not Now',
      "Don't Ask Again",
    );
    if (choice === 'Follow Terminal Builds') await vscode.workspace.getConfiguration('kirby').update('monitorAllTerminals', true, vscode.ConfigurationTarget.Global);
    else if (choice === "Don't Ask Again") await this.state.update(PROMPT_DISMISSED_KEY, true);
  }

  dispose(): void {
    for (const p of this.pending) {
      clearTimeout(p.timer);
      p.output.discard();
    }
    this.pending = [];
    this.store.dispose();
  }
}

/** The npm task's package.json: `definition.path` is relative to its workspace folder. */
function npmTaskSpec(task: vscode.Task, script: string): BuildSpec {
  const folder = taskFolder(task.scope);
  const dir = path.join(folder, typeof task.definition.path === 'string' ? task.definition.path : '');
  if (fs.existsSync(path.join(dir, 'package.json'))) {
    try {
      const spec = scriptSpecIn(dir, script, folder, 'auto');
      if (spec) return { ...spec, name: script };
    } catch {
      // a broken package.json: follow the task by its name alone
    }
  }
  return commandSpec(`npm run ${script}`, dir, script);
}

/** "npm run build", "pnpm build", "yarn run build --watch": the task's script named as a word. */
function mentionsScript(commandLine: string, script: string): boolean {
  return commandLine.split(/\s+/).includes(script);
}

/** For `npm run dev` typed into a terminal, the script's body names the tool better than the command line does. */
function detectCommandFor(commandLine: string, cwd: string): string {
  const m = /^(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?([\w:.-]+)/.exec(commandLine.trim());
  const file = path.join(cwd, 'package.json');
  if (!m || !fs.existsSync(file)) return commandLine;
  try {
    return readPackageScripts(file).scripts[m[1]] ?? commandLine;
  } catch {
    return commandLine;
  }
}
