import * as assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/clock';
import { BuildEngine, type EngineOptions } from '../../src/core/engine';
import { BuildState, type BuildEvent, type ProblemEvent, type StateChange } from '../../src/core/events';
import { BUILTIN_TOOLS } from '../../src/core/patterns/database';
import { applyOverrides } from '../../src/core/patterns/overrides';
import { PatternRegistry } from '../../src/core/patterns/registry';
import { BuildStateMachine, type BuildResult } from '../../src/core/stateMachine';

const { Idle, Building, Ready, WatchModeActive, Rebuilding, Error: ErrorState } = BuildState;

/** An engine on a virtual clock that records everything it reports. */
function harness(options: EngineOptions = {}) {
  const clock = new VirtualClock(0);
  const engine = new BuildEngine({ clock, ...options });
  const changes: StateChange[] = [];
  const results: BuildResult[] = [];
  const events: BuildEvent[] = [];
  const problems: ProblemEvent[] = [];
  const tools: string[] = [];
  engine.onStateChange((c) => changes.push(c));
  engine.onBuildComplete((r) => results.push(r));
  engine.onEvent((e) => events.push(e));
  engine.onProblem((p) => problems.push(p));
  engine.onToolChange((t) => tools.push(t.id));
  return {
    clock,
    engine,
    changes,
    results,
    events,
    problems,
    tools,
    /** Writes `text` at time `t` (timers due before it fire first). */
    at(t: number, text: string) {
      clock.advanceTo(t);
      engine.write(text);
    },
    states: () => changes.map((c) => c.state),
    verdicts: () => results.map((r) => r.result),
    types: () => events.map((e) => e.type),
    /** Lets the current burst of output end (a build's record may wait for it), without reaching any idle timeout. */
    quiet() {
      clock.advanceTo(clock.now() + 1000);
    },
  };
}

const TSC_START = '[2:55:23 AM] Starting compilation in watch mode...\n';
const TSC_CHANGE = '[2:55:40 AM] File change detected. Starting incremental compilation...\n';
const TSC_OK = '[2:55:25 AM] Found 0 errors. Watching for file changes.\n';
const TSC_FAIL = '[2:55:41 AM] Found 1 error. Watching for file changes.\n';
const TSC_MESSAGE = "Type 'string' is not assignable to type 'number'.";
const TSC_PROBLEM = `src/a.ts:3:7 - error TS2322: ${TSC_MESSAGE}\n`;

describe('BuildEngine and BuildStateMachine', () => {
  describe('tsc --watch', () => {
    it('reports a start after a finished build in a watch run as rebuild-start, whatever the tool printed, and one start per build', () => {
      const h = harness({ command: 'rollup -c -w' });
      h.engine.start();
      h.at(10, 'rollup v4.68.7\nbundles src/main.js → dist...\ncreated dist in 52ms\n');
      h.at(2000, 'rollup v4.68.7\nbundles src/main.js → dist...\ncreated dist in 12ms\n');
      assert.deepEqual(
        h.events.map((e) => [e.type, e.line]),
        [
          ['build-start', 'rollup v4.68.7'],
          ['build-success', 'created dist in 52ms'],
          ['rebuild-start', 'rollup v4.68.7'],
          ['build-success', 'created dist in 12ms'],
        ],
      );
      assert.deepEqual(h.states(), [Building, WatchModeActive, Rebuilding, WatchModeActive]);
    });

    it('ignores repeated start lines while building: one start event, one build', () => {
      const h = harness({ command: 'tsc -w -p .' });
      h.engine.start();
      h.at(10, TSC_START);
      h.at(20, TSC_START);
      h.at(900, TSC_OK);
      h.quiet();
      assert.deepEqual(h.events.map((e) => [e.type, e.time]), [['build-start', 10], ['watch-ready', 900], ['build-success', 900]]);
      assert.deepEqual(h.states(), [Building, WatchModeActive]);
      assert.equal(h.results.length, 1);
      assert.deepEqual(h.results[0], { result: 'success', startTime: 0, endTime: 900, errors: 0, warnings: 0, assumed: false, sequence: 1 });
    });

    it('"Found 0 errors. Watching…" goes to WatchModeActive without passing Ready, even without -w', () => {
      const h = harness({ command: 'tsc -p .' });
      h.at(0, TSC_START);
      h.at(500, TSC_OK);
      assert.deepEqual(h.states(), [Building, WatchModeActive]);
      assert.equal(h.engine.isWatch, true);
    });

    it('a file change is a rebuild; its errors are counted and end in Error', () => {
      const h = harness({ command: 'tsc --watch' });
      h.engine.start();
      h.at(10, TSC_START);
      h.at(900, TSC_OK);
      h.at(5000, TSC_CHANGE);
      h.at(5100, TSC_PROBLEM);
      h.at(5101, TSC_FAIL);
      h.quiet();
      assert.deepEqual(h.states(), [Building, WatchModeActive, Rebuilding, ErrorState]);
      assert.deepEqual(h.verdicts(), ['success', 'error']);
      assert.equal(h.results[1].errors, 1);
      assert.equal(h.results[1].startTime, 5000);
      const problem = { file: 'src/a.ts', line: 3, column: 7, severity: 'error', code: 'TS2322', message: TSC_MESSAGE };
      assert.deepEqual(h.problems.map((p) => p.problem), [problem]);
    });
  });

  describe('success-looking noise', () => {
    const box = 'Error:\n│ CssSyntaxError: boom\n';

    it('"Done in" in the same burst as an error stays Error', () => {
      const h = harness({ command: 'npx @tailwindcss/cli -i in.css -o out.css --watch' });
      h.engine.start();
      h.at(100, box + 'Done in 3s\n');
      h.quiet();
      assert.deepEqual([h.engine.state, h.verdicts()], [ErrorState, ['error']]);
      // the build's verdict is its error line; the success line after it adds no event
      assert.deepEqual(h.events.map((e) => [e.type, e.line]), [['build-error', 'Error:']]);
    });

    it('a separate chunk closer than quietGapMs is still the same burst', () => {
      const h = harness({ command: 'tailwindcss -i in.css -o out.css --watch', quietGapMs: 200 });
      h.engine.start();
      h.at(100, box);
      h.at(299, 'Done in 3s\n');
      h.quiet();
      assert.equal(h.engine.state, ErrorState);
      assert.deepEqual(h.verdicts(), ['error']);
    });

    it('a success after a quiet gap is a new build and leaves Error', () => {
      const h = harness({ command: 'tailwindcss -i in.css -o out.css --watch', quietGapMs: 200 });
      h.engine.start();
      h.at(100, box + 'Done in 3s\n');
      h.at(300, 'Done in 40ms\n');
      h.quiet();
      assert.deepEqual(h.states(), [Building, ErrorState, WatchModeActive]);
      assert.deepEqual(h.verdicts(), ['error', 'success']);
      assert.equal(h.results[1].startTime, 300);
    });

    // Regression: the record was once fired at the first error line, so problems printed after it (Tailwind 4's
    // error box, webpack 4's "ERROR in") were missing from BuildResult.errors ({ result: 'error', errors: 0 }).
    it('counts the problems printed after the verdict line in the build result', () => {
      const h = harness({ command: 'tailwindcss -i in.css -o out.css' });
      h.engine.start();
      h.at(100, 'Error:\n│ CssSyntaxError: in.css:1:2: boom\n');
      h.engine.exit(1);
      assert.equal(h.problems.length, 1);
      assert.deepEqual(h.results.map((r) => [r.result, r.errors]), [['error', 1]]);
    });

    // Regression: a webpack rebuild announces nothing; its problems came before any build was open, so they were
    // added to the previous build's counts (a second failing rebuild said 3 errors for 1) and warnings were lost.
    it('counts the problems of an unannounced rebuild in that rebuild, not the one before', () => {
      const h = harness({ command: 'webpack --watch' });
      h.engine.start();
      const error = (file: string) => `ERROR in ./src/${file} 3:7\nModule parse failed: Unexpected token (3:7)\n`;
      h.at(100, error('a.js') + error('b.js') + 'webpack 5.112.2 compiled with 2 errors in 90 ms\n');
      h.quiet();
      h.at(3000, error('a.js') + 'webpack 5.112.2 compiled with 1 error in 31 ms\n');
      h.quiet();
      h.at(6000, 'WARNING in asset size limit: The following asset(s) exceed the recommended size limit (244 KiB).\n');
      h.at(6001, 'webpack 5.112.2 compiled with 1 warning in 40 ms\n');
      h.quiet();
      h.at(9000, 'webpack 5.112.2 compiled successfully in 20 ms\n');
      h.quiet();
      assert.deepEqual(
        h.results.map((r) => [r.result, r.errors, r.warnings]),
        [['error', 2, 0], ['error', 1, 0], ['success', 0, 1], ['success', 0, 0]],
      );
    });

    it('without watch mode, the later success goes to Ready', () => {
      const h = harness({ command: 'tailwindcss -i in.css -o out.css' });
      h.engine.start();
      h.at(100, box);
      h.at(5000, 'Done in 40ms\n');
      assert.deepEqual(h.states(), [Building, ErrorState, Ready]);
    });
  });

  describe('exit status', () => {
    it('exit 0 decides a silent tsc build: Ready, assumed', () => {
      const h = harness({ command: 'tsc -p .' });
      h.engine.start();
      h.clock.advanceTo(3000);
      h.engine.exit(0);
      assert.deepEqual(h.states(), [Building, Ready]);
      assert.deepEqual(h.results.map((r) => [r.result, r.assumed, r.endTime, h.changes[1].reason]), [['success', true, 3000, 'exit']]);
    });

    it("a runner's next script ends a silent tsc script's build well, unless it printed an error", () => {
      // npm runs "prebuild" (tsc) then "build" (vite); npm's echo of the second script comes after tsc exited 0
      const h = harness({ command: 'npm run build' });
      h.engine.start();
      h.at(100, '> app@1.0.0 prebuild\r\n> tsc --noEmit\r\n\r\n');
      assert.equal(h.engine.state, Building, 'the echo of the script that runs tsc ends nothing');
      h.at(2000, '> app@1.0.0 build\r\n> vite build\r\n\r\n');
      assert.deepEqual(h.results.map((r) => [r.result, r.assumed, r.endTime]), [['success', true, 2000]]);
      h.at(2100, 'vite v8.3.8 building client environment for production...\r\n✓ built in 287ms\r\n');
      assert.deepEqual(h.states(), [Building, Ready, Building, Ready]);

      const failed = harness({ command: 'npm run build' });
      failed.engine.start();
      failed.at(100, '> tsc --noEmit\r\n');
      failed.at(900, "src/a.ts(2,7): error TS2322: Type 'number' is not assignable to type 'string'.\r\n");
      failed.at(2000, '> vite build\r\n');
      assert.deepEqual(failed.verdicts(), [], 'a build that printed an error is not ended by the next echo');
    });

    it('exit 2 decides a silent tsc build: Error', () => {
      const h = harness({ command: 'tsc -p .' });
      h.engine.start();
      h.engine.exit(2);
      assert.deepEqual([h.states(), h.verdicts()], [[Building, ErrorState], ['error']]);
    });

    it('a non-zero exit after an early success ends in Error', () => {
      const h = harness({ command: 'vite build' });
      h.engine.start();
      h.at(100, '✓ built in 1.20s\n');
      assert.equal(h.engine.state, Ready);
      h.clock.advanceTo(200);
      h.engine.exit(1);
      assert.deepEqual(h.states(), [Building, Ready, ErrorState]);
      assert.equal(h.changes[2].reason, 'exit');
    });

    it('a non-zero exit after an early success amends that build\'s record to an error', () => {
      const h = harness({ command: 'vite build' });
      h.engine.start();
      h.at(100, '✓ built in 1.20s\n');
      h.quiet();
      assert.deepEqual(h.verdicts(), ['success']);
      h.engine.exit(1);
      assert.deepEqual(h.verdicts(), ['success', 'error']);
      assert.equal(h.results[1].sequence, h.results[0].sequence);
      assert.equal(h.results[1].amended, true);
    });

    it('keeps the last lines of a build that dies, colour codes removed, its unfinished last line included', () => {
      const h = harness({ command: 'vite build', tailLines: 5 });
      h.engine.start();
      const noise = Array.from({ length: 200 }, (_, i) => `\x1b[2mtransforming module ${i}\x1b[22m\r\n`).join('');
      h.at(10, noise + 'dist/\x1b[36massets/index.js\x1b[39m  1.2 kB\r\nFATAL ERROR: heap out of memory');
      h.engine.exit(134);
      assert.deepEqual(h.engine.recentLines(3), ['transforming module 199', 'dist/assets/index.js  1.2 kB', 'FATAL ERROR: heap out of memory']);
      assert.equal(h.engine.recentLines().length, 5);
      assert.equal(h.engine.state, ErrorState);
    });

    it('a watch that exits non-zero after a success does not rewrite history', () => {
      const h = harness({ command: 'tsc -w' });
      h.engine.start();
      h.at(900, TSC_START + TSC_OK);
      h.quiet();
      h.engine.exit(1);
      assert.deepEqual(h.verdicts(), ['success']);
      assert.equal(h.engine.state, ErrorState);
    });

    for (const [label, code, signal] of [['exit 130', 130, undefined], ['signal SIGINT', undefined, 'SIGINT']] as const) {
      it(`Ctrl+C (${label}) during a watch goes to Idle`, () => {
        const h = harness({ command: 'tsc -w' });
        h.engine.start();
        h.at(900, TSC_START + TSC_OK);
        h.engine.exit(code, signal);
        assert.deepEqual(h.states(), [Building, WatchModeActive, Idle]);
      });

      it(`Ctrl+C (${label}) during a watch rebuild cancels it and goes to Idle`, () => {
        const h = harness({ command: 'tsc -w' });
        h.engine.start();
        h.at(900, TSC_START + TSC_OK);
        h.at(5000, TSC_CHANGE);
        h.engine.exit(code, signal);
        assert.deepEqual(h.states(), [Building, WatchModeActive, Rebuilding, Idle]);
        assert.deepEqual(h.verdicts(), ['success', 'cancelled']);
      });
    }

    it('a failing exit (1) during a watch goes to Error, not Idle', () => {
      const h = harness({ command: 'tsc -w' });
      h.engine.start();
      h.at(900, TSC_START + TSC_OK);
      h.engine.exit(1);
      assert.equal(h.engine.state, ErrorState);
    });

    it('Ctrl+C while building cancels the build', () => {
      const h = harness({ command: 'tsc -w' });
      h.engine.start();
      h.at(10, TSC_START);
      h.engine.exit(130);
      assert.deepEqual(h.states(), [Building, Idle]);
      assert.deepEqual(h.verdicts(), ['cancelled']);
    });

    for (const [label, code, signal] of [['exit 137', 137, undefined], ['signal SIGKILL', 137, 'SIGKILL']] as const) {
      it(`a SIGKILL from outside (${label}: the out-of-memory killer, kill -9) fails the build in progress`, () => {
        const h = harness({ command: 'tsc -w' });
        h.engine.start();
        h.at(900, TSC_START + TSC_OK);
        h.at(5000, TSC_CHANGE);
        h.engine.exit(code, signal);
        assert.deepEqual(h.states(), [Building, WatchModeActive, Rebuilding, ErrorState]);
        assert.deepEqual(h.verdicts(), ['success', 'error']);
      });
    }

    it("Kirby's own stop cancels the build, whatever signal it took (SIGKILL after a grace period)", () => {
      const h = harness({ command: 'tsc -w' });
      h.engine.start();
      h.at(10, TSC_START);
      h.engine.exit(137, 'SIGKILL', true);
      assert.deepEqual(h.states(), [Building, Idle]);
      assert.deepEqual(h.verdicts(), ['cancelled']);
    });
  });

  describe('timers', () => {
    it('Building with no output past idleTimeoutMs ends with an assumed success', () => {
      const h = harness({ command: 'make', idleTimeoutMs: 1000 });
      h.engine.start();
      h.clock.advanceTo(999);
      assert.equal(h.engine.state, Building);
      h.clock.advanceTo(1000);
      assert.equal(h.engine.state, Ready);
      assert.deepEqual([h.changes[1].reason, h.changes[1].assumed, h.changes[1].time], ['idle-timeout', true, 1000]);
      assert.deepEqual(h.results.map((r) => [r.result, r.assumed]), [['success', true]]);
    });

    it('output before the idle timeout postpones it', () => {
      const h = harness({ command: 'make', idleTimeoutMs: 1000 });
      h.engine.start();
      h.at(800, 'cc -c a.c\n');
      h.clock.advanceTo(1799);
      assert.equal(h.engine.state, Building);
      h.clock.advanceTo(1800);
      assert.equal(h.engine.state, Ready);
      assert.equal(h.changes[1].time, 1800);
    });

    it('an idle timeout after a problem is an assumed Error', () => {
      const h = harness({ command: 'make', idleTimeoutMs: 1000 });
      h.engine.start();
      h.at(10, 'src/a.c:1:2: error: boom\n');
      h.clock.advanceTo(5000);
      assert.deepEqual(h.states(), [Building, ErrorState]);
      assert.deepEqual(h.results.map((r) => [r.result, r.assumed, r.errors]), [['error', true, 1]]);
    });

    it('a partial line is flushed after partialLineFlushMs of silence and can trigger an event', () => {
      const h = harness({ command: 'make', partialLineFlushMs: 250 });
      h.engine.start();
      h.at(100, 'Build');
      h.at(300, ' failed');
      h.clock.advanceTo(549);
      assert.equal(h.events.length, 0);
      h.clock.advanceTo(550);
      assert.deepEqual(h.events.map((e) => [e.type, e.line, e.time]), [['build-error', 'Build failed', 550]]);
      assert.equal(h.engine.state, ErrorState);
      h.at(2000, '\n');
      assert.equal(h.events.length, 1, 'completing the flushed line does not repeat the event');
    });
  });

  describe('webpack 4 deferred success', () => {
    const stats = 'Hash: 0123456789abcdef\nVersion: webpack 4.47.0\n';

    it('"Hash:" then "ERROR in" in the same burst is an Error, with no success verdict', () => {
      const h = harness({ tool: 'webpack4' });
      h.engine.start();
      h.at(100, stats);
      h.at(150, 'ERROR in ./src/a.js 1:2\nModule parse failed: Unexpected token\n');
      h.clock.advanceTo(10_000);
      assert.deepEqual(h.states(), [Building, ErrorState]);
      assert.deepEqual(h.verdicts(), ['error']);
      assert.deepEqual(h.problems.map((p) => p.problem), [
        { file: './src/a.js', line: 1, column: 3, severity: 'error', message: 'Module parse failed: Unexpected token' },
      ]);
      // the success line it was waiting on is not in the event stream: the build failed
      assert.deepEqual(h.events.map((e) => [e.type, e.line]), [['build-error', 'ERROR in ./src/a.js 1:2']]);
    });

    it('"Hash:" alone counts as a success once the quiet gap has passed', () => {
      const h = harness({ tool: 'webpack4', quietGapMs: 200 });
      h.engine.start();
      h.at(100, stats);
      h.clock.advanceTo(299);
      assert.equal(h.engine.state, Building);
      h.clock.advanceTo(300);
      assert.deepEqual(h.states(), [Building, Ready]);
      assert.deepEqual(h.results.map((r) => [r.result, r.assumed, r.endTime]), [['success', false, 300]]);
      // reported when it counts, with the line and time it was printed at
      assert.deepEqual(h.events.map((e) => [e.type, e.line, e.time]), [['build-success', 'Hash: 0123456789abcdef', 100]]);
    });
  });

  describe('pattern format: header and gutter', () => {
    // Next.js 15's lint step (lines from next15-build-eslint-fail): the file is named once, above its problems
    it('a problem that captures no file takes the latest file header; a new build forgets it (no header, no problem)', () => {
      const h = harness({ command: 'next build' });
      h.engine.start();
      h.at(100, '   ▲ Next.js 15.5.29\n   Creating an optimized production build ...\n');
      h.at(
        200,
        'Failed to compile.\n./app/page.tsx\n' +
          "5:7  Warning: 'unused' is assigned a value but never used.  @typescript-eslint/no-unused-vars\n" +
          './components/my widget.tsx\n' +
          '9:10  Error: Using `<img>` could result in slower LCP.  @next/next/no-img-element\n',
      );
      h.at(5000, '   Creating an optimized production build ...\n');
      h.at(5100, "3:1  Error: 'x' is not defined.  no-undef\n");
      assert.deepEqual(
        h.problems.map((p) => [p.problem.file, p.problem.line, p.problem.column, p.problem.severity, p.problem.code]),
        [
          ['./app/page.tsx', 5, 7, 'warning', '@typescript-eslint/no-unused-vars'],
          ['./components/my widget.tsx', 9, 10, 'error', '@next/next/no-img-element'],
        ],
      );
    });

    // Rollup's grouped warnings (lines from rollup4-many-warnings): one "(!)" title over several files and frames
    it("a problem that captures no message takes the latest header's (Rollup's list of files under one warning)", () => {
      const h = harness({ command: 'rollup -c' });
      h.engine.start();
      h.at(
        100,
        '(!) Use of eval is strongly discouraged\nhttps://rollupjs.org/troubleshooting/#avoiding-eval\nsrc/legacy/ev1.js\n' +
          '1: export function ev1(code) {\n2:   return eval(code) + 1;\n            ^\n3: }\n' +
          'src/legacy/ev2.js\n1: export function ev2(code) {\n2:   return eval(code) + 2;\n            ^\n3: }\n' +
          '...and 3 other files\ncreated dist/bundle.js in 52ms\n',
      );
      assert.deepEqual(
        h.problems.map((p) => [p.problem.file, p.problem.line, p.problem.column, p.problem.severity, p.problem.message]),
        [
          ['src/legacy/ev1.js', 2, 10, 'warning', 'Use of eval is strongly discouraged'],
          ['src/legacy/ev2.js', 2, 10, 'warning', 'Use of eval is strongly discouraged'],
        ],
      );
    });

    // Rollup's eval warning (lines from rollup4-build-warn): the caret line is indented by the frame's "8: " too
    it('the caret sets the column less the width of the gutter group', () => {
      const h = harness({ command: 'rollup -c' });
      h.engine.start();
      h.at(
        100,
        '(!) Use of eval is strongly discouraged\nhttps://rollupjs.org/troubleshooting/#avoiding-eval\nsrc/util.js\n' +
          '7: export function compute(expr) {\n8:   return eval(expr);\n            ^\n9: }\n',
      );
      h.engine.exit(0);
      assert.deepEqual(
        h.problems.map((p) => [p.problem.file, p.problem.line, p.problem.column]),
        [['src/util.js', 8, 10]],
      );
    });
  });

  describe('repeated problems', () => {
    // Vite prints a Sass error three times in one block (vite:css's wrapper, Sass's message, Sass's own error)
    const sassBlock = (message: string) =>
      `${message}\n  ╷\n8 │     text-transform: uppercase;\n  │                   ^\n  ╵\n  src/styles/main.scss 8:19  root stylesheet\n`;

    it('reports the same problem printed again before any event once, and again after an event', () => {
      const h = harness({ command: 'vite build --watch' });
      h.engine.start();
      h.at(100, 'build started...\nBuild failed with 1 error:\n');
      h.at(110, sassBlock('Error: [sass] expected ";".') + sassBlock('[sass] expected ";".') + sassBlock('Error: expected ";".'));
      h.quiet();
      h.at(5000, 'build started...\nBuild failed with 1 error:\n' + sassBlock('Error: [sass] expected ";".'));
      h.quiet();
      assert.deepEqual(
        h.problems.map((p) => [p.problem.file, p.problem.line, p.problem.column, p.problem.message]),
        [
          ['src/styles/main.scss', 8, 19, 'expected ";".'],
          ['src/styles/main.scss', 8, 19, 'expected ";".'],
        ],
      );
      assert.deepEqual(h.results.map((r) => [r.result, r.errors]), [['error', 1], ['error', 1]]);
    });
  });

  describe('the event stream', () => {
    it('carries one verdict per build however many verdict lines the tool prints', () => {
      const h = harness({ command: 'vite build' });
      h.engine.start();
      h.at(100, 'vite v8.3.8 building client environment for production...\n');
      h.at(160, '✗ Build failed in 62ms\nerror during build:\nBuild failed with 1 error:\n');
      h.engine.exit(1);
      assert.deepEqual(h.events.map((e) => [e.type, e.line]), [
        ['build-start', 'vite v8.3.8 building client environment for production...'],
        ['build-error', '✗ Build failed in 62ms'],
      ]);
      assert.deepEqual(h.verdicts(), ['error']);
    });

    it('carries watch-ready once per run, and a verdict line in a later burst is the next build', () => {
      const h = harness({ command: 'tsc --watch' });
      h.engine.start();
      h.at(10, TSC_START);
      h.at(900, TSC_OK);
      h.at(5000, TSC_CHANGE);
      h.at(5101, TSC_FAIL);
      h.at(9000, TSC_FAIL); // no start line: a build the tool did not announce
      h.quiet();
      assert.deepEqual(h.types(), ['build-start', 'watch-ready', 'build-success', 'rebuild-start', 'build-error', 'build-error']);
      assert.deepEqual(h.verdicts(), ['success', 'error', 'error']);
    });
  });

  describe('end of stream without exit code', () => {
    it('a silent tsc build is assumed Ready', () => {
      const h = harness({ command: 'tsc -p .' });
      h.engine.start();
      h.engine.endOfStream();
      assert.deepEqual(h.states(), [Building, Ready]);
      assert.deepEqual([h.changes[1].reason, h.changes[1].assumed], ['end-of-stream', true]);
    });

    it('a tool that prints its verdict stays Building', () => {
      const h = harness({ command: 'vite build' });
      h.engine.start();
      h.at(10, 'vite v7.0.0 building for production...\n');
      h.engine.endOfStream();
      assert.deepEqual(h.states(), [Building]);
      assert.deepEqual(h.results, []);
    });
  });

  describe('tool detection', () => {
    it('names the tool from the command line; the tool named first wins', () => {
      const tool = (command: string) => new BuildEngine({ command, clock: new VirtualClock() }).tool.id;
      assert.equal(tool('npx vite build'), 'vite');
      assert.equal(tool('tsc && vite build'), 'tsc');
      assert.equal(tool('vite build && tsc'), 'vite');
      assert.equal(tool('webpack serve --mode development'), 'webpack-dev-server');
      assert.equal(tool('npm run build'), 'generic');
    });

    it('switches tool on an output banner, and the banner line carries its first event', () => {
      const h = harness({ command: 'npm run css' });
      h.at(0, '≈ tailwindcss v4.1.3\n');
      assert.equal(h.engine.tool.id, 'tailwind');
      assert.deepEqual(h.tools, ['tailwind']);
      assert.deepEqual(h.events.map((e) => [e.type, e.tool]), [['build-start', 'tailwind']]);
      assert.deepEqual(h.states(), [Building]);
      assert.equal(h.changes[0].tool, 'tailwind');
    });

    it('output of the base tool does not switch webpack-dev-server back to webpack', () => {
      const h = harness({ command: 'webpack serve' });
      h.engine.start();
      h.at(100, 'webpack 5.90.0 compiled successfully in 120 ms\n');
      assert.equal(h.engine.tool.id, 'webpack-dev-server');
      assert.deepEqual(h.tools, []);
      assert.equal(h.engine.state, WatchModeActive);
    });

    it('a `tool` option locks the tool', () => {
      const h = harness({ tool: 'tsc' });
      h.at(0, '≈ tailwindcss v4.1.3\n');
      assert.equal(h.engine.tool.id, 'tsc');
      assert.deepEqual(h.tools, []);
      assert.equal(h.events.length, 0);
      assert.throws(() => new BuildEngine({ tool: 'nope' }), /unknown tool "nope"/);
    });
  });

  it('setRegistry swaps patterns while the build runs, keeping the active tool', () => {
    const h = harness({ command: 'tsc -p .' });
    h.engine.start();
    h.at(10, 'ALL CLEAR\n');
    assert.equal(h.events.length, 0);
    const { specs, issues } = applyOverrides(BUILTIN_TOOLS, { tsc: { events: { buildSuccess: ['^ALL CLEAR$'] } } });
    assert.deepEqual(issues, []);
    h.engine.setRegistry(new PatternRegistry(specs));
    assert.equal(h.engine.tool.id, 'tsc');
    h.at(20, 'ALL CLEAR\n');
    assert.deepEqual(h.types(), ['build-success']);
    assert.equal(h.engine.state, Ready);
  });

  describe('BuildStateMachine directly', () => {
    const machine = (watch = false) => {
      const m = new BuildStateMachine({ idleTimeoutMs: 0, quietGapMs: 200, watch });
      const states: BuildState[] = [];
      m.onDidChange((c) => states.push(c.state));
      return { m, states };
    };

    it('watch-ready never ends a build by itself', () => {
      const { m, states } = machine();
      m.start(0);
      m.event('watch-ready', 10);
      assert.deepEqual([m.state, m.isWatch], [Building, true]);
      m.event('build-success', 20);
      assert.deepEqual(states, [Building, WatchModeActive]);
    });

    it('an idle timeout of 0 never fires', () => {
      const { m } = machine();
      m.start(0);
      assert.deepEqual([m.checkIdle(1e9), m.state], [undefined, Building]);
    });

    it('counts warnings of the current cycle and resets them on a new build', () => {
      const { m } = machine(true);
      m.start(0);
      m.problem('warning');
      m.event('warning', 1);
      assert.deepEqual({ ...m.cycleCounts }, { errors: 0, warnings: 2 });
      m.event('build-success', 2);
      m.event('rebuild-start', 1000);
      assert.equal(m.state, Rebuilding);
      assert.deepEqual({ ...m.cycleCounts }, { errors: 0, warnings: 0 });
    });
  });
});
