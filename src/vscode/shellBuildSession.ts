import * as vscode from 'vscode';
import { killTree } from '../run/processTree';
import { BuildSession, type BuildSpec, type SessionServices } from './buildSession';

/** How long a new terminal may take to report shell integration before the command is typed in blind. */
const SHELL_INTEGRATION_WAIT_MS = 3000;

/**
 * `kirby.enableBuildOutputParsing: false`: the command is typed into an ordinary integrated terminal and its output
 * is never read. The state comes from what is left: Building until the exit code (when shell integration reports
 * it) or, for a build that keeps running, until the idle timeout says it is probably ready.
 */
export class ShellBuildSession extends BuildSession {
  readonly outputNote = 'output is not read (`kirby.enableBuildOutputParsing` is off): the state comes from the exit code and the idle timeout';
  readonly terminal: vscode.Terminal;
  private execution: vscode.TerminalShellExecution | undefined;
  private ended = false;

  constructor(spec: BuildSpec, services: SessionServices) {
    super(spec, services);
    this.terminal = vscode.window.createTerminal({ name: spec.name, cwd: spec.cwd, iconPath: new vscode.ThemeIcon('tools') });
    this.store.add(
      vscode.window.onDidEndTerminalShellExecution((e) => {
        if (e.execution === this.execution) this.finish(e.exitCode);
      }),
    );
    this.store.add(
      vscode.window.onDidCloseTerminal((t) => {
        if (t !== this.terminal) return;
        // closing the terminal ends the build; without an exit code that counts as a failure
        this.finish(t.exitStatus?.code ?? 1);
        this.dispose();
      }),
    );
  }

  get running(): boolean {
    return this.engine !== undefined && !this.ended;
  }

  get pid(): number | undefined {
    return undefined;
  }

  async start(): Promise<void> {
    this.ended = false;
    this.newEngine().start();
    this.fireChanged();
    const integration = await waitForShellIntegration(this.terminal);
    if (integration) this.execution = integration.executeCommand(this.spec.command);
    else this.terminal.sendText(this.spec.command, true);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Ctrl+C to the shell's foreground job, then (if it ignores that) the shell's children. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.terminal.sendText('\x03', false);
    const shellPid = await this.terminal.processId;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (this.running && shellPid) await killTree(shellPid, { keepRoot: true });
    this.finish(130);
  }

  private finish(exitCode: number | undefined): void {
    if (this.ended || !this.engine) return;
    this.ended = true;
    this.engine.exit(exitCode);
    this.endRun(exitCode);
    this.fireChanged();
  }
}

function waitForShellIntegration(terminal: vscode.Terminal): Promise<vscode.TerminalShellIntegration | undefined> {
  if (terminal.shellIntegration) return Promise.resolve(terminal.shellIntegration);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      listener.dispose();
      resolve(undefined);
    }, SHELL_INTEGRATION_WAIT_MS);
    const listener = vscode.window.onDidChangeTerminalShellIntegration((e) => {
      if (e.terminal !== terminal) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(e.shellIntegration);
    });
  });
}
