import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { isAlive } from '../../src/run/processTree';
import type { KirbyApi } from '../../src/vscode/api';
import { BAD_SOURCE, closeAllBuilds, GOOD_SOURCE, kirby, waitFor, waitForBuild, workspaceDir, writeSource } from './helpers';

function terminalNamed(name: string): vscode.Terminal {
  const terminal = vscode.window.terminals.find((t) => t.name === name);
  assert.ok(terminal, `a terminal named ${name}`);
  return terminal;
}

describe('tsc --watch in a real VS Code', () => {
  let api: KirbyApi;
  before(async () => {
    api = await kirby();
  });
  afterEach(async () => {
    writeSource('src/index.ts', GOOD_SOURCE);
    await closeAllBuilds(api);
  });

  it('goes Watching → Rebuilding → Error on a bad edit → Watching on the fix', async () => {
    writeSource('src/index.ts', GOOD_SOURCE);
    const id = (await api.startBuild({ script: 'watch', cwd: workspaceDir() }))!;
    const ready = await waitForBuild(api, id, (b) => b.state === 'WatchModeActive', 'the first build to end in watch mode');
    assert.equal(ready.tool, 'tsc');
    assert.equal(ready.watch, true);

    const states: string[] = ['WatchModeActive'];
    const listener = api.onDidChangeBuilds(() => {
      const s = api.builds.find((b) => b.id === id)?.state;
      if (s && states[states.length - 1] !== s) states.push(s);
    });
    writeSource('src/index.ts', BAD_SOURCE);
    const broken = await waitForBuild(api, id, (b) => b.state === 'Error' && b.errors === 2, 'the rebuild to fail');
    assert.equal(broken.running, true, 'a failed rebuild leaves tsc watching');
    assert.equal(broken.problems[0].line, 2);
    writeSource('src/index.ts', GOOD_SOURCE);
    const fixed = await waitForBuild(api, id, (b) => b.state === 'WatchModeActive' && b.errors === 0, 'the fix to rebuild cleanly');
    listener.dispose();
    assert.equal(fixed.problems.length, 0, 'problems are cleared when a rebuild starts');
    assert.ok(states.includes('Rebuilding'), `states seen: ${states.join(' → ')}`);
    assert.deepEqual(states.filter((s) => s !== 'Rebuilding'), ['WatchModeActive', 'Error', 'WatchModeActive']);
  });

  it('Ctrl+C typed into the terminal stops tsc; the exit is shown and the state is no longer busy', async () => {
    const id = (await api.startBuild({ script: 'watch', cwd: workspaceDir() }))!;
    await waitForBuild(api, id, (b) => b.state === 'WatchModeActive', 'tsc -w to watch');
    terminalNamed('watch').sendText('\x03', false);
    const stopped = await waitForBuild(api, id, (b) => !b.running, 'tsc to exit on Ctrl+C');
    assert.notEqual(stopped.exitCode, 0);
    assert.notEqual(stopped.state, 'Building');
    assert.notEqual(stopped.state, 'Rebuilding');
    assert.ok(vscode.window.terminals.some((t) => t.name === 'watch'), 'the terminal stays open to be read');
  });

  it('closing the terminal stops the build', async () => {
    const id = (await api.startBuild({ script: 'watch', cwd: workspaceDir() }))!;
    const running = await waitForBuild(api, id, (b) => b.state === 'WatchModeActive', 'tsc -w to watch');
    const pid = running.pid!;
    assert.ok(pid > 0);
    terminalNamed('watch').dispose();
    await waitFor(() => !isAlive(pid) && !api.builds.some((b) => b.id === id), `pid ${pid} to end and the build to go away`, 15_000);
  });
});
