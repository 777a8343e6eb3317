import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KirbyApi } from '../../src/vscode/api';
import { BAD_SOURCE, closeAllBuilds, GOOD_SOURCE, kirby, setSetting, waitForBuild, workspaceDir, writeSource } from './helpers';

describe('kirby.enableBuildOutputParsing: false (a plain terminal, output never read)', () => {
  let api: KirbyApi;
  before(async () => {
    api = await kirby();
    await setSetting('enableBuildOutputParsing', false);
  });
  after(async () => {
    await setSetting('enableBuildOutputParsing', undefined);
    writeSource('src/index.ts', GOOD_SOURCE);
    await closeAllBuilds(api);
  });

  it('runs the script in an ordinary terminal; the exit code reported by shell integration decides the state', async () => {
    writeSource('src/index.ts', BAD_SOURCE);
    const id = (await api.startBuild({ script: 'build', cwd: workspaceDir() }))!;
    const started = api.builds.find((b) => b.id === id)!;
    assert.equal(started.readsOutput, false);
    assert.equal(started.state, 'Building');
    const failed = await waitForBuild(api, id, (b) => !b.running, 'the exit code to arrive');
    assert.equal(failed.state, 'Error');
    assert.equal(failed.problems.length, 0, 'nothing is parsed');
    const terminal = vscode.window.terminals.find((t) => t.name === 'build');
    assert.ok(terminal?.shellIntegration, 'the terminal has shell integration');

    writeSource('src/index.ts', GOOD_SOURCE);
    await api.startBuild({ script: 'build', cwd: workspaceDir() });
    const fixed = await waitForBuild(api, id, (b) => !b.running && b.lastBuild?.result === 'success', 'the fixed build to succeed');
    assert.equal(fixed.state, 'Ready');
  });
});
