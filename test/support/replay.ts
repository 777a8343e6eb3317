import * as path from 'node:path';
import { Writable } from 'node:stream';
import { JsonLineWriter } from '../../src/cli/output';
import { replay } from '../../src/cli/replay';
import { PatternRegistry } from '../../src/core/patterns/registry';

export interface ReplayRecord {
  type: string;
  [key: string]: unknown;
}

/** Runs `kirby replay` in-process on a file and returns its JSON lines, parsed. */
export async function replayToRecords(
  file: string,
  options: { tool?: string; registry?: PatternRegistry; builds?: boolean; idleTimeoutMs?: number } = {},
): Promise<ReplayRecord[]> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  await replay({
    file,
    tool: options.tool,
    registry: options.registry ?? PatternRegistry.builtin(),
    builds: options.builds,
    idleTimeoutMs: options.idleTimeoutMs,
    out: new JsonLineWriter(sink),
  });
  return lines.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as ReplayRecord);
}

export const FIXTURES = path.resolve(__dirname, '../../../test/fixtures');
