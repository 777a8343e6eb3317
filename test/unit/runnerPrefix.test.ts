import * as assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/clock';
import { BuildEngine } from '../../src/core/engine';
import { RunnerPrefixes, RunnerVerdict } from '../../src/core/runnerPrefix';

// lines as pnpm 10 and turbo print them (taken from recordings of `pnpm -r --stream run build` and `turbo run build`)
const PNPM_RUN = [
  'Scope: 2 of 3 workspace projects',
  'packages/lib build$ tsc -p tsconfig.json',
  'packages/lib build: Done',
  'packages/app build$ vite build',
  'packages/app build: vite v8.3.8 building client environment for production...',
  'packages/app build: ✓ 7 modules transformed.',
  'packages/app build: ✗ Build failed in 82ms',
  'packages/app build: error during build:',
  'packages/app build: Build failed with 1 error:',
  'packages/app build: ',
  'packages/app build: [PARSE_ERROR] Expected `,` or `)` but found `;`',
  'packages/app build:    ╭─[ src/cart.js:2:68 ]',
  'packages/app build:    │',
  'packages/app build: Failed',
  '[ELIFECYCLE] Command failed with exit code 1.',
];

describe('runner prefixes', () => {
  it("learns pnpm's prefix from its echo, strips it, and reads its Done / Failed", () => {
    const runners = new RunnerPrefixes();
    assert.equal(runners.learn('packages/app build: vite v8.3.8'), undefined);
    assert.ok(runners.isEmpty);
    assert.equal(runners.learn('packages/app build$ vite build --watch'), 'vite build --watch');
    assert.equal(runners.strip('packages/app build: ✗ Build failed in 82ms'), '✗ Build failed in 82ms');
    assert.equal(runners.strip('packages/lib build: Done'), 'packages/lib build: Done', 'a package not echoed yet');
    assert.equal(runners.verdict('packages/app build: ', 'Failed'), RunnerVerdict.Failure);
    assert.equal(runners.verdict('packages/app build: ', 'Done  '), RunnerVerdict.Success);
    assert.equal(runners.verdict('packages/app build: ', 'Done in 3s'), RunnerVerdict.None);
  });

  it("learns turbo's prefix from its echo of npm's script line; turbo's Done-less lines are not verdicts", () => {
    const runners = new RunnerPrefixes();
    assert.equal(runners.learn('app:build: > vite build'), undefined);
    assert.equal(runners.strip('app:build: > vite build'), '> vite build');
    // Vite redraws its progress line with "\r", and turbo prefixes the redrawn text again
    assert.equal(runners.strip('app:build: app:build: ✓ 7 modules transformed.'), '✓ 7 modules transformed.');
    assert.equal(runners.verdict('app:build: ', 'Done'), RunnerVerdict.None);
  });

  it('leaves ordinary lines alone', () => {
    const runners = new RunnerPrefixes();
    for (const line of ['src/a.ts:2:3 - error TS2322: Type', 'Note: see above', '> vite build', '$ vite', 'ERROR in ./src/a.js 3:1']) {
      assert.equal(runners.learn(line), undefined, line);
    }
    assert.ok(runners.isEmpty);
  });

  for (const webAssembly of [true, false]) {
    it(`an engine reads a pnpm recursive run package by package (${webAssembly ? 'WebAssembly' : 'JavaScript'} terminal model)`, () => {
      const engine = new BuildEngine({ clock: new VirtualClock(), idleTimeoutMs: 0, webAssembly, command: 'pnpm -r --stream run build' });
      const events: string[] = [];
      const problems: string[] = [];
      engine.onEvent((e) => events.push(`${e.type} ${e.tool}`));
      engine.onProblem((p) => problems.push(`${p.problem.file}:${p.problem.line}:${p.problem.column}`));
      engine.start();
      engine.write(PNPM_RUN.join('\r\n') + '\r\n');
      engine.endOfStream();
      assert.deepEqual(events, ['build-success tsc', 'build-start vite', 'build-error vite']);
      assert.deepEqual(problems, ['src/cart.js:2:68']);
    });
  }
});
