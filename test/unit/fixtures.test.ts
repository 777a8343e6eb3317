/**
 * Every recorded fixture (real tools, recorded through a pty) is replayed through `kirby replay` and checked two ways:
 * 1. against its truth file — what the person who recorded it knows happened (each build's verdict, the problems the
 *    tool printed, the exit code) — independent of Kirby's patterns;
 * 2. against a snapshot of the full JSON-lines output (`*.expected.jsonl`), so any change in events, times or
 *    problems is seen in review. Regenerate with `UPDATE_SNAPSHOTS=1 npm run test:unit` and read the diff.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sameFile } from '../../src/core/matcher';
import { FIXTURES, replayToRecords, type ReplayRecord } from '../support/replay';

interface TruthProblem {
  file: string | null;
  line: number | null;
  column: number | null;
  severity: string;
}

interface Truth {
  tool: string;
  scenario: string;
  exitCode: number;
  watch: boolean;
  /** "warning" is a success that printed warnings. */
  builds: ('success' | 'error' | 'warning')[];
  problems?: TruthProblem[] | string;
}

/** Consecutive equal verdicts collapse: how many times a tool says "success" for one save is its own business. */
function collapse(list: readonly string[]): string[] {
  return list.filter((v, i) => i === 0 || v !== list[i - 1]);
}

/** How the people recording fixtures named tools, mapped to Kirby's tool ids. */
const TOOL_IDS: Record<string, string> = { tailwindcss: 'tailwind', typescript: 'tsc', tsgo: 'tsc', webpack4: 'webpack' };

function toolId(name: string): string {
  const id = name.toLowerCase();
  return TOOL_IDS[id] ?? id;
}

function expectedEndState(truth: Truth): string {
  const last = truth.builds[truth.builds.length - 1] === 'error' ? 'error' : 'success';
  const interrupted = [129, 130, 143].includes(truth.exitCode); // 137 (SIGKILL from outside) is a failure
  // Ctrl+C cancels the build in progress, one-shot or not: what is left is the last verdict (Idle if none)
  if (interrupted || (truth.watch && truth.exitCode === 0)) return last === 'error' ? 'Error' : 'Idle';
  return truth.exitCode === 0 ? 'Ready' : 'Error';
}

const casts = fs.existsSync(FIXTURES)
  ? fs
      .readdirSync(FIXTURES)
      .filter((d) => fs.statSync(path.join(FIXTURES, d)).isDirectory())
      .flatMap((d) =>
        fs
          .readdirSync(path.join(FIXTURES, d))
          .filter((f) => f.endsWith('.cast'))
          .map((f) => path.join(FIXTURES, d, f)),
      )
  : [];

describe('recorded fixtures', () => {
  it('exist for every tool family', () => {
    const families = new Set(casts.map((c) => path.basename(path.dirname(c))));
    for (const family of ['vite', 'webpack', 'tsc', 'tailwind', 'rollup']) assert.ok(families.has(family), family);
  });

  for (const cast of casts) {
    const name = path.relative(FIXTURES, cast);
    const truthFile = cast.replace(/\.cast$/, '.truth.json');
    if (!fs.existsSync(truthFile)) continue;
    const truth = JSON.parse(fs.readFileSync(truthFile, 'utf8')) as Truth;

    describe(name, () => {
      let records: ReplayRecord[];
      before(async () => {
        records = await replayToRecords(cast, { builds: true });
      });

      it(`reports each build's verdict: ${collapse(truth.builds).join(' → ')}`, () => {
        const builds = records.filter((r) => r.type === 'build' && r.result !== 'cancelled');
        const verdicts = builds.map((r) => String(r.result));
        assert.deepEqual(collapse(verdicts), collapse(truth.builds.map((b) => (b === 'warning' ? 'success' : b))));
        if (truth.builds.includes('warning')) {
          assert.ok(builds.some((b) => Number(b.warnings) > 0), 'a build with warnings reports them');
        }
      });

      it(`ends in the right state (exit ${truth.exitCode})`, () => {
        const end = records[records.length - 1];
        assert.equal(end.type, 'end');
        assert.equal(end.state, expectedEndState(truth));
      });

      it(`detects the tool (${truth.tool})`, () => {
        const end = records[records.length - 1];
        assert.equal(toolId(String(end.tool)), toolId(truth.tool));
      });

      if (Array.isArray(truth.problems) && truth.problems.length > 0) {
        const expected = truth.problems;
        it(`finds the ${expected.length} problem(s) the tool printed`, () => {
          const found = records.filter((r) => r.type === 'problem');
          for (const p of expected) {
            const match = found.find((f) =>
              p.file === null
                ? f.file === undefined
                : typeof f.file === 'string' &&
                  sameFile(f.file, p.file) &&
                  f.line === (p.line ?? undefined) &&
                  (p.column === null || f.column === p.column),
            );
            assert.ok(match, `missing ${p.severity} at ${p.file}:${p.line}:${p.column}; found ${JSON.stringify(found.map((f) => `${f.file}:${f.line}:${f.column}`))}`);
            assert.equal(match.severity, p.severity);
          }
        });
      }

      it('matches its snapshot', () => {
        const snapshotFile = cast.replace(/\.cast$/, '.expected.jsonl');
        const actual = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
        if (process.env.UPDATE_SNAPSHOTS) {
          fs.writeFileSync(snapshotFile, actual);
          return;
        }
        assert.ok(fs.existsSync(snapshotFile), `no snapshot ${snapshotFile}: run with UPDATE_SNAPSHOTS=1 and review it`);
        assert.equal(actual, fs.readFileSync(snapshotFile, 'utf8'));
      });
    });
  }
});
