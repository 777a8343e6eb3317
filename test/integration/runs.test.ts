import * as assert from 'node:assert/strict';
import type { KirbyApi } from '../../src/vscode/api';
import { closeAllBuilds, GOOD_SOURCE, kirby, setSetting, waitFor, waitForBuild, workspaceDir, writeSource } from './helpers';

describe('the run store, fed by real builds in a real VS Code', () => {
  let api: KirbyApi;
  before(async () => {
    api = await kirby();
    await setSetting('sampleIntervalMs', 200);
  });
  after(async () => {
    await setSetting('sampleIntervalMs', undefined);
    await closeAllBuilds(api);
  });

  it('records a finished build: its run, phases, verdict and a sample of its process tree', async () => {
    writeSource('src/index.ts', GOOD_SOURCE);
    const before = api.runs!.runs().length;
    const id = (await api.startBuild({ script: 'build', cwd: workspaceDir() }))!;
    await waitForBuild(api, id, (b) => !b.running && b.lastBuild !== undefined, 'the build to finish');
    const run = await waitFor(() => api.runs!.runs().find((r) => r.command.endsWith('run build') && r.status !== 'running_live'), 'the run to be closed');
    assert.ok(api.runs!.runs().length > before);
    assert.equal(run.status, 'completed');
    assert.equal(run.exitCode, 0);
    assert.equal(run.tool, 'tsc');
    assert.ok((run.durationMs ?? 0) > 0);
    const events = api.runs!.events(run.id).map((e) => e.type);
    assert.ok(events.includes('phase_change'), events.join(', '));
    assert.ok(events.includes('build_complete'), events.join(', '));
    assert.ok(run.processCount > 0, 'the process tree was sampled');
    assert.ok(api.runs!.processes(run.id).some((p) => /tsc/.test(p.cmdline)), JSON.stringify(api.runs!.processes(run.id).map((p) => p.cmdline)));
  });

  it('records a stopped build as cancelled', async () => {
    const id = (await api.startBuild({ script: 'watch', cwd: workspaceDir() }))!;
    await waitForBuild(api, id, (b) => b.state === 'WatchModeActive', 'tsc -w to watch');
    await api.stopBuild(id);
    const run = await waitFor(() => api.runs!.runs().find((r) => r.command.endsWith('run watch') && r.status !== 'running_live'), 'the run to be closed');
    assert.equal(run.status, 'cancelled', `exit code ${run.exitCode}`);
  });
});
