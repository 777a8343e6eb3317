import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KirbyApi } from '../../src/vscode/api';
import { driver } from './driver';
import { closeAllBuilds, kirby, setSetting, waitFor, waitForBuild, workspaceDir, workspaceFile } from './helpers';

/** tools/custom-tool.js: a tool Kirby does not know, which prints a build for each word typed into its terminal. */
const MYTOOL = {
  name: 'My Tool',
  detect: ['^MYTOOL\\b'],
  events: {
    buildStart: ['^MYTOOL: starting$'],
    buildSuccess: ['^MYTOOL: all good$'],
    buildError: ['^MYTOOL: failed$'],
  },
  problems: [{ regexp: '^MYTOOL problem (?<file>\\S+):(?<line>\\d+):(?<column>\\d+) (?<message>.+)$' }],
};

function type(text: string): void {
  const terminal = vscode.window.terminals.find((t) => t.name === 'custom');
  assert.ok(terminal, 'the custom tool has a terminal');
  terminal.sendText(text, true);
}

describe('pattern settings in a real VS Code', () => {
  let api: KirbyApi;
  before(async () => {
    api = await kirby();
  });
  afterEach(async () => {
    await setSetting('buildToolPatterns', undefined);
    await closeAllBuilds(api);
  });

  it('an override added while the build runs takes effect at once: the unknown tool is detected and followed', async () => {
    const id = (await api.startBuild({ script: 'custom', cwd: workspaceDir() }))!;
    await waitForBuild(api, id, (b) => b.running, 'the tool to run');
    type('build');
    type('ok');
    await new Promise((r) => setTimeout(r, 500));
    assert.notEqual(api.builds.find((b) => b.id === id)?.tool, 'mytool', 'nothing knows the tool yet');

    await setSetting('buildToolPatterns', { mytool: MYTOOL });
    type('build');
    const building = await waitForBuild(api, id, (b) => b.tool === 'mytool' && b.state === 'Building', 'the override to start a build');
    assert.ok(building.running);
    type('ok');
    await waitForBuild(api, id, (b) => b.state === 'Ready', 'the override to end it in success');
    type('build');
    type('fail');
    const failed = await waitForBuild(api, id, (b) => b.state === 'Error' && b.problems.length === 1, 'the override to fail it');
    assert.deepEqual(
      [failed.problems[0].file, failed.problems[0].line, failed.problems[0].column, failed.problems[0].message],
      [workspaceFile('src/index.ts'), 2, 9, 'bad greeting'],
    );
  });

  it('a broken pattern gives one warning naming the key and the pattern; the other patterns keep working', async () => {
    const broken = 'MYTOOL (unclosed';
    await setSetting('buildToolPatterns', { mytool: { ...MYTOOL, events: { ...MYTOOL.events, warning: [broken] } } });
    await waitFor(() => api.patternIssues.length > 0 || undefined, 'the issue to be reported');
    assert.equal(api.patternIssues.length, 1);
    assert.ok(api.patternIssues[0].startsWith('kirby.buildToolPatterns.mytool.events.warning[0]: '), api.patternIssues[0]);
    assert.ok(api.patternIssues[0].includes(broken), api.patternIssues[0]);
    if (driver.available) {
      // toasts of a window without focus may be hidden: the notification center lists every notification
      await driver.palette('Notifications: Show Notifications');
      const center = await waitFor(async () => {
        const text = await driver.text('.notifications-center');
        return text.includes('kirby.buildToolPatterns.mytool.events.warning[0]') ? text : undefined;
      }, 'the warning in the notification center');
      assert.ok(center.includes('Open Settings'), center);
      await driver.screenshot('pattern-warning');
      await driver.palette('Notifications: Clear All Notifications');
    }

    const id = (await api.startBuild({ script: 'custom', cwd: workspaceDir() }))!;
    await waitForBuild(api, id, (b) => b.tool === 'mytool', 'the tool to be detected by its valid patterns');
    type('build');
    type('ok');
    await waitForBuild(api, id, (b) => b.state === 'Ready', 'the valid patterns to decide the build');
  });
});
