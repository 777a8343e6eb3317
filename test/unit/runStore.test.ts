import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunStore } from '../../src/core/runs/runStore';

describe('run store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-runs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('records a run, its events and processes, and reads them back after reopening', () => {
    const store = new RunStore(dir);
    const run = store.startRun({ command: 'npm', args: ['run', 'build'], cwd: '/w', backend: 'pty', tool: 'tsc' }, 1000);
    store.addEvent(run.id, 'phase_change', { phase: 'build' }, 1001);
    store.recordProcesses(run.id, [{ runId: run.id, pid: 10, ppid: 1, name: 'node', cmdline: 'node tsc', startTime: 1000, cpu: 50, mem: 1e6, status: 'running', children: [] }]);
    store.recordProcesses(run.id, [{ runId: run.id, pid: 10, ppid: 1, name: 'node', cmdline: 'node tsc', startTime: 1000, cpu: 20, mem: 2e6, status: 'completed', children: [] }]);
    store.updateRun(run.id, { status: 'completed', exitCode: 0, endTime: 4000 });

    const again = new RunStore(dir);
    const loaded = again.get(run.id)!;
    assert.equal(loaded.status, 'completed');
    assert.equal(loaded.durationMs, 3000);
    assert.deepEqual(again.events(run.id).map((e) => e.type), ['phase_change']);
    assert.deepEqual(again.processes(run.id).map((p) => [p.pid, p.cpu, p.status]), [[10, 20, 'completed']]);
    assert.deepEqual(again.samples(run.id).map((s) => s.time), [again.samples(run.id)[0].time, again.samples(run.id)[1].time]);
    assert.equal(again.samples(run.id).length, 2);
  });

  it('stamps each process sample with its time and exports a run whole', () => {
    const store = new RunStore(dir);
    const run = store.startRun({ command: 'npm', args: ['run', 'build'], cwd: '/w', backend: 'local', name: 'build', key: '/w/package.json#build' }, 1000);
    const proc = { runId: run.id, pid: 10, ppid: 1, name: 'node', cmdline: 'node', startTime: 1000, cpu: 1, mem: 1, status: 'running' as const, children: [] };
    store.recordProcesses(run.id, [proc], 1500);
    store.recordProcesses(run.id, [{ ...proc, cpu: 2 }], 2500);
    store.addEvent(run.id, 'build_complete', { result: 'success' }, 2600);
    const exported = new RunStore(dir).export(run.id)!;
    assert.equal(exported.run.key, '/w/package.json#build');
    assert.deepEqual(exported.samples.map((s) => [s.time, s.processes[0].cpu]), [[1500, 1], [2500, 2]]);
    assert.deepEqual(exported.events.map((e) => e.type), ['build_complete']);
    assert.deepEqual(exported.processes.map((p) => p.cpu), [2]);
    assert.equal(store.export('nope'), undefined);
  });

  it('applies new retention limits at once (the settings changed)', () => {
    const store = new RunStore(dir, { maxRuns: 10 });
    for (let i = 0; i < 5; i++) {
      const run = store.startRun({ command: `c${i}`, cwd: '/w', backend: 'local' }, 1000 + i);
      store.updateRun(run.id, { status: 'completed', endTime: 2000 + i });
    }
    const live = store.startRun({ command: 'live', cwd: '/w', backend: 'local' }, 3000);
    assert.equal(store.setRetention({ maxRuns: 2 }).length, 4, 'the live run counts, and stays');
    assert.deepEqual(new RunStore(dir).runs().map((r) => r.command), ['live', 'c4']);
    assert.ok(store.get(live.id));
  });

  it('searches command and arguments, newest first, with a limit', () => {
    const store = new RunStore(dir);
    store.startRun({ command: 'npm', args: ['run', 'build'], cwd: '/w', backend: 'pty' }, 1);
    store.startRun({ command: 'npx', args: ['vite', 'build'], cwd: '/w', backend: 'pty' }, 2);
    store.startRun({ command: 'make', cwd: '/w', backend: 'pty' }, 3);
    assert.deepEqual(store.runs({ search: 'BUILD' }).map((r) => r.command), ['npx', 'npm']);
    assert.deepEqual(store.runs({ limit: 1 }).map((r) => r.command), ['make']);
  });

  it('refuses to delete a live run with its own error and deletes the others', () => {
    const store = new RunStore(dir);
    const live = store.startRun({ command: 'a', cwd: '/w', backend: 'pty' });
    const done = store.startRun({ command: 'b', cwd: '/w', backend: 'pty' });
    store.updateRun(done.id, { status: 'failed', exitCode: 1, endTime: Date.now() });
    const result = store.deleteRuns([live.id, done.id, 'nope']);
    assert.deepEqual(result.deleted, [done.id]);
    assert.deepEqual(result.errors.map((e) => e.id), [live.id, 'nope']);
    assert.deepEqual(new RunStore(dir).runs().map((r) => r.id), [live.id]);
  });

  it('marks runs left live by a dead extension host as crashed (exit -1)', () => {
    const store = new RunStore(dir);
    const run = store.startRun({ command: 'a', cwd: '/w', backend: 'pty' });
    const next = new RunStore(dir);
    assert.deepEqual(next.markInterruptedRunsCrashed().map((r) => r.id), [run.id]);
    assert.equal(next.get(run.id)?.status, 'crashed');
    assert.equal(next.get(run.id)?.exitCode, -1);
    assert.deepEqual(next.events(run.id).map((e) => e.type), ['build_crashed']);
  });

  it('keeps at most maxRuns runs and stays under maxBytes, dropping the oldest finished runs first', () => {
    const store = new RunStore(dir, { maxRuns: 3, maxBytes: 10_000 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const run = store.startRun({ command: `c${i}`, cwd: '/w', backend: 'pty' }, 1000 + i);
      store.updateRun(run.id, { status: 'completed', endTime: 2000 + i });
      ids.push(run.id);
    }
    assert.deepEqual(store.enforceRetention(), ids.slice(0, 2));
    for (let i = 0; i < 100; i++) store.addEvent(ids[2], 'log', { line: 'x'.repeat(200) });
    store.enforceRetention();
    assert.ok(store.diskSize() <= 10_000, `size ${store.diskSize()}`);
    assert.ok(!store.get(ids[2]), 'the big old run went');
    assert.deepEqual(new RunStore(dir).runs().map((r) => r.command), ['c4', 'c3']);
  });

  it('keeps a bounded excerpt of log text, never a whole log', () => {
    const store = new RunStore(dir, { maxExcerpt: 10 });
    const run = store.startRun({ command: 'a', cwd: '/w', backend: 'pty' });
    store.addEvent(run.id, 'log', { line: 'y'.repeat(1000) });
    assert.equal((store.events(run.id)[0].data.line as string).length, 11);
  });

  it('a process killed mid-write loses at most the record being written, and the store still loads', async function () {
    this.timeout(30_000);
    const store = new RunStore(dir);
    const run = store.startRun({ command: 'a', cwd: '/w', backend: 'pty' });
    const module = path.resolve(__dirname, '../../src/core/runs/runStore.js');
    const writer = `const { RunStore } = require(${JSON.stringify(module)}); const s = new RunStore(${JSON.stringify(dir)});
      const big = 'z'.repeat(1500); process.stdout.write('go\\n');
      for (let i = 0; ; i++) { s.addEvent(${JSON.stringify(run.id)}, 'log', { i, big }); s.updateRun(${JSON.stringify(run.id)}, { currentStep: 'step ' + i }); }`;
    const child = spawn(process.execPath, ['-e', writer], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const after = new RunStore(dir);
    assert.ok(after.skippedOnLoad <= 1, `skipped ${after.skippedOnLoad}`);
    assert.equal(after.get(run.id)?.status, 'running_live');
    const events = after.events(run.id);
    assert.ok(events.length > 10, `events kept: ${events.length}`);
    assert.deepEqual(events.map((e) => e.data.i), events.map((_, i) => i), 'every event up to the kill, in order');
  });
});
