import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as vscode from 'vscode';
import type { KirbyApi } from '../../src/vscode/api';
import { AGENT_TOOLS } from '../../src/vscode/agentToolNames';
import { BAD_SOURCE, closeAllBuilds, GOOD_SOURCE, kirby, waitFor, workspaceDir, writeSource } from './helpers';

/** Calls a tool the way a chat participant does (outside a chat request: no invocation token) and returns its text. */
async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

describe('agent tools (Language Model Tools), invoked through vscode.lm', function () {
  let api: KirbyApi;
  before(async () => {
    api = await kirby();
  });
  afterEach(async () => closeAllBuilds(api));

  it('registers every tool', () => {
    const names = vscode.lm.tools.map((t) => t.name);
    for (const name of Object.values(AGENT_TOOLS)) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    const start = vscode.lm.tools.find((t) => t.name === AGENT_TOOLS.startBuild)!;
    assert.ok(start.inputSchema && 'properties' in start.inputSchema, 'with an input schema');
  });

  it('a failed build: start_build waits for the verdict and reports the error with its location; status and logs agree', async () => {
    writeSource('src/index.ts', BAD_SOURCE);
    const report = await invoke(AGENT_TOOLS.startBuild, { script: 'build', waitSeconds: 60 });
    assert.match(report, /^Build \d+ "build": Error$/m, report);
    assert.match(report, /error src\/index\.ts:2:9 TS2322: /, report);
    assert.match(report, /not running \(exit code 2\)/, report);
    const id = /^Build (\d+)/.exec(report)![1];

    const status = await invoke(AGENT_TOOLS.buildStatus, { buildId: id });
    assert.match(status, /Problems: 2 errors/, status);
    const logs = await invoke(AGENT_TOOLS.buildLogs, { buildId: id, lines: 5 });
    assert.match(logs, /TS2322/, logs);
    assert.ok(logs.split('\n').length <= 6, `at most 5 lines and a heading: ${logs}`);
    const processes = await invoke(AGENT_TOOLS.processStatus, { buildId: id });
    assert.match(processes, new RegExp(`Build ${id} "build"`), processes);
    writeSource('src/index.ts', GOOD_SOURCE);
  });

  it('run_dev_server starts a real Vite dev server, finds its URL, checks its health; process_status names its port owner', async function () {
    this.timeout(120_000);
    const report = await invoke(AGENT_TOOLS.runDevServer, { script: 'dev', cwd: workspaceDir(), timeoutSeconds: 90 });
    const url = /serves at (http:\/\/127\.0\.0\.1:(\d+)\/) — healthy \(HTTP 200/.exec(report);
    assert.ok(url, report);
    const page = await fetch(url[1]);
    assert.match(await page.text(), /Kirby fixture/, 'the URL is the fixture app');
    const build = await waitFor(() => api.builds.find((b) => b.name === 'dev' && b.state === 'WatchModeActive'), 'the dev server to be followed as Watching');
    assert.equal(build.tool, 'vite');

    const again = await invoke(AGENT_TOOLS.runDevServer, { script: 'dev', cwd: workspaceDir() });
    assert.match(again, /already running; Kirby did not start another/, again);
    assert.equal(api.builds.filter((b) => b.name === 'dev').length, 1);

    const port = await invoke(AGENT_TOOLS.processStatus, { port: Number(url[2]) });
    assert.match(port, new RegExp(`Port ${url[2]} is in use by:`), port);
    if (process.platform === 'linux') assert.match(port, /part of Kirby build \d+ "dev"/, port);
  });

  it('run_dev_server finds a server that prints no address by probing the expected port among its own processes', async function () {
    this.timeout(60_000);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const report = await invoke(AGENT_TOOLS.runDevServer, { command: `node tools/quiet-server.js ${port}`, cwd: workspaceDir(), port, timeoutSeconds: 5 });
    assert.match(report, new RegExp(`serves at http://localhost:${port}/ — healthy \\(HTTP 200`), report);
  });
});
