/**
 * The local runner against real processes: a real pty (node-pty), real signals, real process trees.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ExitMarkerScanner } from '../../src/run/exitMarker';
import { MARKER_PREFIX } from '../../src/run/hostProtocol';
import { PtyBackend } from '../../src/run/localPty';
import { PipeBackend } from '../../src/run/pipe';
import { killTree, listProcesses, readProcStat, treeMembers } from '../../src/run/processTree';
import { loadPty } from '../../src/run/ptyLoader';
import type { Backend, BuildProcess, ExitStatus } from '../../src/run/types';

const posix = process.platform !== 'win32';

interface Run {
  output: () => string;
  exit: Promise<ExitStatus>;
  proc: BuildProcess;
}

async function start(backend: Backend, command: string, extra: { cols?: number; rows?: number } = {}): Promise<Run> {
  const proc = await backend.spawn({ command, cwd: os.tmpdir(), ...extra });
  const chunks: Buffer[] = [];
  proc.onData((d) => chunks.push(Buffer.from(d)));
  const exit = new Promise<ExitStatus>((resolve) => proc.onExit(resolve));
  return { proc, exit, output: () => Buffer.concat(chunks).toString('utf8') };
}

async function waitForOutput(run: Run, text: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!run.output().includes(text)) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${JSON.stringify(text)}; got ${JSON.stringify(run.output().slice(-300))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function isGone(pid: number): boolean {
  const info = readProcStat(pid);
  return info === undefined || info.state === 'Z';
}

describe('exit marker scanner', () => {
  const nonce = 'abc123';
  const marker = Buffer.from(`${MARKER_PREFIX}${nonce};2;SIGINT\x07`, 'latin1');
  const payload = Buffer.from('last line of output \x1b[31mred\x1b[0m\r\n');

  it('passes everything before the marker and reads code and signal, at every split position', () => {
    const whole = Buffer.concat([payload, marker, Buffer.from('after')]);
    for (let cut = 0; cut <= whole.length; cut++) {
      const scanner = new ExitMarkerScanner(nonce);
      const out = Buffer.concat([scanner.push(whole.subarray(0, cut)), scanner.push(whole.subarray(cut))]);
      assert.equal(out.toString('latin1'), payload.toString('latin1'), `cut at ${cut}`);
      assert.deepEqual(scanner.status, { code: 2, signal: 'SIGINT' });
    }
  });

  it('gives back held bytes when the stream ends without a marker', () => {
    const scanner = new ExitMarkerScanner(nonce);
    const start = Buffer.from(MARKER_PREFIX.slice(0, 4), 'latin1');
    const passed = scanner.push(Buffer.concat([payload, start]));
    assert.equal(Buffer.concat([passed, scanner.flush()]).toString('latin1'), Buffer.concat([payload, start]).toString('latin1'));
    assert.equal(scanner.status, undefined);
  });

  it('ignores a marker with another nonce', () => {
    const scanner = new ExitMarkerScanner('other');
    const out = scanner.push(Buffer.concat([payload, marker]));
    assert.equal(Buffer.concat([out, scanner.flush()]).length, payload.length + marker.length);
    assert.equal(scanner.status, undefined);
  });
});

(posix ? describe : describe.skip)('pty backend (node-pty)', function () {
  this.timeout(60_000);
  const backend = new PtyBackend(loadPty());
  let bigFile: string;

  before(() => {
    bigFile = path.join(os.tmpdir(), `kirby-tail-${process.pid}.txt`);
    const line = 'The quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopqrstuvwxyz\n';
    fs.writeFileSync(bigFile, line.repeat(Math.ceil((27 * 1024 * 1024) / line.length)));
  });
  after(() => fs.rmSync(bigFile, { force: true }));

  it('loses no output when a child writes 27 MB and exits at once (5 runs)', async () => {
    const expected = fs.statSync(bigFile).size;
    for (let i = 0; i < 5; i++) {
      const run = await start(backend, `cat '${bigFile}'`);
      let bytes = 0;
      let lastBytes = '';
      run.proc.onData((d) => {
        // the pty turns \n into \r\n; count what the file held
        for (const b of d) if (b !== 0x0d) bytes++;
        lastBytes = (lastBytes + Buffer.from(d).toString('latin1')).slice(-40);
      });
      const status = await run.exit;
      assert.equal(status.code, 0);
      assert.equal(bytes, expected, `run ${i}: ${expected - bytes} bytes lost`);
      assert.match(lastBytes, /abcdefghijklmnopqrstuvwxyz\r\n$/);
    }
  });

  it('delivers a verdict printed right before exit, with the exit code', async () => {
    const run = await start(backend, `node -e "process.stdout.write('x'.repeat(2e6) + '\\\\nBuild failed: verdict\\\\n'); process.exit(3)"`);
    const status = await run.exit;
    assert.equal(status.code, 3);
    assert.equal(status.signal, undefined);
    assert.match(run.output(), /Build failed: verdict\r\n$/);
  });

  it('reports a signal death as the signal and 128 + its number', async () => {
    const run = await start(backend, 'kill -TERM $$');
    const status = await run.exit;
    assert.equal(status.signal, 'SIGTERM');
    assert.equal(status.code, 143);
    assert.equal(status.stopped, undefined, 'nobody asked Kirby to stop it');
  });

  it('turns Ctrl+C into SIGINT for the foreground process', async () => {
    const run = await start(backend, `trap 'echo got-interrupt; exit 7' INT; echo ready; while :; do sleep 0.05; done`);
    await waitForOutput(run, 'ready');
    run.proc.interrupt();
    const status = await run.exit;
    assert.match(run.output(), /got-interrupt/);
    assert.equal(status.code, 7);
  });

  it('gives the command a terminal of the requested size, and resizes it', async () => {
    const run = await start(backend, 'stty size; read line; stty size', { cols: 100, rows: 40 });
    await waitForOutput(run, '40 100');
    run.proc.resize(90, 33);
    run.proc.write('\r');
    await run.exit;
    assert.match(run.output(), /33 90/);
  });

  it('stop() ends the whole tree, including children that ignore SIGTERM/SIGHUP and ones that called setsid', async () => {
    const script = [
      `(trap '' TERM HUP INT; while :; do sleep 1; done) & echo "stubborn:$!"`,
      `setsid sh -c 'trap "" TERM HUP; while :; do sleep 1; done' & echo "escaped:$!"`,
      'echo started; wait',
    ].join('; ');
    const run = await start(backend, script);
    await waitForOutput(run, 'started');
    const pids = [...run.output().matchAll(/(?:stubborn|escaped):(\d+)/g)].map((m) => Number(m[1]));
    assert.equal(pids.length, 2);
    for (const pid of pids) assert.ok(!isGone(pid), `pid ${pid} should be running before stop`);
    await run.proc.stop();
    assert.equal((await run.exit).stopped, true, 'the exit says Kirby stopped it (a cancelled run, not a failed one)');
    for (const pid of [...pids, run.proc.pid!]) assert.ok(isGone(pid), `pid ${pid} survived stop()`);
  });
});

(posix ? describe : describe.skip)('pipe backend', function () {
  this.timeout(30_000);
  const backend = new PipeBackend('pipes (test)');

  it('relays stdout and stderr and reports the exit code after the last byte', async () => {
    const run = await start(backend, 'echo out; echo err 1>&2; exit 4');
    const status = await run.exit;
    assert.equal(status.code, 4);
    assert.match(run.output(), /out\n/);
    assert.match(run.output(), /err\n/);
  });

  it('turns Ctrl+C into SIGINT for the whole group', async () => {
    const run = await start(backend, `trap 'echo got-interrupt; exit 9' INT; echo ready; while :; do sleep 0.05; done`);
    await waitForOutput(run, 'ready');
    run.proc.write('\x03');
    const status = await run.exit;
    assert.equal(status.code, 9);
  });

  it('says why pipes are in use', async () => {
    const run = await start(backend, 'true');
    await run.exit;
    assert.equal(run.proc.backend, 'pipe');
    assert.match(run.proc.backendNote ?? '', /pipes/);
  });
});

(posix ? describe : describe.skip)('killTree', function () {
  this.timeout(30_000);

  it('with keepRoot ends every descendant and spares the root (a user shell whose build is stopped)', async () => {
    const { spawn } = await import('node:child_process');
    const script = `sh -c 'sleep 300 & sleep 300 & wait' & echo started; while :; do sleep 1; done`;
    const root = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise<void>((resolve) => root.stdout.on('data', (d: Buffer) => d.toString().includes('started') && resolve()));
      // the inner shell and its two sleeps appear a moment after "started"
      let before: number[] = [];
      for (let i = 0; i < 100 && before.length < 3; i++) {
        before = [...treeMembers(await listProcesses(), root.pid!, new Set([root.pid!]))].filter((pid) => pid !== root.pid);
        if (before.length < 3) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(before.length >= 3, `the tree has descendants: ${before.join(', ')}`);
      await killTree(root.pid!, { keepRoot: true, graceMs: 500 });
      assert.ok(!isGone(root.pid!), 'the root is spared');
      for (const pid of before) assert.ok(isGone(pid), `descendant ${pid} survived`);
    } finally {
      root.kill('SIGKILL');
    }
  });
});
