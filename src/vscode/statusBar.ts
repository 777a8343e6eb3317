import * as vscode from 'vscode';
import { BuildState } from '../core/events';
import { buildTrend, describeRun, describeTrend } from '../core/runs/runHistory';
import type { RunRecord } from '../core/runs/types';
import { formatAge, formatCounts, formatDuration, STATE_LABELS, worstState } from '../core/summary';
import type { BuildManager } from './buildManager';
import type { BuildSession } from './buildSession';
import { Command } from './commands';
import type { RunRecorder } from './runRecorder';

const ICONS: Readonly<Record<BuildState, string>> = {
  [BuildState.Idle]: '$(circle-large-outline)',
  [BuildState.Building]: '$(sync~spin)',
  [BuildState.Ready]: '$(check)',
  [BuildState.WatchModeActive]: '$(eye)',
  [BuildState.Rebuilding]: '$(sync~spin)',
  [BuildState.Error]: '$(error)',
};

const ORIGINS = { kirby: '', task: ' (a task)', terminal: ' (typed in a terminal)' } as const;

/** Status bar updates are coalesced: a build printing thousands of problems must not redraw it thousands of times. */
const RENDER_DELAY_MS = 50;

/** The one status bar item: the most urgent state of all builds, a count when there are several, and actions on click. */
export class BuildStatusBar implements vscode.Disposable {
  static readonly ID = 'kirby.status';
  private readonly item = vscode.window.createStatusBarItem(BuildStatusBar.ID, vscode.StatusBarAlignment.Left, 50);
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: vscode.Disposable[];

  constructor(
    private readonly builds: BuildManager,
    /** The run store, read only once something else opened it (activation must not). */
    private readonly recorder: Pick<RunRecorder, 'openedRuns' | 'onDidChangeRuns'>,
  ) {
    this.item.name = 'Kirby Build Status';
    this.render();
    this.item.show();
    const later = () => {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.render();
      }, RENDER_DELAY_MS);
    };
    this.listeners = [builds.onDidChange(later), recorder.onDidChangeRuns(later)];
  }

  /** What the item shows now (for the API and tests). */
  get text(): string {
    return this.item.text;
  }

  render(): void {
    const sessions = this.builds.all;
    const item = this.item;
    const runs = this.recorder.openedRuns?.runs() ?? [];
    if (sessions.length === 0) {
      item.text = '$(play) Kirby';
      item.tooltip = idleTooltip(runs[0]);
      item.command = Command.StartBuild;
      item.backgroundColor = undefined;
      item.color = undefined;
      item.accessibilityInformation = { label: 'Kirby: no build running. Start a build.' };
      return;
    }
    const state = worstState(sessions.map((s) => s.state));
    const errors = sessions.reduce((n, s) => n + s.counts.errors, 0);
    const warnings = sessions.reduce((n, s) => n + s.counts.warnings, 0);
    const subject = sessions.length === 1 ? sessions[0].spec.name : `${sessions.length} builds`;
    let detail: string = STATE_LABELS[state];
    if (state === BuildState.Error && errors > 0) detail = formatCounts(errors, 0);
    // a build still being prepared (a sandbox set up) says what it waits for rather than "Idle"
    const preparing = state === BuildState.Idle ? sessions.find((s) => s.phase !== undefined) : undefined;
    if (preparing) detail = preparing.phase!;
    const warningIcon = (state === BuildState.Ready || state === BuildState.WatchModeActive) && warnings > 0;
    item.text = `${warningIcon ? '$(warning)' : preparing ? '$(loading~spin)' : ICONS[state]} ${subject}: ${detail}`;
    item.backgroundColor = state === BuildState.Error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.color =
      state === BuildState.Error
        ? new vscode.ThemeColor('statusBarItem.errorForeground')
        : state === BuildState.WatchModeActive
          ? new vscode.ThemeColor('charts.blue')
          : undefined;
    item.command = Command.ShowActions;
    item.tooltip = tooltip(sessions, runs);
    item.accessibilityInformation = { label: `Kirby: ${subject} ${STATE_LABELS[state]}, ${formatCounts(errors, warnings)}` };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const listener of this.listeners) listener.dispose();
    this.item.dispose();
  }
}

/** No build now: the last run from the store, so the status bar still answers "how did my last build go?". */
function idleTooltip(last: RunRecord | undefined): string | vscode.MarkdownString {
  if (!last) return 'Kirby: start a build';
  const md = new vscode.MarkdownString(undefined, true);
  md.supportThemeIcons = true;
  md.appendMarkdown(`Last build: **${escape(last.name ?? last.command)}** ${escape(describeRun(last))}, ${formatAge(Date.now() - (last.endTime ?? last.startTime))}\n\n`);
  md.appendMarkdown('_Click to start a build._');
  return md;
}

function tooltip(sessions: readonly BuildSession[], runs: readonly RunRecord[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.supportThemeIcons = true;
  const now = Date.now();
  sessions.forEach((s, index) => {
    if (index > 0) md.appendMarkdown('\n\n---\n\n');
    md.appendMarkdown(`${ICONS[s.state].replace('~spin', '')} **${escape(s.spec.name)}** — ${STATE_LABELS[s.state]}\n\n`);
    md.appendMarkdown('| | |\n|---|---|\n');
    row(md, 'Tool', s.toolName ?? 'not recognised (generic patterns)');
    row(md, 'Command', `\`${s.spec.command.replace(/`/g, "'")}\`${ORIGINS[s.origin]}`);
    if (s.lastBuild) {
      const { result, endedAt } = s.lastBuild;
      const verdict = result.result === 'success' ? 'succeeded' : result.result === 'error' ? 'failed' : 'was cancelled';
      row(md, 'Last build', `${verdict} in ${formatDuration(result.endTime - result.startTime)}, ${formatAge(now - endedAt)}${result.assumed ? ' (assumed)' : ''}`);
    }
    if (s.lastRebuildAt !== undefined) row(md, 'Last rebuild', formatAge(now - s.lastRebuildAt));
    row(md, 'Problems', formatCounts(s.counts.errors, s.counts.warnings));
    const trend = describeTrend(buildTrend(runs, s.spec));
    if (trend) row(md, 'Recent runs', trend);
    if (s.exitStatus) row(md, 'Exit code', String(s.exitStatus.code));
    if (s.outputNote) md.appendMarkdown(`\n\n$(info) ${s.outputNote[0].toUpperCase()}${s.outputNote.slice(1)}.`);
    else if (s.backendNote?.startsWith('pipes')) md.appendMarkdown(`\n\n$(info) ${escape(s.backendNote)}`);
  });
  md.appendMarkdown('\n\n_Click for actions._');
  return md;
}

function row(md: vscode.MarkdownString, label: string, value: string): void {
  md.appendMarkdown(`| ${label} | ${value.replace(/\|/g, '\\|')} |\n`);
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
