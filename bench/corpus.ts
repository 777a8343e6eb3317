import * as fs from 'node:fs';
import * as path from 'node:path';
import { CastEventReader, parseCastHeader } from '../src/core/asciicast';

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
