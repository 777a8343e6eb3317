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
  const clock = new VirtualClock();
  const engine = new BuildEngine({ clock, prefilter, command, idleTimeoutMs: 0 });
  const out: string[] = [];
  engine.onEvent((e) => out.push(`event ${e.type} ${e.tool} ${e.offset} ${e.line}`));
  engine.onProblem((p) => out.push(`problem ${p.offset} ${JSON.stringify(p.problem)}`));
  engine.onStateChange((s) => out.push(`state ${s.state}`));
  engine.start();
  for (let i = 0; i < bytes.length; i += chunk) {
    engine.write(bytes.subarray(i, i + chunk));
    clock.advanceTo(clock.now() + 1);
  }
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

  it('refuses needles it cannot honour (too short; non-ASCII letters with case)', () => {
    const scanner = LineScanner.create()!;
    assert.equal(scanner.setNeedles(['ok']), false);
    assert.equal(scanner.setNeedles(['Überall fertig']), false);
    assert.equal(scanner.setNeedles(['≈ tailwindcss v']), true);
  });

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
