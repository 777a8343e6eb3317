import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KirbyApi } from '../../src/vscode/api';
import { driver } from './driver';
import { closeAllBuilds, GOOD_SOURCE, kirby, setSetting, waitFor, waitForBuild, workspaceDir, writeSource } from './helpers';

describe('the build dashboard, through the browser', function () {
  let api: KirbyApi;
  before(async function () {
    if (!driver.available) this.skip();
    api = await kirby();
    await setSetting('sampleIntervalMs', 200);
  });
  after(async () => {
    if (!driver.available) return;
    await setSetting('sampleIntervalMs', undefined);
    await closeAllBuilds(api);
  });

  it('after a real build: the run, its chart and process tree; a run can be deleted', async () => {
    writeSource('src/index.ts', GOOD_SOURCE);
    const id = (await api.startBuild({ script: 'build', cwd: workspaceDir() }))!;
    await waitForBuild(api, id, (b) => !b.running && b.lastBuild !== undefined, 'the build to finish');
    await waitFor(() => api.runs!.runs().find((r) => r.command.endsWith('run build') && r.status === 'completed'), 'the run to be recorded');
    const total = api.runs!.runs().length;

    await driver.palette('Kirby: Open Build Dashboard');
    await waitFor(async () => ((await driver.webviewText('#runs')).includes('npm run build') ? true : undefined), 'the runs list');
    const stats = await driver.webviewText('#stats');
    assert.ok(stats.includes(`${total} runs`), stats);

    await driver.webviewClick('#runs tr');
    const detail = await waitFor(async () => {
      const text = await driver.webviewText('#detail');
      return text.includes('Processes') && text.includes('Timeline') ? text : undefined;
    }, 'the run detail');
    assert.ok(/\(\d+\)/.test(detail), `the process tree lists processes: ${detail.slice(0, 400)}`);
    await driver.webviewText('#detail .uplot canvas'); // a chart is drawn (throws when there is none)
    assert.match(detail, /Peak \d+% CPU at \d+\.\d s · \d+ samples?/, 'the CPU peak and when');
    await driver.screenshot('dashboard');

    await driver.webviewClick('#runs input[type=checkbox]');
    await driver.webviewClick('#delete');
    const status = await waitFor(async () => {
      const text = await driver.webviewText('#status');
      return text.includes('Deleted') ? text : undefined;
    }, 'the delete to be confirmed');
    assert.ok(status.includes('Deleted 1 run'), status);
    assert.equal(api.runs!.runs().length, total - 1);
  });

  it('history everywhere: the tooltip and the history read the run store; a run opens in the dashboard and exports', async () => {
    writeSource('src/index.ts', GOOD_SOURCE);
    for (let i = 0; i < 2; i++) {
      const id = (await api.startBuild({ script: 'build', cwd: workspaceDir() }))!;
      await waitForBuild(api, id, (b) => !b.running && b.lastBuild !== undefined, 'the build to finish');
    }
    const newest = await waitFor(() => (api.history[0]?.status === 'completed' ? api.history[0] : undefined), 'the newest run to be recorded');

    const tooltip = await waitFor(async () => {
      const text = await driver.hover('.part.statusbar [id="kirby-dev.kirby.kirby.status"] .statusbar-item-label');
      return text.includes('Recent runs') ? text : undefined;
    }, 'the tooltip to show recent runs');
    assert.match(tooltip, /\d+ of the last \d+ succeeded · typically/, tooltip);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors'); // the history, not the dashboard behind it
    await driver.palette('Kirby: Show Build History');
    const pick = await driver.quickPick();
    assert.ok(pick.items[0].includes('build'), JSON.stringify(pick.items));
    await driver.screenshot('history');
    await driver.webviewClick('.quick-input-list .monaco-list-row[data-index="0"] .codicon-pulse');
    const detail = await waitFor(async () => {
      const text = await driver.webviewText('#detail');
      return text.includes('Timeline') && text.includes(newest.cwd) ? text : undefined;
    }, 'the dashboard to open on that run');
    assert.ok(detail.includes('completed'), detail.slice(0, 300));

    const exported = path.join(workspaceDir(), `kirby-run-${newest.id}.json`);
    fs.rmSync(exported, { force: true });
    await driver.webviewClick('#detail .detail-header button');
    const dialog = await driver.quickPick();
    assert.ok(JSON.stringify(dialog).includes('kirby-run-'), `the save dialog proposes the file: ${JSON.stringify(dialog)}`);
    await driver.keys({ press: ['Enter'] });
    const data = await waitFor(() => (fs.existsSync(exported) ? JSON.parse(fs.readFileSync(exported, 'utf8')) : undefined), 'the export file');
    fs.rmSync(exported, { force: true });
    assert.equal(data.run.id, newest.id);
    assert.ok(data.events.some((e: { type: string }) => e.type === 'build_complete'), 'the events are exported');
    assert.ok(Array.isArray(data.samples) && Array.isArray(data.processes));
  });
});
