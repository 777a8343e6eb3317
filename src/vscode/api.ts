import * as vscode from 'vscode';
import type { BuildState, Severity } from '../core/events';
import type { BuildManager } from './buildManager';
import type { BuildSession } from './buildSession';
import { Command, type StartBuildArgs } from './commands';
import type { PatternSettings } from './config';
import { describeIssue } from './config';
import type { RunRecorder } from './runRecorder';
import type { BuildStatusBar } from './statusBar';
import type { RunStore } from '../core/runs/runStore';
import type { RunRecord } from '../core/runs/types';

/** A build as other extensions (and Kirby's tests) see it: plain data, a snapshot at the time of the call. */
export interface BuildInfo {
  id: string;
  name: string;
  command: string;
  cwd: string;
  state: BuildState;
  tool: string | undefined;
  watch: boolean;
  running: boolean;
  pid: number | undefined;
  exitCode: number | undefined;
  errors: number;
  warnings: number;
  problems: { file?: string; line?: number; column?: number; severity: Severity; code?: string; message: string }[];
  lastBuild: { result: 'success' | 'error' | 'cancelled'; durationMs: number; assumed: boolean } | undefined;
  readsOutput: boolean;
  /** Why the output is not read, when it is not. */
  outputNote: string | undefined;
  /** Kirby started it, a task did (the npm scripts panel), or it was typed into a terminal. */
  origin: 'kirby' | 'task' | 'terminal';
  /** The name of its terminal, when known. */
  terminalName: string | undefined;
  backendNote: string | undefined;
  /** Where it runs: this machine or the workspace's Daytona sandbox. */
  backend: 'local' | 'daytona';
}

/** What `vscode.extensions.getExtension('kirby-dev.kirby').exports` gives. */
export interface KirbyApi {
  /** Every build Kirby runs now. */
  readonly builds: readonly BuildInfo[];
  /** A build started, changed state or problems, or its terminal closed. */
  readonly onDidChangeBuilds: vscode.Event<void>;
  /** Starts a build (a script or a command line); resolves with its id once the process runs. */
  startBuild(args: StartBuildArgs): Promise<string | undefined>;
  stopBuild(id: string): Promise<void>;
  /** The latest runs of this workspace from the run store, newest first (what "Show Build History" lists). */
  readonly history: readonly RunRecord[];
  /** What is wrong with `kirby.buildToolPatterns`, one line per problem ("key: message in \"pattern\""). */
  readonly patternIssues: readonly string[];
  /** The status bar item's text now. */
  readonly statusBarText: string;
  /** The workspace's run store (runs, events, process samples), or undefined without a workspace. */
  readonly runs: RunStore | undefined;
}

export function createApi(builds: BuildManager, patterns: PatternSettings, statusBar: BuildStatusBar, recorder: RunRecorder): KirbyApi {
  const changed = new vscode.EventEmitter<void>();
  builds.onDidChange(() => changed.fire());
  return {
    get builds() {
      return builds.all.map(toInfo);
    },
    onDidChangeBuilds: changed.event,
    startBuild: async (args) => vscode.commands.executeCommand<string | undefined>(Command.StartBuild, args),
    stopBuild: async (id) => vscode.commands.executeCommand<void>(Command.StopBuild, id),
    get history() {
      return recorder.runs?.runs({ limit: 50 }) ?? [];
    },
    get patternIssues() {
      return patterns.issues.map(describeIssue);
    },
    get statusBarText() {
      statusBar.render();
      return statusBar.text;
    },
    get runs() {
      return recorder.runs;
    },
  };
}

function toInfo(b: BuildSession): BuildInfo {
  return {
    id: b.id,
    name: b.spec.name,
    command: b.spec.command,
    cwd: b.spec.cwd,
    state: b.state,
    tool: b.toolId,
    watch: b.isWatch,
    running: b.running,
    pid: b.pid,
    exitCode: b.exitStatus?.code,
    errors: b.counts.errors,
    warnings: b.counts.warnings,
    problems: b.problems.map(({ uri, ...p }) => ({ ...p, file: uri?.fsPath ?? p.file })),
    lastBuild: b.lastBuild && {
      result: b.lastBuild.result.result,
      durationMs: b.lastBuild.result.endTime - b.lastBuild.result.startTime,
      assumed: b.lastBuild.result.assumed,
    },
    readsOutput: b.readsOutput,
    outputNote: b.outputNote,
    origin: b.origin,
    terminalName: b.terminal?.name,
    backendNote: b.backendNote,
    backend: b.spec.backend ?? 'local',
  };
}
