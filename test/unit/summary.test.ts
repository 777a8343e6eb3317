import * as assert from 'node:assert/strict';
import { BuildState } from '../../src/core/events';
import { formatAge, formatCounts, formatDuration, worstState } from '../../src/core/summary';

describe('state summary', () => {
  it('shows the most urgent state of several builds', () => {
    assert.equal(worstState([]), BuildState.Idle);
    assert.equal(worstState([BuildState.Ready, BuildState.WatchModeActive]), BuildState.WatchModeActive);
    assert.equal(worstState([BuildState.WatchModeActive, BuildState.Rebuilding, BuildState.Ready]), BuildState.Rebuilding);
    assert.equal(worstState([BuildState.Building, BuildState.Error, BuildState.Ready]), BuildState.Error);
  });

  it('formats durations, counts and ages the way the status bar shows them', () => {
    assert.equal(formatDuration(850), '850 ms');
    assert.equal(formatDuration(3240), '3.2 s');
    assert.equal(formatDuration(125_000), '2 min 05 s');
    assert.equal(formatCounts(0, 0), 'no problems');
    assert.equal(formatCounts(1, 2), '1 error, 2 warnings');
    assert.equal(formatAge(500), 'just now');
    assert.equal(formatAge(3 * 60_000 + 5), '3 min ago');
  });
});
