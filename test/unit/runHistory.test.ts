import * as assert from 'node:assert/strict';
import { buildTrend, describeRun, describeTrend, runOutcome, sameBuildKey } from '../../src/core/runs/runHistory';
import type { RunRecord } from '../../src/core/runs/types';

let counter = 0;
function run(patch: Partial<RunRecord>): RunRecord {
  counter++;
  return { id: `r${counter}`, command: 'npm run build', args: [], cwd: '/w', backend: 'local', startTime: counter, status: 'completed', processCount: 1, ...patch };
}

describe('run history', () => {
  it('names the outcome: the verdict wins over a zero exit, live runs are running', () => {
    assert.equal(runOutcome(run({ status: 'completed', lastResult: 'success' })), 'success');
    assert.equal(runOutcome(run({ status: 'completed', lastResult: 'success', warnings: 2 })), 'warnings');
    assert.equal(runOutcome(run({ status: 'completed', lastResult: 'error' })), 'error');
    assert.equal(runOutcome(run({ status: 'failed', exitCode: 2 })), 'error');
    assert.equal(runOutcome(run({ status: 'running_live', lastResult: 'error' })), 'running');
    assert.equal(runOutcome(run({ status: 'crashed' })), 'crashed');
    assert.equal(runOutcome(run({ status: 'cancelled' })), 'cancelled');
  });

  it('describes one-shot, failed, stopped watch and live runs in one line', () => {
    assert.equal(describeRun(run({ durationMs: 3200, lastResult: 'success', builds: 1 })), 'succeeded in 3.2 s · no problems');
    assert.equal(describeRun(run({ status: 'failed', exitCode: 2, durationMs: 900, lastResult: 'error', builds: 1, errors: 2 })), 'failed in 900 ms (exit 2) · 2 errors');
    assert.equal(
      describeRun(run({ status: 'cancelled', exitCode: 130, durationMs: 302_000, lastResult: 'error', builds: 4, errors: 1 })),
      'stopped after 5 min 02 s · 4 builds, the last failed · 1 error',
    );
    assert.equal(describeRun(run({ status: 'running_live', builds: 2, lastResult: 'success', warnings: 1 })), 'running · 2 builds, the last succeeded · 1 warning');
    assert.equal(describeRun(run({ status: 'running_live' })), 'running');
  });

  it('groups by the build key, else by command and folder', () => {
    assert.equal(sameBuildKey({ key: 'k', command: 'a', cwd: '/w' }), 'k');
    assert.notEqual(sameBuildKey({ command: 'a', cwd: '/w' }), sameBuildKey({ command: 'a', cwd: '/v' }));
  });

  it('sums up the recent finished runs of the same build: share that succeeded and the median build time', () => {
    const mine = { key: 'pkg#build', command: 'npm run build', cwd: '/w' };
    const runs = [
      run({ ...mine, status: 'running_live' }),
      run({ ...mine, lastResult: 'success', lastBuildMs: 1000, builds: 1, durationMs: 1100 }),
      run({ ...mine, status: 'failed', lastResult: 'error', lastBuildMs: 3000, builds: 1 }),
      run({ key: 'other', lastResult: 'success', lastBuildMs: 99_000 }),
      run({ ...mine, lastResult: 'success', builds: 1, durationMs: 2000 }),
      // a watch run's own duration is how long it watched: not a build time
      run({ ...mine, status: 'cancelled', builds: 5, durationMs: 600_000 }),
    ];
    const trend = buildTrend(runs, mine);
    assert.deepEqual(trend, { runs: 4, succeeded: 2, medianMs: 2000 });
    assert.equal(describeTrend(trend), '2 of the last 4 succeeded · typically 2.0 s');
    assert.equal(buildTrend(runs, mine, 2).runs, 2, 'a window');
    assert.equal(describeTrend(buildTrend([], mine)), undefined);
    assert.equal(describeTrend({ runs: 1, succeeded: 0 }), 'the last run did not succeed');
  });
});
