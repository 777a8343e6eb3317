/**
 * The `kirby` CLI as a user runs it: the bundled dist/cli.js in a child process (npm test builds it first).
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readProcStat } from '../../src/run/processTree';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const posix = process.platform !== 'win32';

function kirby(args: string[], options: { input?: string; cwd?: string; nodeArgs?: string[] } = {}) {
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('kirby CLI', function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built by `npm test` (npm run build)');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kirby-cli-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('replay', () => {
    it('stops quietly when its reader stops early (`kirby replay FILE --lines | head`)', async () => {
      const cast = path.join(ROOT, 'test/fixtures/webpack-dev-server/webpack-dev-server5-serve-long-session.cast');
      const child = spawn(process.execPath, [CLI, 'replay', cast, '--lines'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.equal(stderr.replace(/^npm warn.*\n/gm, ''), '');
      assert.equal(code, 0);
    });

    it('prints the JSON-lines contract for a recording, ending with the final state', () => {
      const cast = path.join(ROOT, 'test/fixtures/tsc/tsc5-watch.cast');
      const r = kirby(['replay', cast]);
      assert.equal(r.code, 0, r.stderr);
      const records = jsonLines(r.stdout);
      const events = records.filter((x) => x.type === 'event').map((x) => x.event);
      assert.deepEqual(events.slice(0, 3), ['build-start', 'watch-ready', 'build-success']);
      for (const e of records.filter((x) => x.type === 'event')) {
        assert.equal(e.tool, 'tsc');
        assert.equal(typeof e.time, 'number');
        assert.equal(typeof e.line, 'string');
      }
      assert.ok(records.some((x) => x.type === 'problem' && x.file === 'src/index.ts' && x.line === 4 && x.column === 7));
      assert.deepEqual(records[records.length - 1].type, 'end');
    });

    it('exits 2 naming the key and the pattern when the pattern file is bad', () => {
      const file = path.join(tmp, 'bad.json');
      fs.writeFileSync(file, JSON.stringify({ mytool: { detect: 'my-tool v\\d+', events: { buildStart: ['ok', 'Build(ing'] } } }));
      const r = kirby(['replay', '--patterns', file, path.join(ROOT, 'test/fixtures/tsc/tsc5-watch.cast')]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /kirby\.buildToolPatterns\.mytool\.events\.buildStart\[1\]/);
      assert.match(r.stderr, /Build\(ing/);
      assert.equal(r.stdout, '');
    });

    it('exits 2 when the pattern file is not JSON or has the wrong shape', () => {
      const notJson = path.join(tmp, 'not.json');
      fs.writeFileSync(notJson, '{ nope');
      assert.equal(kirby(['replay', '--patterns', notJson, path.join(ROOT, 'test/fixtures/tsc/tsc5-watch.cast')]).code, 2);
      const wrong = path.join(tmp, 'wrong.json');
      fs.writeFileSync(wrong, JSON.stringify({ vite: { events: 'built in' } }));
      const r = kirby(['replay', '--patterns', wrong, path.join(ROOT, 'test/fixtures/tsc/tsc5-watch.cast')]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /kirby\.buildToolPatterns\.vite\.events/);
    });

    it('applies a good pattern file (a new tool) to a raw log', () => {
      const patterns = path.join(tmp, 'good.json');
      fs.writeFileSync(patterns, JSON.stringify({ 'my-tool': { detect: 'my-tool v\\d+', events: { buildStart: ['^Building…$'], buildSuccess: ['^All done$'] } } }));
      const log = path.join(tmp, 'raw.log');
      fs.writeFileSync(log, 'my-tool v3\r\nBuilding…\r\n\x1b[32mAll done\x1b[0m\r\n');
      const r = kirby(['replay', '--patterns', patterns, log]);
      assert.equal(r.code, 0, r.stderr);
      const records = jsonLines(r.stdout);
      assert.deepEqual(records.filter((x) => x.type === 'event').map((x) => x.event), ['build-start', 'build-success']);
      assert.equal(records[records.length - 1].state, 'Ready');
      assert.equal(records[records.length - 1].tool, 'my-tool');
    });

    it('replays a 100 MB line without a newline in bounded memory', () => {
      const log = path.join(tmp, 'huge.log');
      const block = 'x'.repeat(1024 * 1024);
      const fd = fs.openSync(log, 'w');
      for (let i = 0; i < 100; i++) fs.writeSync(fd, block);
      fs.writeSync(fd, ' Build failed');
      fs.closeSync(fd);
      // a 48 MB heap cannot hold the line: finishing at all shows the line was never kept whole
      const r = kirby(['replay', log], { nodeArgs: ['--max-old-space-size=48'] });
      assert.equal(r.code, 0, r.stderr.slice(0, 500));
      assert.equal(jsonLines(r.stdout).pop()!.type, 'end');
    });

    it('uses the recording\'s clock: an idle timeout fires at its recorded time', () => {
      const cast = path.join(tmp, 'silent.cast');
      fs.writeFileSync(
        cast,
        [JSON.stringify({ version: 2, width: 80, height: 24 }), JSON.stringify([0.5, 'o', 'Building...\r\n']), JSON.stringify([95, 'o', 'still here\r\n'])].join('\n'),
      );
      const r = kirby(['replay', '--idle-timeout', '30', cast]);
      const states = jsonLines(r.stdout).filter((x) => x.type === 'state');
      const assumed = states.find((s) => s.reason === 'idle-timeout');
      assert.ok(assumed, JSON.stringify(states));
      assert.equal(assumed.time, 30.5);
      assert.equal(assumed.assumed, true);
    });

    it('names the tool from the package manager\'s echo, so a silent tsc run via npm ends Ready without an exit status', () => {
      const recorded = fs.readFileSync(path.join(ROOT, 'test/fixtures/npm-run/npm-tsc-build-ok.cast'), 'utf8').trim().split('\n');
      const withoutExit = path.join(tmp, 'no-exit.cast');
      fs.writeFileSync(withoutExit, recorded.filter((l) => !l.includes('"x"')).join('\n') + '\n');
      const records = jsonLines(kirby(['replay', withoutExit]).stdout);
      const end = records[records.length - 1];
      assert.deepEqual([end.state, end.tool], ['Ready', 'tsc']);
    });

    it('rejects unknown tools and missing files with exit 2', () => {
      assert.equal(kirby(['replay', '--tool', 'nope', path.join(ROOT, 'test/fixtures/tsc/tsc5-watch.cast')]).code, 2);
      assert.equal(kirby(['replay', path.join(tmp, 'missing.cast')]).code, 2);
      assert.equal(kirby(['frobnicate']).code, 2);
    });
  });

  (posix ? describe : describe.skip)('run and record', () => {
    it('relays output, reports states and exits with the command\'s code', () => {
      const json = path.join(tmp, 'events.jsonl');
      const r = kirby(['run', '--json', json, '--', 'sh', '-c', 'echo "vite v7.3.8 building for production..."; echo "✗ Build failed in 10ms"; exit 3']);
      assert.equal(r.code, 3);
      assert.match(r.stdout, /Build failed in 10ms\r?\n/);
      assert.match(r.stderr, /\[kirby\] Error/);
      const records = jsonLines(fs.readFileSync(json, 'utf8'));
      assert.deepEqual(records.filter((x) => x.type === 'event').map((x) => x.event), ['build-start', 'build-error']);
      assert.equal(records[records.length - 1].state, 'Error');
      assert.equal(records[records.length - 1].exitCode, 3);
    });

    it('records an asciicast that replays to the same verdict', () => {
      const cast = path.join(tmp, 'rec.cast');
      const r = kirby(['record', cast, '--', 'sh', '-c', 'printf "src/a.ts(3,7): error TS2322: Type x\\n"; exit 2']);
      assert.equal(r.code, 2);
      const lines = fs.readFileSync(cast, 'utf8').trim().split('\n');
      const header = JSON.parse(lines[0]) as { version: number; command: string };
      assert.equal(header.version, 2);
      assert.match(header.command, /^sh -c/);
      assert.deepEqual(JSON.parse(lines[lines.length - 1]).slice(1), ['x', '2']);
      const replayed = jsonLines(kirby(['replay', cast]).stdout);
      assert.ok(replayed.some((x) => x.type === 'problem' && x.code === 'TS2322' && x.line === 3));
      assert.equal(replayed[replayed.length - 1].state, 'Error');
    });

    it('leaves no descendant alive when interrupted', async () => {
      const child = spawn(
        process.execPath,
        [CLI, 'run', '--', 'sh', '-c', `(trap '' INT TERM HUP; while :; do sleep 1; done) & echo "stubborn:$!"; while :; do sleep 1; done`],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const until = Date.now() + 10_000;
      while (!/stubborn:\d+/.test(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      const stubborn = Number(/stubborn:(\d+)/.exec(out)?.[1]);
      assert.ok(stubborn > 0, out);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      const code = await exited;
      assert.equal(code, 130);
      const info = readProcStat(stubborn);
      assert.ok(info === undefined || info.state === 'Z', `pid ${stubborn} is still alive`);
    });
  });
});
