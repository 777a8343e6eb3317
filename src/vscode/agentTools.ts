import * as vscode from 'vscode';
import { formatBuild, formatProcessTree, formatRun } from '../core/agentReport';
import { STATE_LABELS } from '../core/summary';
import type { BuildManager } from './buildManager';
import type { BuildSession } from './buildSession';
import { snapshot, startBuild, waitForVerdict, type SandboxAccess } from './agentBuilds';
import { DevServers, type DevServerRequest } from './devServers';
import { AGENT_TOOLS } from './agentToolNames';
import type { RunRecorder } from './runRecorder';
import type { ProcessRecord } from '../core/runs/types';


interface StartInput {
  script?: string;
  command?: string;
  cwd?: string;
  backend?: 'local' | 'daytona';
  waitSeconds?: number;
}
interface StatusInput {
  buildId?: string;
  runId?: string;
}
interface LogsInput {
  buildId?: string;
  lines?: number;
}
interface ProcessInput {
  port?: number;
  buildId?: string;
}

const DEFAULT_WAIT_S = 120;
const MAX_WAIT_S = 600;

/**
 * Kirby's build tools for AI agents (Copilot's agent mode and any chat participant): start a build, read its status
 * and logs, look at ports and processes, run a dev server. Tools that start processes ask first (prepareInvocation).
 */
export function registerAgentTools(builds: BuildManager, recorder: RunRecorder, remote?: SandboxAccess): vscode.Disposable {
  if (typeof vscode.lm?.registerTool !== 'function') return { dispose() {} }; // a host without Language Model Tools
  const servers = new DevServers(builds, remote);
  const now = () => Date.now();
  const tools: vscode.Disposable[] = [
    vscode.lm.registerTool<StartInput>(AGENT_TOOLS.startBuild, {
      prepareInvocation: ({ input }) => confirmRun('Start a build', input),
      invoke: async ({ input }, token) => {
        const started = await startBuild(input);
        if ('error' in started) return text(started.error);
        const build = await waitForVerdict(builds, started.id, clampWait(input.waitSeconds), token);
        return text(build ? formatBuild(snapshot(build), now()) : `Build ${started.id} ended before it could be read.`);
      },
    }),
    vscode.lm.registerTool<StatusInput>(AGENT_TOOLS.buildStatus, {
      invoke: ({ input }) => {
        if (input.runId) {
          const run = recorder.runs?.get(input.runId);
          return text(run ? formatRun(run, now()) : `No run ${input.runId} in this workspace's records.`);
        }
        const chosen = input.buildId ? builds.get(input.buildId) : latest(builds.all);
        if (chosen) return text(formatBuild(snapshot(chosen), now()));
        if (input.buildId) return text(`No build ${input.buildId} is listed now. ${recentRuns(recorder)}`);
        return text(`No build is running. ${recentRuns(recorder)}`);
      },
    }),
    vscode.lm.registerTool<LogsInput>(AGENT_TOOLS.buildLogs, {
      invoke: ({ input }) => {
        const lines = Math.max(1, Math.min(200, Math.round(input.lines ?? 50)));
        const chosen = input.buildId ? [builds.get(input.buildId)].filter((b): b is BuildSession => !!b) : builds.all;
        if (chosen.length === 0) return text(input.buildId ? `No build ${input.buildId} is listed now.` : 'No build is running.');
        const each = Math.max(1, Math.floor(lines / chosen.length));
        return text(
          chosen
            .map((b) => {
              const recent = b.recentLines(each);
              return `Build ${b.id} "${b.spec.name}" (${b.spec.command}), state ${STATE_LABELS[b.state]}, last ${recent.length} lines:\n${recent.map((l) => `  ${l}`).join('\n')}`;
            })
            .join('\n\n'),
        );
      },
    }),
    vscode.lm.registerTool<ProcessInput>(AGENT_TOOLS.processStatus, {
      invoke: async ({ input }) => text(await processReport(builds, recorder, servers, input, remote)),
    }),
    vscode.lm.registerTool<DevServerRequest>(AGENT_TOOLS.runDevServer, {
      prepareInvocation: ({ input }) => confirmRun('Run a dev server', { ...input, script: input.command ? undefined : (input.script ?? 'dev') }),
      invoke: async ({ input }, token) => text(await servers.run(input, token)),
    }),
  ];
  return vscode.Disposable.from(...tools);
}

function text(value: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(value)]);
}

function clampWait(seconds: number | undefined): number {
  return Math.max(0, Math.min(MAX_WAIT_S, seconds ?? DEFAULT_WAIT_S));
}

function confirmRun(title: string, input: StartInput): vscode.PreparedToolInvocation {
  const what = input.command ? `\`${input.command}\`` : input.script ? `the \`${input.script}\` script` : 'the default build';
  const where = `${input.cwd ? ` in \`${input.cwd}\`` : ''}${input.backend === 'daytona' ? ' in a Daytona sandbox' : ''}`;
  return {
    invocationMessage: `${title}: ${input.command ?? input.script ?? 'build'}`,
    confirmationMessages: { title, message: new vscode.MarkdownString(`Kirby will run ${what}${where} in a terminal. It runs code from this workspace.`) },
  };
}


/** The build that changed last: the one an agent means when it names none. */
function latest(all: readonly BuildSession[]): BuildSession | undefined {
  return [...all].sort((a, b) => b.startedAt - a.startedAt)[0];
}

function recentRuns(recorder: RunRecorder): string {
  const runs = recorder.runs?.runs({ limit: 3 }) ?? [];
  if (runs.length === 0) return 'No build has run in this workspace yet.';
  return `The latest runs:\n${runs.map((r) => formatRun(r, Date.now())).join('\n')}`;
}

async function processReport(builds: BuildManager, recorder: RunRecorder, servers: DevServers, input: ProcessInput, remote?: SandboxAccess): Promise<string> {
  const out: string[] = [];
  if (input.port !== undefined) out.push(await servers.describePort(input.port));
  const chosen = input.buildId ? [builds.get(input.buildId)].filter((b): b is BuildSession => !!b) : input.port === undefined ? builds.all : [];
  if (input.buildId && chosen.length === 0) out.push(`No build ${input.buildId} is listed now.`);
  const all = [];
  for (const b of chosen) {
    const live = b.spec.backend === 'daytona' ? await sandboxProcesses(b, remote) : sampledProcesses(b, recorder);
    all.push(...live);
    out.push(`Build ${b.id} "${b.spec.name}" (${b.spec.command}): ${STATE_LABELS[b.state]}, ${b.running ? `running, pid ${b.pid ?? 'unknown'}` : 'not running'}`);
    const none = b.spec.backend === 'daytona' ? '  the sandbox could not be asked' : '  no process sample yet (sampled every kirby.sampleIntervalMs; none on Windows)';
    out.push(...(live.length > 0 ? formatProcessTree(live) : [none]));
  }
  if (chosen.length === 0 && input.port === undefined) out.push('No build is running.');
  if (all.length > 1) {
    const top = [...all].sort((a, b) => b.cpu - a.cpu).slice(0, 5);
    out.push('Top CPU:', ...top.map((p) => `  ${p.pid} ${p.name} ${Math.round(p.cpu)}% CPU`));
  }
  return out.join('\n');
}

/** A local build's processes, from the latest sample in the run store. */
function sampledProcesses(b: BuildSession, recorder: RunRecorder): ProcessRecord[] {
  const runId = recorder.runIdOf(b);
  return (runId ? (recorder.runs?.processes(runId) ?? []) : []).filter((p) => p.status === 'running');
}

/** A remote build's sandbox, asked now (one `ps` there): the sandbox runs nothing but builds, so all of it. */
async function sandboxProcesses(b: BuildSession, remote: SandboxAccess | undefined): Promise<ProcessRecord[]> {
  const samples = (await remote?.processes(b.spec.cwd).catch(() => undefined)) ?? [];
  return samples.map((p) => ({ runId: '', pid: p.pid, ppid: p.ppid, name: p.name, cmdline: p.cmdline, startTime: 0, cpu: p.cpu, mem: p.rss, status: 'running' as const, children: [] }));
}
