import * as assert from 'node:assert/strict';
import { formatBuild, formatProcessTree, formatRun, MAX_PROBLEMS, type BuildSnapshot } from '../../src/core/agentReport';
import type { ProcessRecord } from '../../src/core/runs/types';

const NOW = 1_000_000;

function build(patch: Partial<BuildSnapshot> = {}): BuildSnapshot {
  return {
    id: '3',
    name: 'build',
    command: 'npm run build',
    cwd: '/w',
    state: 'Error',
    tool: 'TypeScript',
    watch: false,
    running: false,
    origin: 'kirby',
    exitCode: 2,
    lastBuild: { result: 'error', durationMs: 1600, endedAt: NOW - 5000, assumed: false },
    errors: 1,
    warnings: 1,
    problems: [
      { file: 'src/a.ts', line: 4, severity: 'warning', message: 'unused' },
      { file: 'src/index.ts', line: 2, column: 9, severity: 'error', code: 'TS2322', message: "Type 'string' is not assignable to type 'number'." },
    ],
    recentLines: ['> tsc -p .', 'src/index.ts:2:9 - error TS2322: …', 'Found 1 error.'],
    ...patch,
  };
}

describe('agent reports', () => {
  it('a failed build: state, command, tool, verdict, problems with locations (errors first) and the last lines', () => {
    assert.equal(
      formatBuild(build(), NOW, 2),
      [
        'Build 3 "build": Error',
        'Command: npm run build (in /w)',
        'Tool: TypeScript · one-shot · started by Kirby · not running (exit code 2)',
        'Last build: failed in 1.6 s, 5 s ago',
        'Problems: 1 error, 1 warning',
        "  error src/index.ts:2:9 TS2322: Type 'string' is not assignable to type 'number'.",
        '  warning src/a.ts:4 unused',
        'Last 2 lines of output:',
        '  src/index.ts:2:9 - error TS2322: …',
        '  Found 1 error.',
      ].join('\n'),
    );
  });

  it('a running dev server followed from a task says where it serves; no verdict yet', () => {
    const text = formatBuild(build({ state: 'Building', running: true, watch: true, origin: 'task', exitCode: undefined, lastBuild: undefined, errors: 0, warnings: 0, problems: [], serverUrl: 'http://localhost:5173/' }), NOW, 0);
    assert.match(text, /watch mode · started by a task · running$/m);
    assert.match(text, /^Serving: http:\/\/localhost:5173\/$/m);
    assert.match(text, /^Last build: none finished yet$/m);
    assert.doesNotMatch(text, /lines of output/);
  });

  it('stays bounded: at most MAX_PROBLEMS problems, long lines clipped', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ file: 'f.ts', line: i + 1, severity: 'error', message: 'x'.repeat(1000) }));
    const text = formatBuild(build({ problems: many, errors: 50, recentLines: ['y'.repeat(5000)] }), NOW);
    assert.equal(text.split('\n').filter((l) => l.startsWith('  error')).length, MAX_PROBLEMS);
    assert.match(text, /… and 30 more/);
    assert.ok(text.length < 10_000, `${text.length} characters`);
  });

  it('a recorded run and a process tree, indented by parentage', () => {
    const run = { id: 'r1', command: 'npm run build', args: [], cwd: '/w', backend: 'local', startTime: NOW - 9000, endTime: NOW - 4000, durationMs: 5000, status: 'failed' as const, exitCode: 1, processCount: 2, lastResult: 'error' as const, builds: 1, errors: 3, tool: 'vite', name: 'build' };
    assert.equal(formatRun(run, NOW), 'Run r1 "build": failed in 5.0 s (exit 1) · 3 errors, 4 s ago\nCommand: npm run build (in /w) · tool vite · local · status failed, exit code 1');
    const p = (pid: number, ppid: number, name: string): ProcessRecord => ({ runId: 'r1', pid, ppid, name, cmdline: name, startTime: 0, cpu: pid, mem: 1048576 * pid, status: 'running', children: [] });
    assert.deepEqual(formatProcessTree([p(10, 1, 'sh'), p(12, 11, 'esbuild'), p(11, 10, 'node')]), [
      '  10 sh · running · 10% CPU · 10.0 MB · sh',
      '    11 node · running · 11% CPU · 11.0 MB · node',
      '      12 esbuild · running · 12% CPU · 12.0 MB · esbuild',
    ]);
  });
});
