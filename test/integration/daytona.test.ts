import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FakeDaytona } from '../daytona/fakeDaytona';
import type { KirbyApi } from '../../src/vscode/api';
import { driver } from './driver';
import { BAD_SOURCE, closeAllBuilds, GOOD_SOURCE, kirby, waitFor, waitForBuild, workspaceDir, writeSource } from './helpers';

async function invokeText(tool: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(tool, { input, toolInvocationToken: undefined });
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

/** The build's last output lines (through the agent tool), for a failure message. */
function logsOf(id: string): Promise<string> {
  return invokeText('kirby_build_logs', { buildId: id, lines: 40 });
}

/** The title of Kirby's input box for the key (DaytonaAccess.setKey). */
const KEY_INPUT_TITLE = 'Kirby: Daytona API Key';

/** Machine-scoped settings (the API URL) live in the user's settings, never a workspace's. */
async function setUserSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('kirby').update(key, value, vscode.ConfigurationTarget.Global);
}

describe('remote builds in a Daytona sandbox (a fake Daytona that the real SDK talks to)', function () {
  this.timeout(180_000);
  let api: KirbyApi;
  let fake: FakeDaytona;
  before(async function () {
    if (!driver.available) this.skip(); // the key is typed into VS Code's own input box
    api = await kirby();
    fake = await new FakeDaytona().start();
    await setUserSetting('daytona.apiUrl', fake.apiUrl);
    // a webview left open by an earlier suite (the dashboard) can keep the keyboard: the key would be typed there
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await driver.palette('Kirby: Set Daytona API Key…');
    // an input box has no rows, so each step is checked by what the box shows (its title, what it holds)
    const inputBox = async () => driver.quickPick(0);
    await waitFor(async () => ((await inputBox()).title === KEY_INPUT_TITLE ? true : undefined), 'the key input box');
    await driver.keys({ text: fake.apiKey });
    await waitFor(async () => ((await inputBox()).value === fake.apiKey ? true : undefined), 'the key typed into the input box');
    await driver.keys({ press: ['Enter'] });
    await waitFor(async () => ((await inputBox()).title !== KEY_INPUT_TITLE ? true : undefined), 'the key input box to close');
    // the key is checked against the API before it is stored: done when the notification says so
    await driver.palette('Notifications: Show Notifications');
    let notifications = '';
    try {
      await waitFor(async () => {
        notifications = await driver.text('.notifications-center');
        return notifications.includes('the Daytona key works') ? true : undefined;
      }, 'the key to be checked and saved', 60_000);
    } catch (e) {
      await driver.screenshot('daytona-key-not-saved');
      throw new Error(`${(e as Error).message}; notifications: ${JSON.stringify(notifications)}`);
    }
    await driver.palette('Notifications: Clear All Notifications');
  });
  after(async () => {
    if (!driver.available) return;
    await closeAllBuilds(api);
    await vscode.commands.executeCommand('kirby.clearDaytonaApiKey');
    await setUserSetting('daytona.apiUrl', undefined);
    await fake.stop();
  });

  it('the same states, Problems and history as a local build: setup steps shown, Error on a type error, Ready after the fix with a one-file sync', async () => {
    writeSource('src/index.ts', BAD_SOURCE);
    const id = (await api.startBuild({ script: 'build', cwd: workspaceDir(), backend: 'daytona' }))!;
    const failed = await waitForBuild(api, id, (b) => !b.running && b.lastBuild !== undefined, 'the remote build to fail', 150_000);
    assert.equal(failed.state, 'Error');
    assert.equal(failed.tool, 'tsc');
    assert.ok(failed.problems.some((p) => p.file?.endsWith('src/index.ts') && p.line === 2 && p.column === 9), await logsOf(id));
    assert.equal(fake.sandboxIds().length, 1, 'one sandbox for the workspace');
    const diagnostics = vscode.languages.getDiagnostics(vscode.Uri.file(`${workspaceDir()}/src/index.ts`));
    assert.ok(diagnostics.some((d) => d.range.start.line === 1 && d.range.start.character === 8), 'in the Problems panel at 2:9');

    const run = await waitFor(() => api.history.find((r) => r.backend === 'daytona' && r.status !== 'running_live'), 'the remote run in the history');
    assert.equal(run.status, 'failed');
    const phases = api.runs!.events(run.id).filter((e) => e.type === 'phase_change' && typeof e.data.phase === 'string').map((e) => e.data.phase);
    for (const phase of ['setup', 'sync', 'install', 'build']) assert.ok(phases.includes(phase), `phase ${phase} in ${phases.join(', ')}`);

    writeSource('src/index.ts', GOOD_SOURCE);
    fake.resetCounts();
    const again = (await api.startBuild({ script: 'build', cwd: workspaceDir(), backend: 'daytona' }))!;
    assert.equal(again, id, 'the same terminal');
    const fixed = await waitForBuild(api, id, (b) => !b.running && b.lastBuild?.result === 'success', 'the remote build to pass', 120_000);
    assert.equal(fixed.state, 'Ready');
    assert.equal(fixed.errors, 0);
    const second = await waitFor(() => api.history.find((r) => r.backend === 'daytona' && r.id !== run.id && r.status === 'completed'), 'the second remote run');
    const syncLine = api.runs!.events(second.id).find((e) => e.type === 'phase_change' && String(e.data.message).startsWith('sync:'));
    assert.match(String(syncLine?.data.message), /^sync: 1 file\(s\) uploaded .* in 1 request/, 'only the edited file is sent');
    await driver.waitForStatusBarItem('kirby-dev.kirby.kirby.status', (item) => item.text.includes('build: Ready'));
    await driver.screenshot('daytona-build');
  });

  it('an agent runs the dev server in the sandbox: its port there, reached through a token-adding preview proxy here', async () => {
    const report = await invokeText('kirby_run_dev_server', { script: 'dev', cwd: workspaceDir(), backend: 'daytona', timeoutSeconds: 90 });
    const served = /serves at (http:\/\/127\.0\.0\.1:\d+\/) — healthy \(HTTP 200.*\(In its Daytona sandbox it listens on port (\d+)\.\)/.exec(report);
    assert.ok(served, report);
    assert.match(await (await fetch(served[1])).text(), /Kirby fixture/, 'the page comes from the sandbox, through the proxy');
    const build = await waitFor(() => api.builds.find((b) => b.name === 'dev' && b.backend === 'daytona' && b.state === 'WatchModeActive'), 'the remote dev server followed as Watching');
    assert.equal(build.tool, 'vite');
    const processes = await invokeText('kirby_process_status', { buildId: build.id });
    assert.match(processes, /^\s+\d+ node · running · \d+% CPU · [\d.]+ MB/m, processes);
  });
});
