import * as assert from 'node:assert/strict';
import { LineAssembler, type LineAssemblerOptions, type LineSink } from '../../src/core/lineAssembler';
import { WasmLineAssembler } from '../support/wasmAssembler';

interface Emitted {
  text: string;
  offset: number;
  partial: boolean;
}

type Assembler = Pick<LineAssembler, 'write' | 'end' | 'flushPartial' | 'resize' | 'offset' | 'hasPending'>;
/** The model under test: the JavaScript reference, then the WebAssembly one (same behaviour, same tests). */
let create: (sink: LineSink, options: LineAssemblerOptions) => Assembler;

/** An assembler whose emitted lines are collected. */
function make(options: LineAssemblerOptions = {}) {
  const out: Emitted[] = [];
  const asm = create((text, offset, partial) => out.push({ text, offset, partial }), options);
  return { asm, out, texts: () => out.map((e) => e.text) };
}

/** Feeds the chunks in order and returns the emitted texts. */
function lines(chunks: string[], options: LineAssemblerOptions = {}): string[] {
  const { asm, texts } = make(options);
  for (const c of chunks) asm.write(c);
  return texts();
}

/** The stream cut into two chunks at every position gives the same lines as the whole stream. */
function assertEverySplit(stream: string, expected: string[]): void {
  assert.deepEqual(lines([stream]), expected, 'whole stream');
  for (let i = 1; i < stream.length; i++) {
    assert.deepEqual(lines([stream.slice(0, i), stream.slice(i)]), expected, `split at ${i}: ${JSON.stringify(stream.slice(0, i))}`);
  }
  assert.deepEqual(lines([...stream]), expected, 'one character per chunk');
}

function behaviour(): void {
  describe('plain text', () => {
    it('emits lines ended by \\n and by \\r\\n, without the line ending', () => {
      assert.deepEqual(lines(['first\nsecond\r\nthird\n']), ['first', 'second', 'third']);
    });

    it('does not emit a line before its newline arrives', () => {
      const { asm, texts } = make();
      asm.write('no newline yet');
      assert.deepEqual(texts(), []);
      assert.equal(asm.hasPending, true);
      asm.write('\n');
      assert.deepEqual(texts(), ['no newline yet']);
      assert.equal(asm.hasPending, false);
    });

    it('joins a line split across many chunks, including one character per chunk', () => {
      const text = 'src/index.ts:3:7 - error TS2322: nope';
      assert.deepEqual(lines(['src/in', 'dex.ts:3', ':7 - error', ' TS2322: nope', '\n']), [text]);
      assert.deepEqual(lines([...`${text}\r\n`]), [text]);
    });

    it('never emits blank lines', () => {
      assert.deepEqual(lines(['\n\n\r\n', 'a\n', '\n', '\r\n', 'b\n\n']), ['a', 'b']);
      // a line that is erased before its newline is blank too
      assert.deepEqual(lines(['gone\x1b[2K\n', 'kept\n']), ['kept']);
    });

    // Regression: blankness was once `text.length === 0`, so "   \n", "\t\n" and "abc\x1b[1K\n" (erase to the cursor
    // fills the row with spaces) each emitted a whitespace-only line.
    it('never emits rows that show only spaces (tab alone, erase-to-cursor)', () => {
      assert.deepEqual(lines(['   \n', '\t\n', 'abc\x1b[1K\n', 'x\n']), ['x']);
    });

    it('expands tabs to the next multiple of 8 columns', () => {
      assert.deepEqual(lines(['a\tb\n', '\tc\n', '12345678\td\n']), ['a       b', '        c', '12345678        d']);
    });

    it('moves the cursor back on backspace and overwrites, never before column 0', () => {
      assert.deepEqual(lines(['abc\b\bX\n']), ['aXc']);
      assert.deepEqual(lines(['abcd\b\b\b\b\b\bX\n']), ['Xbcd']);
    });

    it('ignores NUL, BEL, DEL and other C0 controls', () => {
      assert.deepEqual(lines(['a\x00b\x07c\x7fd\x01e\n']), ['abcde']);
      assert.deepEqual(lines(['\x00\x00\n']), []);
    });
  });

  describe('escape sequences', () => {
    it('removes SGR colour codes inside words', () => {
      assert.deepEqual(lines(['compiled \x1b[1m\x1b[32msuccessfully\x1b[39m\x1b[22m in 5 ms\n']), [
        'compiled successfully in 5 ms',
      ]);
      assert.deepEqual(lines(['\x1b[38;2;255;0;0mE\x1b[0mrror\x1b[m: x\n']), ['Error: x']);
    });

    it('handles a CSI sequence split across chunks at every position', () => {
      assertEverySplit('webpack \x1b[1m\x1b[38;5;208mcompiled\x1b[39;49m\x1b[22m ok\n', ['webpack compiled ok']);
    });

    it('handles erase and cursor sequences split across chunks at every position', () => {
      assertEverySplit('50%\x1b[2K\rdone\x1b[K\nnext\n', ['done', 'next']);
    });

    it('skips OSC sequences ended by BEL', () => {
      assert.deepEqual(lines(['\x1b]0;my window title\x07hello\n']), ['hello']);
      assertEverySplit('a\x1b]0;title\x07b\n', ['ab']);
    });

    it('skips OSC sequences ended by ESC \\ (hyperlinks), split at every position', () => {
      assert.deepEqual(lines(['see \x1b]8;;https://example.com/x\x1b\\the link\x1b]8;;\x1b\\ now\n']), ['see the link now']);
      assertEverySplit('x\x1b]8;;file:///a\x1b\\y\x1b]8;;\x1b\\z\n', ['xyz']);
    });

    it('a full reset ESC c clears the screen and leaves no stray "c"', () => {
      assert.deepEqual(lines(['\x1bcrollup v4.0.0\n']), ['rollup v4.0.0']);
      assertEverySplit('\x1bcbundles src\n', ['bundles src']);
    });

    it('charset designations (ESC ( B) draw nothing', () => {
      assertEverySplit('a\x1b(Bb\n', ['ab']);
    });
  });

  describe('rewrites and redraws', () => {
    it('emits only the final text of a \\r progress line', () => {
      assert.deepEqual(lines(['progress 10%\r', 'progress 55%\r', 'progress 100%\r', 'progress done\n']), ['progress done']);
    });

    it('\\r then shorter text then \\x1b[K leaves only the shorter text', () => {
      assert.deepEqual(lines(['downloading 100%\rok\x1b[K\n']), ['ok']);
      // without the erase, the tail of the longer text stays on screen
      assert.deepEqual(lines(['downloading 100%\rok\n']), ['okwnloading 100%']);
    });

    it('erase line (2K) then \\r removes what was on the row', () => {
      assert.deepEqual(lines(['old stuff\x1b[2K\rclean\n']), ['clean']);
    });

    it('a cursor-up redraw of an earlier row emits the new content once; an identical redraw emits nothing', () => {
      const { asm, texts } = make();
      asm.write('task A ...\ntask B ...\n');
      assert.deepEqual(texts(), ['task A ...', 'task B ...']);
      asm.write('\x1b[2A\x1b[2Ktask A done\n\x1b[2Ktask B ...\n');
      assert.deepEqual(texts(), ['task A ...', 'task B ...', 'task A done']);
      asm.write('\x1b[2A\x1b[2Ktask A done\n\x1b[2Ktask B ...\n');
      assert.deepEqual(texts(), ['task A ...', 'task B ...', 'task A done']);
    });

    it('after a screen clear (2J + H) new lines are emitted, even the same text as before', () => {
      const { asm, out, texts } = make();
      asm.write('Starting compilation...\nFound 1 error.\n');
      asm.write('\x1b[2J\x1b[HStarting compilation...\n');
      asm.write('Found 0 errors.\n');
      assert.deepEqual(texts(), ['Starting compilation...', 'Found 1 error.', 'Starting compilation...', 'Found 0 errors.']);
      assert.ok(out.every((e) => !e.partial));
    });

    it('a screen clear emits the row it interrupts as partial', () => {
      const { asm, out } = make();
      asm.write('half a line\x1b[2J\x1b[Hnew\n');
      assert.deepEqual(
        out.map((e) => [e.text, e.partial]),
        [
          ['half a line', true],
          ['new', false],
        ],
      );
    });

    it('resize changes how far up the cursor can move', () => {
      const stream = ['aaa\nbbb\nccc\n', '\x1b[3AZ\n'];
      // a one-row screen: the cursor stays on the (empty) current row
      assert.deepEqual(lines(stream, { screenRows: 1 }), ['aaa', 'bbb', 'ccc', 'Z']);
      const { asm, texts } = make({ screenRows: 1 });
      asm.resize(10);
      for (const c of stream) asm.write(c);
      // a taller screen: the cursor reaches the first row and overwrites its first column
      assert.deepEqual(texts(), ['aaa', 'bbb', 'ccc', 'Zaa']);
    });
  });

    it('a long in-place progress line shows what follows its last erase, as when read one character at a time', () => {
      const steps = Array.from({ length: 40 }, (_, i) => `\x1b[1m${i}% building module ${i}\x1b[22m\x1b[2K\r`).join('');
      // one character per chunk never takes the shortcut for long lines; the whole line does
      const same = (stream: string) => assert.deepEqual(lines([stream]), lines([...stream]), JSON.stringify(stream.slice(0, 60)));
      assert.deepEqual(lines([`${steps}100% done\n`]), ['100% done']);
      same(`${steps}100% done\n`);
      same(`old row\n${steps}\x1b[1Aup one row\n`); // a move after the erase: emulated as usual
      same(`old row\n\x1b[1A${steps}done\n`); // a move before the erase acts beyond the row: no shortcut
      same(`saved\x1b7${steps}\x1b8back\n`); // save/restore cursor is not local to the row
      same(`tab\there${steps}x\bdone\n`); // tab and backspace before the erase
      same(`\x1b]0;title\x07${steps}done\n`); // an OSC before the erase
      same(`\x1b[?25l${steps}\x1b[?25hdone\n`); // private sequences (hide/show cursor) are ignored anyway
      same(`partial ${steps}`); // no newline yet: the row in progress
    });

  describe('flushPartial', () => {
    it('emits a pending line once, marked partial', () => {
      const { asm, out } = make();
      asm.write('Press q to quit');
      asm.flushPartial();
      assert.deepEqual(out, [{ text: 'Press q to quit', offset: 15, partial: true }]);
      asm.flushPartial();
      assert.equal(out.length, 1);
      assert.equal(asm.hasPending, false);
    });

    it('the newline that completes a flushed line emits nothing new', () => {
      const { asm, texts } = make();
      asm.write('Compiling...');
      asm.flushPartial();
      asm.write('\n');
      assert.deepEqual(texts(), ['Compiling...']);
    });

    it('the same text redrawn then \\n emits nothing new', () => {
      const { asm, texts } = make();
      asm.write('Compiling...');
      asm.flushPartial();
      asm.write('\rCompiling...\n');
      assert.deepEqual(texts(), ['Compiling...']);
    });

    it('more text after the flush emits the longer line when it completes', () => {
      const { asm, out } = make();
      asm.write('Build fai');
      asm.flushPartial();
      asm.write('led\n');
      assert.deepEqual(
        out.map((e) => [e.text, e.partial]),
        [
          ['Build fai', true],
          ['Build failed', false],
        ],
      );
    });

    it('flushes nothing when nothing is pending', () => {
      const { asm, out } = make();
      asm.write('done\n');
      asm.flushPartial();
      asm.end();
      assert.deepEqual(out.map((e) => e.text), ['done']);
    });

    it('end() drops a dangling escape sequence and emits the pending text', () => {
      const { asm, texts } = make();
      asm.write('last words\x1b[3');
      asm.end();
      assert.deepEqual(texts(), ['last words']);
    });
  });

  describe('limits', () => {
    it('caps a 10 MB line without newline written in 64 KB chunks', () => {
      const cap = 1000;
      const { asm, out } = make({ maxLineLength: cap });
      const chunk = 'x'.repeat(64 * 1024);
      const total = 10 * 1024 * 1024;
      for (let written = 0; written < total; written += chunk.length) asm.write(chunk);
      assert.equal(asm.offset, total);
      asm.flushPartial();
      assert.equal(out.length, 1);
      assert.equal(out[0].text.length, cap);
      // the stream goes on normally afterwards
      asm.write('\nnext line\n');
      assert.deepEqual(out.map((e) => e.text.length), [cap, 'next line'.length]);
    });

    it('caps a 10 MB single-chunk line at the default limit', () => {
      const { asm, out } = make();
      asm.write('y'.repeat(10 * 1024 * 1024) + '\n');
      assert.equal(out.length, 1);
      assert.ok(out[0].text.length <= 4096, `emitted ${out[0].text.length} characters`);
      assert.ok(out[0].text.length > 0);
    });

    it('cursor-forward and tabs never push the row past the cap', () => {
      assert.deepEqual(lines(['ab\x1b[2Ccdefgh\n', 'abc\td\n', 'a\x1b[99Cb\n'], { maxLineLength: 5 }), ['ab  c', 'abc  ', 'a']);
    });
  });

  describe('offsets', () => {
    it('increase and point just past each line', () => {
      const stream = 'one\r\n\x1b[32mtwo\x1b[0m\n\nthree\n';
      const { asm, out } = make();
      asm.write(stream);
      assert.deepEqual(
        out.map((e) => [e.text, e.offset]),
        [
          ['one', 5],
          ['two', 18],
          ['three', 25],
        ],
      );
      for (const e of out) assert.equal(stream[e.offset - 1], '\n');
      assert.equal(asm.offset, stream.length);
    });

    it('are the same when plain text is split across chunks', () => {
      const { asm, out } = make();
      for (const c of ['on', 'e\r', '\ntw', 'o\n']) asm.write(c);
      assert.deepEqual(out.map((e) => e.offset), [5, 9]);
    });

    // Regression: write() once subtracted a carried (chunk-split) sequence's length twice, so every later offset was
    // short by it, cumulatively: write("ab\x1b[3"), write("2mc\n") emitted "abc" at offset 6 instead of 9.
    it('are the same when an escape sequence is split across chunks', () => {
      const stream = 'ab\x1b[32mc\nx\x1b[0md\n';
      const { asm, out } = make();
      for (const c of ['ab\x1b[3', '2mc\nx\x1b', '[0md\n']) asm.write(c);
      assert.deepEqual(
        out.map((e) => [e.text, e.offset]),
        [
          ['abc', 9],
          ['xd', stream.length],
        ],
      );
      assert.equal(asm.offset, stream.length);
    });
  });
}

describe('LineAssembler (JavaScript terminal model)', () => {
  before(() => (create = (sink, options) => new LineAssembler(sink, options)));
  behaviour();
});

describe('WebAssembly terminal model', () => {
  before(() => (create = (sink, options) => new WasmLineAssembler(sink, options)));
  behaviour();
});
