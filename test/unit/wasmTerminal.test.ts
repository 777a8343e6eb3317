/**
 * The WebAssembly terminal model must never change what the engine reports: every recorded fixture is run through
 * an engine with it and one with the JavaScript model (the reference), in several chunkings (pty-sized, tiny, one
 * byte at a time), and the complete streams of events, problems, states and kept lines must be identical.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CastEventReader, parseCastHeader } from '../../src/core/asciicast';
import { VirtualClock } from '../../src/core/clock';
import { BuildEngine } from '../../src/core/engine';
import { LineAssembler } from '../../src/core/lineAssembler';
import { RowFlag, WasmTerminal } from '../../src/core/wasm/terminal';
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

function run(bytes: Buffer, chunk: number, webAssembly: boolean, command?: string): string[] {
  const cuts: number[] = [];
  for (let i = chunk; i < bytes.length; i += chunk) cuts.push(i);
  return runCuts(bytes, cuts, webAssembly, { command });
}

/** Everything the engine reports, and the lines it keeps for display, with the bytes cut at `cuts`. */
function runCuts(bytes: Buffer, cuts: number[], webAssembly: boolean, options: { command?: string; maxLineLength?: number } = {}): string[] {
  const clock = new VirtualClock();
  const engine = new BuildEngine({ clock, webAssembly, ...options, idleTimeoutMs: 0 });
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

/** Each row the terminal emits: its text and the needles (by index) it was found to hold. */
function rowsOf(terminal: WasmTerminal, bytes: Buffer, chunk: number): { text: string; found: number[]; hit: boolean }[] {
  const rows: { text: string; found: number[]; hit: boolean }[] = [];
  const batch = (count: number) => {
    for (let k = 0; k < count; k++) {
      const start = terminal.foundStart(k);
      const found = [...terminal.found.subarray(start, start + terminal.foundCount(k))].sort((a, b) => a - b);
      rows.push({ text: terminal.text(k), found, hit: (terminal.flags(k) & RowFlag.Hit) !== 0 });
    }
  };
  for (let i = 0; i < bytes.length; i += chunk) terminal.write(bytes.subarray(i, i + chunk), batch, () => {});
  terminal.end(batch);
  return rows;
}

const terminalOptions = { screenRows: 30, maxLineLength: 4096, tailLines: 50 };

describe('WebAssembly terminal model', () => {
  it('is available in this runtime', () => {
    assert.ok(WasmTerminal.create(terminalOptions), 'WebAssembly should load in Node.js and in the extension host');
  });

  it('reports exactly the needles each visible row holds, on long random lines in random chunks', () => {
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
      let line = `${l} `;
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
    const visible = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, '');
    const expected = lines.map((line) => ({
      text: visible(line),
      found: needles.flatMap((n, i) => (visible(line).toLowerCase().includes(n) ? [i] : [])),
    }));
    assert.ok(expected.filter((e) => e.found.length > 0).length > 100, 'the sample should hold needles');
    const bytes = Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'utf8');
    for (const chunk of [bytes.length, 4095, 61, 17, 16, 5]) {
      const terminal = WasmTerminal.create(terminalOptions)!;
      terminal.setNeedles(needles);
      assert.ok(terminal.searching);
      const rows = rowsOf(terminal, bytes, chunk);
      assert.equal(rows.length, lines.length);
      rows.forEach((row, i) => {
        // needles are loaded sorted as given; the terminal reports their indexes in that list
        assert.deepEqual({ text: row.text, found: row.found }, expected[i], `chunk ${chunk}, line ${i}`);
        assert.equal(row.hit, expected[i].found.length > 0);
      });
    }
  });

  it('changes nothing when one write holds more rows than a call can record (the call stops at a line end)', () => {
    const lines = [
      '\x1b[1mvite\x1b[22m v7.3.8 \x1b[32mbuilding for production...\x1b[39m\r\n',
      'a\n',
      '\x1b[1G\x1b[0K\x1b[2m✓\x1b[22m built in \x1b[1m12ms\x1b[22m\r\n',
      '\x1b[33mwarn\x1b[39m: a \x1b[38;2;173;127;168mlong colour code\x1b[39m then text\r\n',
      '\r\n',
    ];
    let text = '';
    // mostly 2-byte rows: a 64 KB piece holds several times the records one call may produce
    for (let k = 0; text.length < 300_000; k++) text += lines[k % lines.length] + 'b\n'.repeat(12);
    const bytes = Buffer.from(text, 'utf8');
    for (const chunk of [bytes.length, 70_000, 4095]) {
      assert.deepEqual(run(bytes, chunk, true), run(bytes, chunk, false), `chunk ${chunk}`);
    }
  });

  it('emits the same rows at the same offsets as the JavaScript model when calls stop early, several times a piece', () => {
    for (const unit of ['b\n', 'b\r\n', '\x1b[32mb\x1b[0m\r\n', 'b\n\x1b[1G\x1b[0K']) {
      const text = unit.repeat(30_000);
      const terminal = WasmTerminal.create(terminalOptions)!;
      const rows: string[] = [];
      const batch = (count: number) => {
        for (let k = 0; k < count; k++) rows.push(`${terminal.offset(k)} ${terminal.text(k)}`);
      };
      let calls = 0;
      terminal.write(Buffer.from(text, 'utf8'), (count) => (calls++, batch(count)), () => {});
      terminal.end(batch);
      const expected: string[] = [];
      const assembler = new LineAssembler((line, offset) => expected.push(`${offset} ${line}`), terminalOptions);
      assembler.write(text);
      assembler.end();
      assert.ok(calls > 8, `${JSON.stringify(unit)}: only ${calls} calls`);
      assert.deepEqual(rows, expected, JSON.stringify(unit));
    }
  });

  it('does not search with needles it cannot honour (shorter than 3 bytes)', () => {
    const terminal = WasmTerminal.create(terminalOptions)!;
    terminal.setNeedles(['ok']);
    assert.equal(terminal.searching, false);
    terminal.setNeedles(['≈ tailwindcss v']);
    assert.equal(terminal.searching, true);
  });

  it('finds ASCII letters in either case and other bytes as they are (tsc --locale fr)', () => {
    const terminal = WasmTerminal.create(terminalOptions)!;
    terminal.setNeedles(['démarrage de la compilation', 'überwachungsmodus']);
    assert.equal(terminal.searching, true);
    const hits: boolean[] = [];
    const text = '[1:02:03 PM] Démarrage de la compilation...\nDÉMARRAGE DE LA COMPILATION\nim Überwachungsmodus\nim überwachungsmodus\n';
    terminal.write(
      Buffer.from(text),
      (count) => {
        for (let k = 0; k < count; k++) hits.push((terminal.flags(k) & RowFlag.Hit) !== 0);
      },
      () => {},
    );
    assert.deepEqual(hits, [true, false, false, true]);
  });

  it('keeps the same last lines as the JavaScript model while its ring of rows wraps around many times', () => {
    // long rows (multi-byte, near the length cap) fill the ring quickly; a clear and redraws in between
    const parts: string[] = [];
    for (let l = 0; l < 3000; l++) {
      const body = `${l} ${'é✓ compiled successfully '.repeat(20 + (l % 150))}`;
      parts.push(l % 97 === 0 ? `\x1b[2J\x1b[H${body}\n` : l % 13 === 0 ? `${body}\r\x1b[2Kshort ${l}\n` : `${body}\n`);
    }
    const bytes = Buffer.from(parts.join(''), 'utf8');
    const tails = [true, false].map((webAssembly) => {
      const engine = new BuildEngine({ clock: new VirtualClock(), webAssembly, idleTimeoutMs: 0, tailLines: 40, maxLineLength: 3000 });
      engine.start();
      for (let i = 0; i < bytes.length; i += 65536) engine.write(bytes.subarray(i, i + 65536));
      return [engine.recentLines(), engine.recentLines(5)];
    });
    assert.equal(tails[0][0].length, 40);
    assert.deepEqual(tails[0], tails[1]);
  });

  // the WebAssembly model against the JavaScript one, cut at every byte: keywords, colour codes, CRLF and multi-byte
  // characters split across chunks, lines at the length cap
  const edgeCases: { name: string; text: string; command?: string; maxLineLength?: number }[] = [
    { name: 'a keyword split across chunks, CRLF', text: 'noise\r\nwebpack 5.1.0 compiled successfully in 5 ms\r\nmore\r\n', command: 'webpack --watch' },
    { name: 'colour codes inside a keyword, ESC at the cut', text: 'x\n\x1b[32mcompiled\x1b[39m \x1b[1msuccessfully\x1b[22m in 5 ms\n\x1b]0;t\x07ERROR in ./a.js 1:2\nboom\n', command: 'webpack' },
    { name: 'a carriage return rewriting a line', text: 'building 10%\rbuilding 90%\r✓ built in 3ms\nplain\n', command: 'vite build' },
    { name: 'multi-byte characters split', text: '✘ [ERROR] Could not resolve "x"\n\n    src/a.ts:1:2:\n🚨 Build failed.\n⚡ Done in 3ms\n', command: 'esbuild --watch' },
    { name: 'lines at the length cap', text: '0123456789 error\n0123456789 erro\n0123456789 err\nabcdefghijklmn\na.c:1:2 error at the cap\n', maxLineLength: 15 },
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
        assert.deepEqual(runCuts(bytes, [cut], false, options), expected, `cut at ${cut}, JavaScript model`);
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
