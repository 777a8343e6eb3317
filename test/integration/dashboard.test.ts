import * as assert from 'node:assert/strict';
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
    assert.ok((await driver.webviewText('#detail .uplot')).includes('CPU %'), 'a CPU chart is drawn');
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
});
