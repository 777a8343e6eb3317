import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CastEventReader, parseCastHeader } from '../src/core/asciicast';
import { OutputMatcher } from '../src/core/matcher';
import { PatternRegistry } from '../src/core/patterns/registry';
import { echoedCommand, RunnerPrefixes } from '../src/core/runnerPrefix';
import { SGR } from '../src/core/screen';

const FIXTURES = path.resolve(__dirname, '../../test/fixtures');

/** Every recorded fixture's .cast file, in order. */
function castFiles(): string[] {
  const files: string[] = [];
  for (const dir of fs.readdirSync(FIXTURES).sort()) {
    const full = path.join(FIXTURES, dir);
    if (!fs.statSync(full).isDirectory()) continue;
    for (const file of fs.readdirSync(full).sort()) if (file.endsWith('.cast')) files.push(path.join(full, file));
  }
  return files;
}

/** The output of every recorded fixture, in order: real tool output with its colours, redraws and clears. */
export function fixtureOutput(): string {
  const parts: string[] = [];
  for (const cast of castFiles()) {
    const lines = fs.readFileSync(cast, 'utf8').split('\n');
    const header = parseCastHeader(lines[0]);
    if (!header) continue;
    const reader = new CastEventReader(header);
    for (const line of lines.slice(1)) {
      const ev = reader.read(line);
      if (ev?.kind === 'output') parts.push(ev.data);
    }
  }
  return parts.join('');
}

/** Writes the fixture output repeated to at least `bytes` bytes; returns the path and its size. */
export function writeLargeLog(dir: string, bytes: number): { file: string; size: number } {
  fs.mkdirSync(dir, { recursive: true });
  // named after the fixtures it is made of (names and sizes): a corpus left from other fixtures is not reused
  const hash = createHash('sha1');
  for (const cast of castFiles()) hash.update(`${path.relative(FIXTURES, cast)} ${fs.statSync(cast).size}\n`);
  const file = path.join(dir, `corpus-${bytes}-${hash.digest('hex').slice(0, 10)}.log`);
  if (fs.existsSync(file) && fs.statSync(file).size >= bytes) return { file, size: fs.statSync(file).size };
  for (const old of fs.readdirSync(dir)) {
    if (old.startsWith(`corpus-${bytes}`) && old.endsWith('.log')) fs.rmSync(path.join(dir, old)); // made of other fixtures
  }
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
 * The lines of `data` that give the parser nothing to do: plain lines (text and colour codes, a carriage return only
 * before the newline) holding none of the literals any tool's patterns need, and no command echo (which switches the
 * tool). Measures what the issue asks to be almost free.
 */
export function quietLines(data: Buffer): Buffer {
  const needles = allNeedles();
  const parts: Buffer[] = [];
  let lineStart = 0;
  for (let lf = data.indexOf(0x0a); lf >= 0; lf = data.indexOf(0x0a, lineStart)) {
    const raw = data.toString('utf8', lineStart, lf);
    const visible = (raw.endsWith('\r') ? raw.slice(0, -1) : raw).replace(SGR, '');
    // eslint-disable-next-line no-control-regex
    const plain = !/[\x00-\x1f\x7f]/.test(visible);
    const lower = visible.toLowerCase();
    if (plain && !needles.some((n) => lower.includes(n)) && !readAnyway(visible)) parts.push(data.subarray(lineStart, lf + 1));
    lineStart = lf + 1;
  }
  return Buffer.concat(parts);
}

/** A line the matcher reads without a literal: a package manager's or script runner's echo of a command. */
function readAnyway(line: string): boolean {
  const runners = new RunnerPrefixes();
  return echoedCommand(line) !== undefined || runners.learn(line) !== undefined || !runners.isEmpty;
}

/** The literals the matcher needs (lower-cased) while `toolId` is the active tool. */
export function toolNeedles(toolId: string): readonly string[] {
  const registry = PatternRegistry.builtin();
  const tool = registry.get(toolId) ?? registry.generic;
  return new OutputMatcher(registry, { event() {}, problem() {}, toolChanged() {}, commandEcho() {} }, false, tool).needles;
}

/** Every literal any built-in tool's patterns need (lower-cased): what the scanner looks for, over all tools. */
export function allNeedles(): string[] {
  const registry = PatternRegistry.builtin();
  const needles = new Set<string>();
  for (const tool of [registry.generic, ...registry.tools]) for (const n of toolNeedles(tool.id)) needles.add(n);
  return [...needles];
}
