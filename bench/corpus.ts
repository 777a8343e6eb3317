import * as fs from 'node:fs';
import * as path from 'node:path';
import { CastEventReader, parseCastHeader } from '../src/core/asciicast';
import { OutputMatcher } from '../src/core/matcher';
import { PatternRegistry } from '../src/core/patterns/registry';
import { LINE_PLAIN, LineScanner } from '../src/core/wasm/lineScanner';

const FIXTURES = path.resolve(__dirname, '../../test/fixtures');

/** The output of every recorded fixture, in order: real tool output with its colours, redraws and clears. */
export function fixtureOutput(): string {
  const parts: string[] = [];
  for (const dir of fs.readdirSync(FIXTURES).sort()) {
    const full = path.join(FIXTURES, dir);
    if (!fs.statSync(full).isDirectory()) continue;
    for (const file of fs.readdirSync(full).sort()) {
      if (!file.endsWith('.cast')) continue;
      const lines = fs.readFileSync(path.join(full, file), 'utf8').split('\n');
      const header = parseCastHeader(lines[0]);
      if (!header) continue;
      const reader = new CastEventReader(header);
      for (const line of lines.slice(1)) {
        const ev = reader.read(line);
        if (ev?.kind === 'output') parts.push(ev.data);
      }
    }
  }
  return parts.join('');
}

/** Writes the fixture output repeated to at least `bytes` bytes; returns the path and its size. */
export function writeLargeLog(dir: string, bytes: number): { file: string; size: number } {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `corpus-${bytes}.log`);
  if (fs.existsSync(file) && fs.statSync(file).size >= bytes) return { file, size: fs.statSync(file).size };
  const unit = Buffer.from(fixtureOutput(), 'utf8');
  const fd = fs.openSync(file, 'w');
  let size = 0;
  while (size < bytes) {
    fs.writeSync(fd, unit);
    size += unit.length;
  }
  fs.closeSync(fd);
  return { file, size };
}

/**
 * The lines of `data` that give the parser nothing to do: plain lines (text and colour codes) holding none of the
 * literals any tool's patterns need, as the scanner finds them. Measures what the issue asks to be almost free.
 */
export function quietLines(data: Buffer): Buffer {
  const scanner = LineScanner.create();
  if (!scanner || !scanner.setNeedles(allNeedles())) throw new Error('the WebAssembly scanner is needed to pick the quiet lines');
  scanner.scan(Buffer.from('\n'));
  const parts: Buffer[] = [];
  const PIECE = 64 * 1024;
  let lineStart = 0;
  for (let start = 0; start < data.length; start += PIECE) {
    const { flags, lines } = scanner.scan(data.subarray(start, Math.min(data.length, start + PIECE)));
    for (let k = 0; k < lines; k++) {
      // the scanner counts every newline outside OSC strings; the corpus has none inside them
      const lf = data.indexOf(0x0a, lineStart);
      if (flags[k] === LINE_PLAIN) parts.push(data.subarray(lineStart, lf + 1));
      lineStart = lf + 1;
    }
  }
  return Buffer.concat(parts);
}

/** Every literal any built-in tool's patterns need (lower-cased): what the scanner looks for, over all tools. */
export function allNeedles(): string[] {
  const registry = PatternRegistry.builtin();
  const needles = new Set<string>();
  for (const tool of [registry.generic, ...registry.tools]) {
    const matcher = new OutputMatcher(registry, { event() {}, problem() {}, toolChanged() {}, commandEcho() {} }, false, tool);
    for (const n of matcher.needles) needles.add(n);
  }
  return [...needles];
}
