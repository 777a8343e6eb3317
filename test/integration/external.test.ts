import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BuildInfo, KirbyApi } from '../../src/vscode/api';
import { BAD_SOURCE, closeAllBuilds, GOOD_SOURCE, kirby, setSetting, waitFor, waitForBuild, workspaceDir, writeSource } from './helpers';

async function npmTask(script: string): Promise<vscode.Task> {
  const tasks = await vscode.tasks.fetchTasks({ type: 'npm' });
  const task = tasks.find((t) => t.definition.script === script);
  assert.ok(task, `the npm extension offers the "${script}" script as a task (found ${tasks.map((t) => t.name).join(', ')})`);
  return task;
}

async function shellTerminal(name: string): Promise<vscode.Terminal> {
  const terminal = vscode.window.createTerminal({ name, cwd: workspaceDir(), shellPath: '/bin/bash' });
  terminal.show();
  await waitFor(() => terminal.shellIntegration, `shell integration in the ${name} terminal`);
  return terminal;
}

const byOrigin = (api: KirbyApi, origin: BuildInfo['origin']) => api.builds.filter((b) => b.origin === origin);

describe('builds started elsewhere, in a real VS Code', () => {
  let api: KirbyApi;
  before(async () => {
    api = await kirby();
  });
  afterEach(async () => {
    writeSource('src/index.ts', GOOD_SOURCE);
    await setSetting('monitorAllTerminals', undefined);
    await closeAllBuilds(api);
  });

  it('an npm script run as a task (the npm scripts panel) moves Kirby state and result', async () => {
    writeSource('src/index.ts', BAD_SOURCE);
    const execution = await vscode.tasks.executeTask(await npmTask('build'));
    const failed = await waitFor(() => byOrigin(api, 'task').find((b) => b.name === 'build' && !b.running), 'the task to be followed to its end', 45_000);
    assert.equal(failed.state, 'Error');
    assert.equal(failed.exitCode, 2);
    // VS Code 1.139 gives task terminals shell integration; older versions do not, and the tooltip says so
    console.log(`[kirby-test] npm task output read through shell integration: ${failed.readsOutput}`);
    if (failed.readsOutput) {
      assert.equal(failed.tool, 'tsc');
      assert.equal(failed.problems.length, 2, 'read through shell integration, the output gives the problems');
    } else {
      assert.match(failed.outputNote ?? '', /could not|did not let Kirby read/);
    }
    execution.terminate();

    writeSource('src/index.ts', GOOD_SOURCE);
    await vscode.tasks.executeTask(await npmTask('build'));
    const fixed = await waitForBuild(api, failed.id, (b) => !b.running && b.lastBuild?.result === 'success', 'the next run of the task to succeed');
    assert.equal(fixed.state, 'Ready');
  });

  it('"Run with Kirby" on a script of the NPM Scripts view runs it in Kirby\'s own terminal', async () => {
    const task = await npmTask('build');
    const id = await vscode.commands.executeCommand<string>('kirby.runNpmScript', { task });
    assert.ok(id);
    const done = await waitForBuild(api, id, (b) => !b.running && b.lastBuild !== undefined, 'the script to finish');
    assert.equal(done.origin, 'kirby');
    assert.equal(done.state, 'Ready');
    assert.ok(vscode.window.terminals.some((t) => t.name === 'build'));
  });

  it('a watch build typed into a terminal is ignored while following terminals is off, and followed when on', async () => {
    const off = await shellTerminal('off');
    off.shellIntegration!.executeCommand('npm run watch');
    await new Promise((r) => setTimeout(r, 4000));
    assert.deepEqual(byOrigin(api, 'terminal'), [], 'not followed while kirby.monitorAllTerminals is off');
    off.sendText('\x03', false);
    off.dispose();

    await setSetting('monitorAllTerminals', true);
    const on = await shellTerminal('on');
    on.shellIntegration!.executeCommand('npm run watch');
    const watching = await waitFor(() => byOrigin(api, 'terminal').find((b) => b.state === 'WatchModeActive'), 'the terminal build to be followed to watch mode', 45_000);
    assert.equal(watching.tool, 'tsc');
    assert.ok(watching.readsOutput);
    writeSource('src/index.ts', BAD_SOURCE);
    await waitForBuild(api, watching.id, (b) => b.state === 'Error' && b.errors === 2, 'the bad edit to show as Error');
    on.sendText('\x03', false);
    await waitForBuild(api, watching.id, (b) => !b.running, 'Ctrl+C in the terminal to end the followed build');
  });

  it('a kirby background task works as a dependency: the dependent task starts once the first build is done', async () => {
    const tasks = await vscode.tasks.fetchTasks({ type: 'kirby' });
    const watch = tasks.find((t) => t.definition.script === 'watch');
    assert.ok(watch, `Kirby offers its tasks (found ${tasks.map((t) => t.name).join(', ')})`);

    // the workspace's tasks.json: "after watch is ready" dependsOn "kirby watch", as a preLaunchTask would
    const all = await vscode.tasks.fetchTasks();
    const after = all.find((t) => t.name === 'after watch is ready');
    assert.ok(after, 'the tasks.json task');
    const stateWhenDependentStarted = new Promise<string | undefined>((resolve) => {
      const listener = vscode.tasks.onDidStartTask((e) => {
        if (e.execution.task.name !== 'after watch is ready') return;
        listener.dispose();
        resolve(api.builds.find((b) => b.name === 'watch')?.state);
      });
    });
    await vscode.tasks.executeTask(after);
    const state = await Promise.race([stateWhenDependentStarted, new Promise((r) => setTimeout(() => r('never started'), 45_000))]);
    assert.equal(state, 'WatchModeActive', 'the dependent task started after the first build of the kirby task ended');
    for (const e of vscode.tasks.taskExecutions) e.terminate();
  });
});
