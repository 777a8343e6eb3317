import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KirbyApi } from '../../src/vscode/api';
import { BAD_SOURCE, closeAllBuilds, GOOD_SOURCE, kirby, waitForBuild, waitFor, workspaceDir, workspaceFile, writeSource } from './helpers';

describe('a real tsc build in a real VS Code', () => {
  let api: KirbyApi;
  before(async () => {
    api = await kirby();
  });
  afterEach(async () => {
    writeSource('src/index.ts', GOOD_SOURCE);
    await closeAllBuilds(api);
  });

  it('a clean one-shot build goes Building → Ready, names tsc, and is recorded in the history', async () => {
    writeSource('src/index.ts', GOOD_SOURCE);
    const startedAt = Date.now();
    const id = await api.startBuild({ script: 'build', cwd: workspaceDir() });
    assert.ok(id);
    const seen: string[] = [];
    const listener = api.onDidChangeBuilds(() => {
      const state = api.builds.find((b) => b.id === id)?.state;
      if (state && seen[seen.length - 1] !== state) seen.push(state);
    });
    const done = await waitForBuild(api, id, (b) => !b.running && b.lastBuild !== undefined, 'the build to finish');
    listener.dispose();
    assert.equal(done.exitCode, 0);
    assert.equal(done.state, 'Ready');
    assert.equal(done.tool, 'tsc');
    assert.ok(seen.includes('Building') || seen[0] === 'Ready', `states seen: ${seen.join(' → ')}`);
    assert.equal(done.lastBuild?.result, 'success');
    const run = await waitFor(() => api.history.find((r) => r.startTime >= startedAt && r.status !== 'running_live'), 'the run in the history');
    assert.equal(api.history[0].id, run.id, 'newest first');
    assert.deepEqual(
      { name: run.name, status: run.status, lastResult: run.lastResult, builds: run.builds, tool: run.tool, exitCode: run.exitCode },
      { name: 'build', status: 'completed', lastResult: 'success', builds: 1, tool: 'tsc', exitCode: 0 },
    );
  });

  it('a type error gives Error, the problem in the Problems panel, and jump-to-error lands on its line and column', async () => {
    writeSource('src/index.ts', BAD_SOURCE);
    const id = await api.startBuild({ script: 'build', cwd: workspaceDir() });
    const failed = await waitForBuild(api, id!, (b) => !b.running && b.state === 'Error', 'the build to fail');
    assert.equal(failed.exitCode, 2);
    assert.equal(failed.errors, 2);
    assert.deepEqual(
      failed.problems.map((p) => [p.file, p.line, p.column, p.code]),
      [
        [workspaceFile('src/index.ts'), 2, 9, 'TS2322'],
        [workspaceFile('src/index.ts'), 3, 3, 'TS2322'],
      ],
    );
    const uri = vscode.Uri.file(workspaceFile('src/index.ts'));
    const diagnostics = await waitFor(() => {
      const list = vscode.languages.getDiagnostics(uri).filter((d) => d.code === 'TS2322');
      return list.length === 2 ? list : undefined;
    }, 'the diagnostics');
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostics[0].range.start.line, 1);
    assert.equal(diagnostics[0].range.start.character, 8);

    assert.equal(await vscode.commands.executeCommand('kirby.goToFirstError'), true);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, uri.fsPath);
    assert.equal(editor?.selection.active.line, 1);
    assert.equal(editor?.selection.active.character, 8);
    assert.equal(editor?.document.getText(editor.document.getWordRangeAtPosition(editor.selection.active)), 'greeting');
  });

  it('running the same script again reuses its terminal; a fixed error clears the Problems panel', async () => {
    writeSource('src/index.ts', BAD_SOURCE);
    const id = await api.startBuild({ script: 'build', cwd: workspaceDir() });
    await waitForBuild(api, id!, (b) => !b.running && b.state === 'Error', 'the first build to fail');
    const terminals = vscode.window.terminals.length;
    writeSource('src/index.ts', GOOD_SOURCE);
    const again = await api.startBuild({ script: 'build', cwd: workspaceDir() });
    assert.equal(again, id, 'the same build, restarted');
    assert.equal(vscode.window.terminals.length, terminals);
    const fixed = await waitForBuild(api, id!, (b) => !b.running && b.state === 'Ready', 'the rebuilt project to succeed');
    assert.equal(fixed.errors, 0);
    const uri = vscode.Uri.file(workspaceFile('src/index.ts'));
    await waitFor(() => vscode.languages.getDiagnostics(uri).every((d) => d.code !== 'TS2322'), 'the old problems to go');
  });

  it('two builds run at once, each with its own terminal and state', async () => {
    writeSource('src/index.ts', GOOD_SOURCE);
    const watch = await api.startBuild({ script: 'watch', cwd: workspaceDir() });
    const custom = await api.startBuild({ script: 'custom', cwd: workspaceDir() });
    assert.notEqual(watch, custom);
    await waitForBuild(api, watch!, (b) => b.state === 'WatchModeActive', 'tsc -w to watch');
    const other = api.builds.find((b) => b.id === custom)!;
    assert.ok(other.running);
    assert.notEqual(other.state, 'WatchModeActive');
    const names = vscode.window.terminals.map((t) => t.name);
    assert.ok(names.includes('watch') && names.includes('custom'), names.join(', '));
  });
});
