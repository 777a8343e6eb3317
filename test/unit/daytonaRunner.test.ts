/**
 * The remote PTY runner with the real SDK against the fake server (whose PTY is a real local pty): byte-exact output
 * (5 MB too), exit codes, input, resize, Ctrl+C, stop, and sockets dropped mid-stream.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DaytonaBackend, type DaytonaBackendOptions } from '../../src/run/daytona/remotePtyRunner';
import { commandAsShellLine, StartGate, wrapperScript } from '../../src/run/daytona/remoteCommand';
import { ensureSandbox, workspaceLabels } from '../../src/run/daytona/sandbox';
import type { SandboxHandle } from '../../src/run/daytona/sdkAdapter';
import type { BuildProcess, ExitStatus } from '../../src/run/types';
import { startHarness, type Harness } from '../daytona/harness';

interface Run {
  proc: BuildProcess;
  output: () => Buffer;
  exit: Promise<ExitStatus>;
}

async function waitFor(run: Run, text: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!run.output().includes(text)) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${JSON.stringify(text)}; got ${JSON.stringify(run.output().toString().slice(-300))}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Text with UTF-8, escape sequences and tabs, in numbered lines (build output is not one line repeated, and the runner
 * places live bytes after a reconnect by their content); what a pty shows of it has \r\n for \n.
 */
function sampleText(bytes: number): string {
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const line = `${i} ${randomBytes(6).toString('hex')} é ✓ \x1b[31mred\x1b[0m\t|\n`;
    lines.push(line);
    length += Buffer.byteLength(line);
  }
  return lines.join('');
}

(process.platform === 'win32' ? describe.skip : describe)('daytona remote pty runner (real SDK, fake server)', function () {
  this.timeout(60_000);
  let h: Harness;
  let sandbox: SandboxHandle;
  let local: string;
  let backendOptions: DaytonaBackendOptions;

  const start = async (command: string, extra: Partial<DaytonaBackendOptions> = {}, size = { cols: 80, rows: 24 }): Promise<Run> => {
    const proc = await new DaytonaBackend({ ...backendOptions, ...extra }).spawn({ command, cwd: local, ...size });
    const chunks: Buffer[] = [];
    proc.onData((d) => chunks.push(Buffer.from(d)));
    return { proc, output: () => Buffer.concat(chunks), exit: new Promise((resolve) => proc.onExit(resolve)) };
  };

  /** cat of 5 MB in the sandbox: the output must be those bytes exactly (the terminal turns \n into \r\n). */
  const relaysWhole = async () => {
    const text = sampleText(5 * 1024 * 1024);
    await sandbox.files.upload([{ path: `${backendOptions.remoteRoot}/big.txt`, content: Buffer.from(text) }]);
    const run = await start('cat big.txt');
    assert.deepEqual(await run.exit, { code: 0 });
    const expected = Buffer.from(text.replace(/\n/g, '\r\n'));
    assert.equal(run.output().length, expected.length);
    assert.ok(run.output().equals(expected), 'same bytes');
  };

  before(async () => {
    h = await startHarness();
    sandbox = (await ensureSandbox(h.client, { labels: workspaceLabels('/r'), readyTimeoutSeconds: 10 })).sandbox;
    const workDir = await sandbox.workDir();
    await sandbox.files.createFolder(`${workDir}/workspace`);
    local = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-remote-'));
    backendOptions = { ptys: sandbox.ptys, files: sandbox.files, localRoot: local, remoteRoot: `${workDir}/workspace`, stateDir: `${workDir}/.kirby`, reconnectDelaysMs: [100, 200, 400] };
  });
  after(async () => {
    await h.dispose();
    fs.rmSync(local, { recursive: true, force: true });
  });
  afterEach(() => {
    h.fake.dropPtyAfterBytes = undefined;
    h.fake.losePtyTailOnExit = false;
  });

  it('relays output byte-exact (only the terminal turns \\n into \\r\\n), without the shell around it', async () => {
    const text = sampleText(20_000);
    await sandbox.files.upload([{ path: `${backendOptions.remoteRoot}/sample.txt`, content: Buffer.from(text) }]);
    const run = await start('cat sample.txt');
    assert.deepEqual(await run.exit, { code: 0 });
    assert.equal(run.output().toString('utf8'), text.replace(/\n/g, '\r\n'));
  });

  it('relays 5 MB complete and in order', relaysWhole);

  it("reports the command's exit code, its own `exit` included, and runs in the mapped folder", async () => {
    fs.mkdirSync(path.join(local, 'pkg'), { recursive: true });
    await sandbox.files.createFolder(`${backendOptions.remoteRoot}/pkg`);
    const proc = await new DaytonaBackend(backendOptions).spawn({ command: 'pwd; exit 7', cwd: path.join(local, 'pkg') });
    const chunks: Buffer[] = [];
    proc.onData((d) => chunks.push(Buffer.from(d)));
    const exit = await new Promise<ExitStatus>((resolve) => proc.onExit(resolve));
    assert.deepEqual(exit, { code: 7 });
    assert.equal(Buffer.concat(chunks).toString(), `${backendOptions.remoteRoot}/pkg\r\n`);
  });

  it('runs a program with arguments quoted', async () => {
    const proc = await new DaytonaBackend(backendOptions).spawn({ command: 'printf', args: ['%s|', "it's", 'a b'], cwd: local });
    const chunks: Buffer[] = [];
    proc.onData((d) => chunks.push(Buffer.from(d)));
    assert.deepEqual(await new Promise((resolve) => proc.onExit(resolve)), { code: 0 });
    assert.equal(Buffer.concat(chunks).toString(), "it's|a b|");
  });

  it('passes input typed before and after the command starts, and resizes', async () => {
    const run = await start('read answer; echo "got:$answer"; sleep 0.3; stty size');
    run.proc.write('hello\r');
    await waitFor(run, 'got:hello');
    run.proc.resize(100, 40);
    assert.deepEqual(await run.exit, { code: 0 });
    assert.match(run.output().toString(), /40 100\r\n$/);
  });

  it('Ctrl+C ends the build with SIGINT', async () => {
    const run = await start('echo ready; sleep 30');
    await waitFor(run, 'ready');
    run.proc.interrupt();
    assert.deepEqual(await run.exit, { code: 130, signal: 'SIGINT' });
  });

  it('stop() kills a build that ignores Ctrl+C', async () => {
    const run = await start("trap '' INT; echo ready; sleep 30", { stopGraceMs: 300 });
    await waitFor(run, 'ready');
    const started = Date.now();
    await run.proc.stop();
    assert.deepEqual(await run.exit, { code: 137, signal: 'SIGKILL', stopped: true });
    assert.ok(Date.now() - started < 5000);
  });

  // The daemon (and the fake) replay nothing after a reconnect: the runner fills the gap from the copy `script` keeps.
  it('a socket dropped mid-stream is reconnected and loses no output (the gap is filled from the sandbox)', async () => {
    const run = await start('i=0; while [ $i -lt 40 ]; do echo line$i; i=$((i+1)); sleep 0.02; done');
    await waitFor(run, 'line5');
    h.fake.dropPtySockets();
    assert.deepEqual(await run.exit, { code: 0 });
    const all = Array.from({ length: 40 }, (_, i) => `line${i}\r\n`).join('');
    assert.equal(run.output().toString(), all, 'every line once, in order, and no gap note');
  });

  it('a build that ends while disconnected: its whole output and its exit code, from the sandbox', async () => {
    const run = await start('echo start; sleep 0.2; echo end; exit 3', { reconnectDelaysMs: [700, 700] });
    await waitFor(run, 'start');
    h.fake.dropPtySockets();
    assert.deepEqual(await run.exit, { code: 3 });
    assert.equal(run.output().toString(), 'start\r\nend\r\n');
  });

  it('the sandbox closing the terminal before the last output arrived: the end is read from the sandbox', async () => {
    h.fake.losePtyTailOnExit = true;
    const run = await start('echo first; sleep 0.2; echo last; exit 5');
    assert.deepEqual(await run.exit, { code: 5 });
    assert.equal(run.output().toString(), 'first\r\nlast\r\n');
  });

  it('a socket dropped during a 5 MB stream: the output is whole and in order', async () => {
    h.fake.dropPtyAfterBytes = 1024 * 1024;
    await relaysWhole();
  });

  it('without `script` in the sandbox the gap is marked, never papered over', async () => {
    // a PATH with a shell and sleep but no `script`
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-noscript-'));
    for (const tool of ['sh', 'sleep', 'mkdir']) fs.symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin, tool));
    const run = await start('i=0; while [ $i -lt 40 ]; do echo line$i; i=$((i+1)); sleep 0.02; done', { env: { PATH: bin } });
    await waitFor(run, 'line5');
    h.fake.dropPtySockets();
    assert.deepEqual(await run.exit, { code: 0 });
    assert.match(run.output().toString(), /\r\n\[Kirby\] connection to the sandbox lost for \d+\.\d s and restored; output between may be missing\r\n/);
    fs.rmSync(bin, { recursive: true, force: true });
  });
});

describe('remote command wrapper', () => {
  it('passes only what follows the start marker, at every split', () => {
    const nonce = 'n1';
    const stream = Buffer.from(`banner\r\n$ exec /bin/sh -c 'printf ...'\r\n\x1b]7777;kirby-start;${nonce}\x07hello\r\n`);
    for (let cut = 0; cut <= stream.length; cut++) {
      const gate = new StartGate(nonce);
      const out = Buffer.concat([gate.push(stream.subarray(0, cut)), gate.push(stream.subarray(cut))]);
      assert.equal(out.toString(), 'hello\r\n', `cut at ${cut}`);
    }
  });

  it('the typed script holds no marker bytes itself (its echo cannot be mistaken for one)', () => {
    const script = wrapperScript(commandAsShellLine({ command: 'npm', args: ['run', 'build'] }), 'n1', '/s');
    assert.ok(!script.includes('\x1b') && !script.includes('\x07'));
    assert.match(script, /\/bin\/sh -c ''\\''npm'\\'' '\\''run'\\'' '\\''build'\\'''/);
  });
});
