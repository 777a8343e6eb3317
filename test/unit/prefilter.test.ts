/**
 * The WebAssembly prefilter must never change what the engine reports: every recorded fixture is run through an
 * engine with it and one without, in several chunkings (pty-sized, tiny, one byte at a time), and the complete
 * streams of events, problems and states must be identical.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CastEventReader, parseCastHeader } from '../../src/core/asciicast';
import { VirtualClock } from '../../src/core/clock';
import { BuildEngine } from '../../src/core/engine';
import { LineScanner } from '../../src/core/wasm/lineScanner';
import { FIXTURES } from '../support/replay';

function castOutput(file: string): { bytes: Buffer; command?: string } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const header = parseCastHeader(lines[0])!;
  const reader = new CastEventReader(header);
  const parts: string[] = [];
  for (const line of lines.slice(1)) {
    const ev = reader.read(line);
    if (ev?.kind === 'output') parts.push(ev.data);
  }
  return { bytes: Buffer.from(parts.join(''), 'utf8'), command: typeof header.command === 'string' ? header.command : undefined };
}

function run(bytes: Buffer, chunk: number, prefilter: boolean, command?: string): string[] {
  const cuts: number[] = [];
  for (let i = chunk; i < bytes.length; i += chunk) cuts.push(i);
  return runCuts(bytes, cuts, prefilter, { command });
}

/** Everything the engine reports, and the lines it keeps for display, with the bytes cut at `cuts`. */
function runCuts(bytes: Buffer, cuts: number[], prefilter: boolean, options: { command?: string; maxLineLength?: number } = {}): string[] {
  const clock = new VirtualClock();
  const engine = new BuildEngine({ clock, prefilter, ...options, idleTimeoutMs: 0 });
  const out: string[] = [];
  engine.onEvent((e) => out.push(`event ${e.type} ${e.tool} ${e.offset} ${e.line}`));
  engine.onProblem((p) => out.push(`problem ${p.offset} ${JSON.stringify(p.problem)}`));
  engine.onStateChange((s) => out.push(`state ${s.state}`));
  engine.start();
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    engine.write(bytes.subarray(at, cut));
    clock.advanceTo(clock.now() + 1);
    at = cut;
  }
  out.push(`tail ${JSON.stringify(engine.recentLines())}`);
  engine.exit(0);
  return out;
}

describe('WebAssembly prefilter', () => {
  it('is available in this runtime', () => {
    assert.ok(LineScanner.create(), 'WebAssembly should load in Node.js and in the extension host');
  });

  it('finds needles across chunk boundaries and skips colour codes, not other sequences', () => {
    const scanner = LineScanner.create()!;
    assert.ok(scanner.setNeedles(['compiled successfully', '✓ built in']));
    const hits = (r: { flags: Uint8Array }) => [...r.flags].map((f, i) => (f & 1 ? i : -1)).filter((i) => i >= 0);
    const plain = (r: { flags: Uint8Array }) => [...r.flags].map((f) => (f & 2) !== 0);
    const first = scanner.scan(Buffer.from('noise\r\nwebpack compiled \x1b[1m\x1b[32msucc'));
    // the line in progress when the needles were loaded is always a candidate
    assert.deepEqual(hits(first), [0]);
    assert.equal(first.lines, 1);
    const second = scanner.scan(Buffer.from('essfully\x1b[39m in 5 ms\r\n\x1b[32m✓\x1b[39m built in 3ms\r\nBUILT IN\r\n'));
    assert.deepEqual(hits(second), [0, 1]);
    assert.deepEqual(plain(second), [true, true, true]);
    assert.equal(second.lines, 3);
    const moved = scanner.scan(Buffer.from('compiled \x1b[2Ksuccessfully\nx\ry\n\x1b]0;title\x07z\n'));
    assert.deepEqual(hits(moved), []);
    assert.deepEqual(plain(moved), [false, false, false]);
  });

  it('flags exactly the plain lines whose visible text holds a needle, on long random lines in random chunks', () => {
    // Long runs of text exercise the 16-byte block filter; needles land at every offset of a block, split by colour
    // codes, in upper case, and as near misses (all but the last byte) that the filter must not confuse.
    const needles = ['compiled successfully', 'error', 'ready in', '✓ built in', 'err!', '[!] ', 'rollup v'];
    const fillers = ['abc', 'xyz ', 'webpack ', '12.5 kB', 'errr', 'compiled successfull', 'ready i', 'rollup', '    ', '│ gzip: ', 'é✓'];
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const lines: string[] = [];
    for (let l = 0; l < 400; l++) {
      let line = '';
      const words = 1 + random(40);
      for (let w = 0; w < words; w++) {
        let word = random(12) === 0 ? needles[random(needles.length)] : fillers[random(fillers.length)];
        if (random(3) === 0) word = word.toUpperCase();
        if (random(6) === 0) {
          const at = random(word.length + 1);
          word = `${word.slice(0, at)}\x1b[${random(2) ? '1' : '38;5;208'}m${word.slice(at)}`;
        }
        line += word;
      }
      lines.push(line);
    }
    const visible = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, '').toLowerCase();
    const expected = lines.map((line) => needles.some((n) => visible(line).includes(n)));
    const bytes = Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'utf8');
    for (const chunk of [bytes.length, 4095, 61, 17, 16, 5]) {
      const scanner = LineScanner.create()!;
      assert.ok(scanner.setNeedles(needles));
      scanner.scan(Buffer.from('\n')); // the line in progress when the needles were set is always a candidate
      const flags: number[] = [];
      for (let i = 0; i < bytes.length; i += chunk) flags.push(...scanner.scan(bytes.subarray(i, i + chunk)).flags);
      assert.equal(flags.length, lines.length);
      lines.forEach((line, i) => {
        assert.equal((flags[i] & 1) !== 0, expected[i], `chunk ${chunk}, line ${i}: ${JSON.stringify(line)}`);
        assert.ok((flags[i] & 2) !== 0, `plain: ${JSON.stringify(line)}`);
      });
    }
  });

  it('refuses needles it cannot honour (too short; non-ASCII letters with case)', () => {
    const scanner = LineScanner.create()!;
    assert.equal(scanner.setNeedles(['ok']), false);
    assert.equal(scanner.setNeedles(['Überall fertig']), false);
    assert.equal(scanner.setNeedles(['≈ tailwindcss v']), true);
  });

  // the fast paths (skipped lines, scanner verdicts) against the slow path, cut at every byte: keywords, colour codes,
  // CRLF and multi-byte characters split across chunks, lines at the length cap
  const edgeCases: { name: string; text: string; command?: string; maxLineLength?: number }[] = [
    { name: 'a keyword split across chunks, CRLF', text: 'noise\r\nwebpack 5.1.0 compiled successfully in 5 ms\r\nmore\r\n', command: 'webpack --watch' },
    { name: 'colour codes inside a keyword, ESC at the cut', text: 'x\n\x1b[32mcompiled\x1b[39m \x1b[1msuccessfully\x1b[22m in 5 ms\n\x1b]0;t\x07ERROR in ./a.js 1:2\nboom\n', command: 'webpack' },
    { name: 'a carriage return rewriting a line', text: 'building 10%\rbuilding 90%\r✓ built in 3ms\nplain\n', command: 'vite build' },
    { name: 'multi-byte characters split', text: '✘ [ERROR] Could not resolve "x"\n\n    src/a.ts:1:2:\n🚨 Build failed.\n⚡ Done in 3ms\n', command: 'esbuild --watch' },
    { name: 'lines at the length cap', text: '0123456789 error\n0123456789 erro\n0123456789 err\nabcdefghijklmn\nError: at the cap\n', maxLineLength: 15 },
    { name: 'a package manager echo, no tool named', text: '\n> vite build\n\nvite v5.4.0 building for production...\n✓ built in 1.2s\n' },
  ];
  for (const edge of edgeCases) {
    it(`changes nothing for ${edge.name}, cut at every byte`, () => {
      const bytes = Buffer.from(edge.text, 'utf8');
      const options = { command: edge.command, maxLineLength: edge.maxLineLength };
      const expected = runCuts(bytes, [], false, options);
      assert.ok(expected.some((l) => l.startsWith('event') || l.startsWith('problem')), 'the case should report something');
      for (let cut = 1; cut < bytes.length; cut++) {
        assert.deepEqual(runCuts(bytes, [cut], true, options), expected, `cut at ${cut}`);
        assert.deepEqual(runCuts(bytes, [cut], false, options), expected, `cut at ${cut}, no prefilter`);
      }
    });
  }

  const casts = fs
    .readdirSync(FIXTURES)
    .flatMap((d) => (fs.statSync(path.join(FIXTURES, d)).isDirectory() ? fs.readdirSync(path.join(FIXTURES, d)).map((f) => path.join(FIXTURES, d, f)) : []))
    .filter((f) => f.endsWith('.cast'));
  for (const cast of casts) {
    it(`changes nothing for ${path.relative(FIXTURES, cast)}`, () => {
      const { bytes, command } = castOutput(cast);
      for (const chunk of [4095, 97, 7]) {
        assert.deepEqual(run(bytes, chunk, true, command), run(bytes, chunk, false, command), `chunk size ${chunk}`);
      }
    });
  }

  it('changes nothing, one byte at a time, across every fixture in a row (tool switches mid-line)', function () {
    this.timeout(120_000);
    const all = Buffer.concat(casts.map((c) => castOutput(c).bytes));
    assert.deepEqual(run(all.subarray(0, 400_000), 1, true), run(all.subarray(0, 400_000), 1, false));
    assert.deepEqual(run(all, 4095, true), run(all, 4095, false));
  });
});
