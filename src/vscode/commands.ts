import * as vscode from 'vscode';
import { Command } from './commandIds';

export { Command };

/** What `kirby.startBuild` accepts from other code (the API, tests, later the npm scripts view). */
export interface StartBuildArgs {
  /** Run this script of the package.json in `cwd` (or of the first workspace folder). */
  script?: string;
  /** Or run this command line. */
  command?: string;
  cwd?: string;
  /** The terminal's name; defaults to the script or the command. */
  name?: string;
  /** Run it here or in the workspace's Daytona sandbox; defaults to `kirby.backend`. */
  backend?: 'local' | 'daytona';
}

/** What the NPM Scripts view passes to its context-menu commands (the built-in npm extension's script item). */
export interface NpmScriptItem {
  task?: { definition: { type: string; script?: unknown; path?: unknown }; scope?: unknown };
  taskLocation?: { uri: vscode.Uri };
}

/** A build's id, or nothing to pick one (or the only one). */
export type BuildIdArg = string | undefined;

export interface CommandSignatures {
  [Command.StartBuild]: (args?: StartBuildArgs) => Promise<string | undefined>;
  [Command.StopBuild]: (id?: BuildIdArg) => Promise<void>;
  [Command.RestartBuild]: (id?: BuildIdArg) => Promise<void>;
  [Command.ShowTerminal]: (id?: BuildIdArg) => Promise<void>;
  [Command.GoToFirstError]: (id?: BuildIdArg) => Promise<boolean>;
  [Command.ShowHistory]: () => Promise<void>;
  [Command.ShowActions]: () => Promise<void>;
  [Command.ForgetDetectedTools]: () => Promise<void>;
  [Command.ShowLog]: () => void;
  [Command.RunNpmScript]: (item?: NpmScriptItem) => Promise<string | undefined>;
  [Command.OpenDashboard]: () => void;
  [Command.SetDaytonaApiKey]: () => Promise<boolean>;
  [Command.ClearDaytonaApiKey]: () => Promise<void>;
  [Command.StartRemoteBuild]: (args?: StartBuildArgs) => Promise<string | undefined>;
  [Command.ManageSandboxes]: () => Promise<void>;
  [Command.PullFromSandbox]: () => Promise<void>;
  [Command.OpenPreview]: (port?: number) => Promise<void>;
}

/** The commands of the Daytona backend (src/vscode/daytona/daytonaCommands.ts handles them). */
export type DaytonaCommand =
  | Command.SetDaytonaApiKey
  | Command.ClearDaytonaApiKey
  | Command.StartRemoteBuild
  | Command.ManageSandboxes
  | Command.PullFromSandbox
  | Command.OpenPreview;

/** Registers a handler for every command; the compiler refuses a missing one or a wrong signature. */
export function registerCommands(handlers: CommandSignatures): vscode.Disposable {
  const disposables = (Object.keys(handlers) as Command[]).map((id) =>
    vscode.commands.registerCommand(id, handlers[id] as (...args: unknown[]) => unknown),
  );
  return vscode.Disposable.from(...disposables);
}
