import * as vscode from 'vscode';
import { formatBuild } from '../core/agentReport';
import { USUAL_DEV_PORTS, type ServerAddress } from '../core/devServer';
import { BuildState } from '../core/events';
import { listProcesses, treeMembers } from '../run/processTree';
import { accepts, checkHealth, portStatus } from '../run/ports';
import { snapshot, startBuild, waitForVerdict, type SandboxAccess } from './agentBuilds';
import type { BuildManager } from './buildManager';
import type { BuildSession } from './buildSession';

export interface DevServerRequest {
  script?: string;
  command?: string;
  cwd?: string;
  backend?: 'local' | 'daytona';
  /** The port the agent expects, probed first when the output names none. */
  port?: number;
  timeoutSeconds?: number;
}

/** A server that printed no address is given this long after it is ready before its ports are probed. */
const ADDRESS_GRACE_MS = 2000;

/**
 * Runs a dev server as a Kirby build (so it is followed like any watch build: Watching, Rebuilding on HMR, Error),
 * finds where it listens (its output, else the usual ports its own processes opened), checks it answers over HTTP.
 */
export class DevServers {
  constructor(
    private readonly builds: BuildManager,
    private readonly remote?: SandboxAccess,
  ) {}

  async run(request: DevServerRequest, token: vscode.CancellationToken): Promise<string> {
    const seconds = Math.max(5, Math.min(600, request.timeoutSeconds ?? 90));
    const script = request.command ? undefined : (request.script ?? 'dev');
    const remote = request.backend === 'daytona';
    const running = this.builds.all.find(
      (b) => b.running && (b.spec.backend === 'daytona') === remote && (request.command ? b.spec.command === request.command : b.spec.key.replace(/@daytona$/, '').endsWith(`#${script}`)),
    );
    let id = running?.id;
    if (!id) {
      const started = await startBuild({ script, command: request.command, cwd: request.cwd, backend: request.backend });
      if ('error' in started) return started.error;
      id = started.id;
    }
    const session = this.builds.get(id);
    if (!session) return `The dev server (build ${id}) ended before it could be read.`;
    session.serverAddress(); // start reading its output for an address now

    const deadline = Date.now() + seconds * 1000;
    await waitForVerdict(this.builds, session.id, seconds, token, (b) => !b.running || b.state === BuildState.Error || b.serverAddress()?.local === true || isServing(b));
    let address = session.serverAddress();
    if (!address && session.running && session.state !== BuildState.Error && !remote) {
      // ready but silent about its address: give it a moment, then look at the ports its processes opened
      await waitForVerdict(this.builds, session.id, Math.min(ADDRESS_GRACE_MS, Math.max(0, deadline - Date.now())) / 1000, token, (b) => !!b.serverAddress());
      address = session.serverAddress() ?? (await this.probe(session, request.port));
    }
    const status = formatBuild(snapshot(session), Date.now());
    const reused = running ? ' (it was already running; Kirby did not start another)' : '';
    if (!address) {
      const why = !session.running ? 'it exited' : session.state === BuildState.Error ? 'it reported an error' : `it said nothing about it within ${seconds} s and none of ports ${[request.port, ...USUAL_DEV_PORTS].filter(Boolean).join(', ')} opened by its processes answers`;
      return `The dev server "${session.spec.name}"${reused} has no address: ${why}.\n\n${status}`;
    }
    let url = address.url;
    if (session.spec.backend === 'daytona') {
      // the port is the sandbox's: reach it through its preview (a loopback proxy adds the token when it is private)
      const preview = await this.remote?.previewFor(session.spec.cwd, address.port);
      if (!preview) return `The dev server "${session.spec.name}" listens on port ${address.port} in its sandbox, but no preview of it could be made.\n\n${status}`;
      url = preview;
    }
    const health = await checkHealth(url);
    const verdict = health.ok ? `healthy (HTTP ${health.status} in ${health.ms} ms)` : `not answering yet (${health.status ? `HTTP ${health.status}` : health.error})`;
    return [
      `The dev server "${session.spec.name}"${reused} serves at ${url} — ${verdict}.${url !== address.url ? ` (In its Daytona sandbox it listens on port ${address.port}.)` : ''}`,
      'Kirby follows it like any watch build: Watching when ready, Rebuilding on a change, Error on a failure (status bar and Problems panel).',
      '',
      status,
    ].join('\n');
  }

  /** "Port 5173 is in use by 1234 node (vite) — a Kirby build: dev". */
  async describePort(port: number): Promise<string> {
    const status = await portStatus(port);
    if (!status.inUse) return `Port ${port} is free on this machine.`;
    if (status.owners.length === 0) return `Port ${port} is in use (the system does not say by which process here).`;
    const lines = [`Port ${port} is in use by:`];
    const all = await listProcesses();
    for (const owner of status.owners) {
      const build = this.builds.all.find((b) => b.pid !== undefined && treeMembers(all, b.pid, new Set()).has(owner.pid));
      lines.push(`  ${owner.pid} ${owner.name} — ${owner.cmdline}${build ? ` (part of Kirby build ${build.id} "${build.spec.name}")` : ''}`);
    }
    return lines.join('\n');
  }

  /** The first of the expected and usual ports that accepts connections and belongs to the build's processes. */
  private async probe(session: BuildSession, expected: number | undefined): Promise<ServerAddress | undefined> {
    const members = session.pid !== undefined ? treeMembers(await listProcesses(), session.pid, new Set()) : undefined;
    for (const port of [expected, ...USUAL_DEV_PORTS].filter((p): p is number => p !== undefined)) {
      if (!(await accepts('127.0.0.1', port, 300))) continue;
      const { owners } = await portStatus(port);
      // where the system names owners, the port must be the build's own (a database on 5432 is not the dev server)
      if (members && owners.length > 0 && !owners.some((o) => members.has(o.pid))) continue;
      return { url: `http://localhost:${port}/`, port, local: true };
    }
    return undefined;
  }
}

function isServing(b: BuildSession): boolean {
  return (b.state === BuildState.WatchModeActive || b.state === BuildState.Ready) && !!b.serverAddress();
}
