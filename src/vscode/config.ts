import * as vscode from 'vscode';
import { DisposableStore, Emitter } from '../core/emitter';
import { BUILTIN_TOOLS } from '../core/patterns/database';
import { applyOverrides, type PatternIssue } from '../core/patterns/overrides';
import { PatternRegistry } from '../core/patterns/registry';
import { SETTING_DEFAULTS } from './settingDefaults';

export const SECTION = 'kirby';

/** One `kirby.*` setting, read once and re-read only when it changes (the hot path never calls getConfiguration). */
export class ConfigValue<T> implements vscode.Disposable {
  private cached: { value: T } | undefined;
  private readonly changed = new Emitter<T>();
  readonly onDidChange = this.changed.event;
  private readonly listener: vscode.Disposable;

  constructor(
    readonly key: string,
    private readonly fallback: T,
  ) {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(`${SECTION}.${key}`)) return;
      this.cached = undefined;
      this.changed.fire(this.value);
    });
  }

  get value(): T {
    this.cached ??= { value: vscode.workspace.getConfiguration(SECTION).get<T>(this.key, this.fallback) };
    return this.cached.value;
  }

  /** The setting's full name, for messages ("kirby.idleTimeoutSeconds"). */
  get id(): string {
    return `${SECTION}.${this.key}`;
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}

/** Kirby's settings, each read through a ConfigValue with the default package.json declares (a unit test checks). */
export class Settings implements vscode.Disposable {
  private readonly store = new DisposableStore();
  readonly enableBuildOutputParsing = this.setting('enableBuildOutputParsing');
  readonly buildToolPatterns = this.setting('buildToolPatterns');
  readonly idleTimeoutSeconds = this.setting('idleTimeoutSeconds');
  readonly buildCommand = this.setting('buildCommand');
  readonly defaultScript = this.setting('defaultScript');
  readonly packageManager = this.setting('packageManager');
  readonly revealTerminal = this.setting('revealTerminal');
  readonly monitorAllTerminals = this.setting('monitorAllTerminals');
  readonly sampleIntervalMs = this.setting('sampleIntervalMs');
  readonly maxRuns = this.setting('maxRuns');
  readonly maxRunStorageMB = this.setting('maxRunStorageMB');
  readonly externalTerminalPatterns = this.setting('externalTerminalPatterns');
  readonly backend = this.setting('backend');
  readonly daytonaApiUrl = this.setting('daytona.apiUrl');
  readonly daytonaTarget = this.setting('daytona.target');
  readonly daytonaImage = this.setting('daytona.image');
  readonly daytonaSnapshot = this.setting('daytona.snapshot');
  readonly daytonaResources = this.setting('daytona.resources');
  readonly daytonaAutoStopMinutes = this.setting('daytona.autoStopMinutes');
  readonly daytonaReadyTimeoutSeconds = this.setting('daytona.readyTimeoutSeconds');
  readonly daytonaSyncExclude = this.setting('daytona.syncExclude');
  readonly daytonaInstallCommand = this.setting('daytona.installCommand');
  readonly daytonaPublicPreview = this.setting('daytona.publicPreview');
  readonly daytonaKeepSandboxRunning = this.setting('daytona.keepSandboxRunning');

  private setting<K extends keyof typeof SETTING_DEFAULTS>(key: K): ConfigValue<(typeof SETTING_DEFAULTS)[K]> {
    return this.store.add(new ConfigValue(key, SETTING_DEFAULTS[key]));
  }

  get idleTimeoutMs(): number {
    const seconds = this.idleTimeoutSeconds.value;
    return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
  }

  dispose(): void {
    this.store.dispose();
  }
}

/**
 * The pattern registry built from the database and `kirby.buildToolPatterns`, rebuilt when the setting changes.
 * A bad override is reported once (one warning naming the key and the pattern, with a way to the setting); every
 * other pattern keeps working.
 */
export class PatternSettings implements vscode.Disposable {
  private current: PatternRegistry | undefined;
  private currentIssues: readonly PatternIssue[] = [];
  private lastReported = '';
  private readonly changed = new Emitter<PatternRegistry>();
  readonly onDidChange = this.changed.event;
  private readonly listener: vscode.Disposable;
  private readonly initialCheck: NodeJS.Timeout | undefined;

  constructor(
    private readonly setting: ConfigValue<unknown>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // compiling every pattern costs milliseconds: not during activation. The user's own patterns are still checked
    // right after it, so a broken one is reported before the first build.
    if (!isEmpty(setting.value)) this.initialCheck = setTimeout(() => this.registry, 0);
    this.listener = setting.onDidChange(() => {
      this.current = this.build();
      this.changed.fire(this.current);
    });
  }

  get registry(): PatternRegistry {
    this.current ??= this.build();
    return this.current;
  }

  get issues(): readonly PatternIssue[] {
    void this.registry;
    return this.currentIssues;
  }

  private build(): PatternRegistry {
    const { specs, issues } = applyOverrides(BUILTIN_TOOLS, this.setting.value, this.setting.id);
    this.currentIssues = issues;
    this.report(issues);
    try {
      return new PatternRegistry(specs);
    } catch (e) {
      // applyOverrides compiled every pattern already; this is a last guard so a bad setting never breaks builds
      this.log.error(`${this.setting.id}: ${(e as Error).message}; using the built-in patterns`);
      return PatternRegistry.builtin();
    }
  }

  private report(issues: readonly PatternIssue[]): void {
    const signature = JSON.stringify(issues);
    if (signature === this.lastReported) return;
    this.lastReported = signature;
    if (issues.length === 0) return;
    for (const issue of issues) this.log.warn(describeIssue(issue));
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more: see Kirby's log)` : '';
    const message = `Kirby ignored a pattern in your settings: ${describeIssue(issues[0])}${more}. The other patterns keep working.`;
    void vscode.window.showWarningMessage(message, 'Open Settings', 'Show Log').then((choice) => {
      if (choice === 'Open Settings') void openSettingFile(this.setting.id);
      else if (choice === 'Show Log') this.log.show(true);
    });
  }

  dispose(): void {
    if (this.initialCheck) clearTimeout(this.initialCheck);
    this.listener.dispose();
    this.changed.dispose();
  }
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0);
}

export function describeIssue(issue: PatternIssue): string {
  const named = issue.pattern === undefined || issue.message.includes(issue.pattern);
  return named ? `${issue.path}: ${issue.message}` : `${issue.path}: ${issue.message} in "${issue.pattern}"`;
}

/** Opens the settings.json that holds the setting (folder, workspace or user), revealing the key. */
export async function openSettingFile(id: string): Promise<void> {
  const inspected = vscode.workspace.getConfiguration().inspect(id);
  const reveal = { revealSetting: { key: id } };
  if (inspected?.workspaceFolderValue !== undefined || inspected?.workspaceValue !== undefined) {
    await vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile', reveal);
  } else {
    await vscode.commands.executeCommand('workbench.action.openSettingsJson', reveal);
  }
}
