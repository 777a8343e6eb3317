import * as assert from 'node:assert/strict';
import { ProcessTracker } from '../../src/core/runs/processTracker';

const proc = (pid: number, ppid: number, cpu = 0) => ({ pid, ppid, name: `p${pid}`, cmdline: `p${pid}`, cpu, rss: 1024 });

describe('process tracker', () => {
  it('reports which processes started and ended between samples, keeps start times, and links children', () => {
    const tracker = new ProcessTracker('run');
    const first = tracker.update([proc(1, 0), proc(2, 1), proc(3, 1)], 100);
    assert.deepEqual(first.started.map((p) => p.pid), [1, 2, 3]);
    assert.deepEqual(first.ended, []);
    assert.deepEqual(first.current.find((p) => p.pid === 1)?.children, [2, 3]);

    const second = tracker.update([proc(1, 0, 50), proc(3, 1), proc(4, 3)], 200);
    assert.deepEqual(second.started.map((p) => p.pid), [4]);
    assert.deepEqual(second.ended.map((p) => [p.pid, p.status, p.endTime]), [[2, 'completed', 200]]);
    const root = second.current.find((p) => p.pid === 1)!;
    assert.equal(root.startTime, 100);
    assert.equal(root.cpu, 50);
    assert.deepEqual(tracker.all.find((p) => p.pid === 3)?.children, [4]);
    assert.equal(tracker.count, 4);

    assert.deepEqual(tracker.end(undefined, 300).map((p) => p.pid), [1, 3, 4]);
    assert.ok(tracker.all.every((p) => p.status === 'completed'));
  });
});
