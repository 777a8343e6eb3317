import * as fs from 'node:fs';

/**
 * Append-only JSON lines: each record is one write of one line, so a process killed mid-write leaves at most one
 * torn line at the end, which reading skips. Rewrites (compaction) go to a temporary file renamed over the old one.
 */
export function appendLine(file: string, record: unknown): void {
  fs.appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/** Every whole, parseable line of the file; a torn or corrupt line is skipped (and counted). */
export function readLines<T>(file: string): { records: T[]; skipped: number } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { records: [], skipped: 0 };
  }
  const records: T[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    try {
      records.push(JSON.parse(line) as T);
    } catch {
      skipped++;
    }
  }
  return { records, skipped };
}

/** Replaces the file's content atomically (write a temporary file, then rename it over the old one). */
export function rewriteLines(file: string, records: readonly unknown[]): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  fs.renameSync(temporary, file);
}

export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
