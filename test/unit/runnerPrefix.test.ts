import * as assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/clock';
import { BuildEngine } from '../../src/core/engine';
import { echoedCommand, RunnerPrefixes, RunnerVerdict } from '../../src/core/runnerPrefix';

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

describe("package managers' echoes", () => {
  it('reads "> command" and "$ command", but not a code frame\'s marked line nor npm\'s script header', () => {
    assert.equal(echoedCommand('> vite build --watch'), 'vite build --watch');
    assert.equal(echoedCommand('$ tsc -p .'), 'tsc -p .');
    assert.equal(echoedCommand('> 7 |   return list.reduce((acc, x) => acc + x.price, 0;'), undefined);
    assert.equal(echoedCommand('>  12 | import { rollup } from "rollup";'), undefined);
    assert.equal(echoedCommand('> vite-demo@1.0.0 build'), undefined);
    assert.equal(echoedCommand('> @acme/tsc-tools@0.3.1 build /home/dev/acme'), undefined);
    assert.equal(echoedCommand('> npx vite@8 build'), 'npx vite@8 build');
    assert.equal(echoedCommand('>> not an echo'), undefined);
  });

  // lines shaped as npm and babel-loader print them (see the webpack5-babel-build-fail fixture)
  const BABEL_FRAME_NAMING_ROLLUP = [
    'ERROR in ./src/bundle.js',
    'Module build failed (from ./node_modules/babel-loader/lib/index.js):',
    'SyntaxError: /home/dev/app/src/bundle.js: Unexpected token (3:50)',
    "  1 | import { rollup } from 'rollup';",
    '  2 |',
    "> 3 | const bundle = await rollup({ input: 'src/main.js' ;",
    '    |                                                  ^',
    '',
    'webpack 5.105.4 compiled with 1 error in 412 ms',
  ];
  const NPM_HEADER_NAMING_TSC = [
    '> tsc-demo@1.0.0 build',
    '> vite build',
    '',
    'vite v8.3.8 building client environment for production...',
    '✓ 7 modules transformed.',
    '✓ built in 120ms',
  ];

  for (const webAssembly of [true, false]) {
    const model = webAssembly ? 'WebAssembly' : 'JavaScript';
    it(`a code frame that names a tool does not switch to it (${model} terminal model)`, () => {
      const engine = new BuildEngine({ clock: new VirtualClock(), idleTimeoutMs: 0, webAssembly, command: 'webpack' });
      const tools: string[] = [];
      engine.onToolChange((tool) => tools.push(tool.id));
      engine.start();
      engine.write(BABEL_FRAME_NAMING_ROLLUP.join('\r\n') + '\r\n');
      engine.exit(1);
      assert.deepEqual(tools, []);
      assert.equal(engine.tool.id, 'webpack');
    });

    it(`npm's header naming a tool ("tsc-demo@1.0.0") is not a tsc script (${model} terminal model)`, () => {
      const engine = new BuildEngine({ clock: new VirtualClock(), idleTimeoutMs: 0, webAssembly, command: 'npm run build' });
      const builds: string[] = [];
      engine.onBuildComplete((b) => builds.push(`${b.result} ${engine.tool.id}`));
      engine.start();
      engine.write(NPM_HEADER_NAMING_TSC.join('\r\n') + '\r\n');
      engine.exit(0);
      assert.deepEqual(builds, ['success vite']);
    });
  }
});
