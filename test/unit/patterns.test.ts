import * as assert from 'node:assert/strict';
import { VirtualClock } from '../../src/core/clock';
import { BuildEngine } from '../../src/core/engine';
import type { BuildEvent, Problem } from '../../src/core/events';
import { BUILTIN_TOOLS } from '../../src/core/patterns/database';
import { applyOverrides } from '../../src/core/patterns/overrides';
import {
  compilePattern,
  hasNestedUnboundedRepetition,
  parsePatternSource,
  PatternError,
  requiredLiterals,
  withIndexedCaptures,
} from '../../src/core/patterns/regex';
import { PatternRegistry } from '../../src/core/patterns/registry';
import { TSC } from '../../src/core/patterns/tools/tsc';

const ROOT = 'kirby.buildToolPatterns';

/** Runs `lines` through an engine locked to `tool`, returning the events and problems it reports. */
function runLines(registry: PatternRegistry, tool: string, lines: string[]): { events: BuildEvent[]; problems: Problem[] } {
  const clock = new VirtualClock();
  const engine = new BuildEngine({ registry, tool, clock });
  const events: BuildEvent[] = [];
  const problems: Problem[] = [];
  engine.onEvent((e) => events.push(e));
  engine.onProblem((p) => problems.push(p.problem));
  engine.start();
  for (const line of lines) engine.write(line + '\n');
  engine.endOfStream();
  return { events, problems };
}

function rejects(text: string, message: RegExp): void {
  assert.throws(
    () => compilePattern(text),
    (e: unknown) => e instanceof PatternError && e.pattern === text && message.test(e.message),
    `expected ${JSON.stringify(text)} to be refused with ${message}`,
  );
}

describe('patterns', () => {
  describe('parsePatternSource', () => {
    it('splits "/source/flags" and leaves anything else as a plain source', () => {
      assert.deepEqual(parsePatternSource('/done/i'), { source: 'done', flags: 'i' });
      assert.deepEqual(parsePatternSource('/a/b/su'), { source: 'a/b', flags: 'su' });
      assert.deepEqual(parsePatternSource('done'), { source: 'done', flags: '' });
      assert.deepEqual(parsePatternSource('a/b/'), { source: 'a/b/', flags: '' });
      assert.deepEqual(parsePatternSource('//'), { source: '//', flags: '' });
    });
  });

  describe('compilePattern', () => {
    it('refuses bad syntax', () => {
      rejects('(unclosed', /./);
      rejects('[a-', /./);
      rejects('/x{2,1}/u', /./);
    });

    it('refuses flags other than i, s, u', () => {
      rejects('/done/g', /unsupported flag/);
      rejects('/done/m', /unsupported flag/);
      rejects('/done/iy', /unsupported flag/);
    });

    it('refuses patterns that match an empty line', () => {
      rejects('a*', /empty line/);
      rejects('^', /empty line/);
      rejects('(?:\\.\\d+)?', /empty line/);
    });

    it('refuses nested unbounded repetition', () => {
      rejects('(a+)+$', /nested repetition/);
      rejects('(\\w*\\s?)*', /nested repetition/);
      rejects('x(?:a|b{2,})*y', /nested repetition/);
    });

    it('accepts optional and bounded groups, and /…/i', () => {
      assert.ok(compilePattern('built in \\d+(?:\\.\\d+)?s').test('built in 1.25s'));
      assert.ok(compilePattern('(?:\\S+ ){0,3}x').test('a b c x'));
      const re = compilePattern('/done/i');
      assert.ok(re.test('DONE in 3s'));
      assert.equal(re.flags, 'i');
      assert.equal(compilePattern('done').test('DONE'), false, 'plain sources are case-sensitive');
    });
  });

  describe('hasNestedUnboundedRepetition', () => {
    it('finds an unbounded repetition inside an unbounded group', () => {
      for (const source of ['(a+)+$', '(\\w*\\s?)*', '((a+))+', '(?:a{1,})+', '(a*)*?', '([a-z]+)*']) {
        assert.equal(hasNestedUnboundedRepetition(source), true, source);
      }
    });

    it('ignores optional and bounded quantifiers, classes and escaped parentheses', () => {
      for (const source of ['(?:\\.\\d+)?', '(?:\\S+ ){0,3}x', '(a+){2}', '(a+)?b+', '[(a+)+]', '\\(a+\\)+', '(ab)+c*']) {
        assert.equal(hasNestedUnboundedRepetition(source), false, source);
      }
    });
  });

  describe('withIndexedCaptures', () => {
    const cases: Array<[string, string[], string[]]> = [
      // [pattern, capture names, lines to match]
      ['(?<file>[^(]+)\\((?<line>\\d+),(?<column>\\d+)\\): error', ['file', 'line', 'column'], ['src/a.ts(3,7): error', 'x(1,2): warn']],
      ['[(<](?<a>x)[)]', ['a'], ['(x)', '<x)']],
      ['(?<=at )(?<b>\\w+)', ['b'], ['at home', 'home']],
      ["(?<q>['\"])(?<v>\\w+)\\k<q>0", ['q', 'v'], ["'abc'0", "'abc\"0"]],
      ['(?:x)(y)(?<z>z)(?!w)', ['', 'z'], ['xyz', 'xyzw']],
      ['\\((?<n>\\d)\\)|(?<m>[a-z])', ['n', 'm'], ['(4)', 'k', '?']],
    ];
    for (const [pattern, names, lines] of cases) {
      it(`plain groups for ${pattern}, matching what the named ones match`, () => {
        const named = new RegExp(pattern, 'u');
        const indexed = withIndexedCaptures(named);
        assert.ok(indexed, pattern);
        assert.deepEqual(indexed.names, names);
        assert.ok(!indexed.re.source.includes('(?<') || indexed.re.source.includes('(?<='), indexed.re.source);
        for (const line of lines) {
          const a = named.exec(line);
          const b = indexed.re.exec(line);
          assert.equal(b === null, a === null, line);
          if (!a || !b) continue;
          names.forEach((name, i) => {
            if (name) assert.equal(b[i + 1], a.groups![name], `${pattern} on ${line}: ${name}`);
          });
        }
      });
    }
    it('leaves a pattern without named groups alone', () => {
      assert.equal(withIndexedCaptures(/(a)(?:b)/), undefined);
    });
  });

  describe('requiredLiterals', () => {
    it('takes the longest run of plain text', () => {
      assert.deepEqual(requiredLiterals('Found 0 errors'), ['Found 0 errors']);
      assert.deepEqual(requiredLiterals('^\\d+ files? in \\d+ms$'), [' file']);
    });

    it('keeps escaped punctuation as literal text, and breaks on class escapes', () => {
      assert.deepEqual(requiredLiterals('Starting compilation in watch mode\\.\\.\\.$'), ['Starting compilation in watch mode...']);
      assert.deepEqual(requiredLiterals('\\bfoo\\sbarbaz\\b'), ['barbaz']);
    });

    it('drops characters made optional by ?, * or {0,n}', () => {
      assert.deepEqual(requiredLiterals('errors?'), ['error']);
      assert.deepEqual(requiredLiterals('colou?r'), ['colo']);
      assert.deepEqual(requiredLiterals('abcdx{0,3}yz'), ['abcd']);
      assert.deepEqual(requiredLiterals('ab\\.?cd'), ['ab']);
    });

    it('returns one literal per top-level alternative, or undefined when one has none', () => {
      assert.deepEqual(requiredLiterals('built in|Build failed'), ['built in', 'Build failed']);
      assert.equal(requiredLiterals('Build failed|\\d+'), undefined);
      assert.equal(requiredLiterals('\\d+'), undefined);
    });

    it('reads literal alternatives of a group into the sequence, and nothing else inside groups and classes', () => {
      assert.deepEqual(requiredLiterals('Found (\\d+) errors'), [' errors']);
      assert.deepEqual(requiredLiterals('(?:foo|bar)baz'), ['foobaz', 'barbaz']);
      assert.deepEqual(requiredLiterals('(?<level>ERROR|WARNING) in '), ['ERROR in ', 'WARNING in ']);
      assert.deepEqual(requiredLiterals('(?:foo|b.r)baz'), ['baz']);
      assert.deepEqual(requiredLiterals('(?:foo)?bar'), ['bar']);
      assert.deepEqual(requiredLiterals('[xyz]+done'), ['done']);
      assert.deepEqual(requiredLiterals('(done|ok)'), ['done', 'ok']);
      assert.equal(requiredLiterals('(?=done)\\w+'), undefined);
    });

    it('lets a required group of mixed alternatives compete with the text around it', () => {
      // Next.js's "Type error: …" / "TypeError: …" line: ": " alone would send nearly every line to the regex
      assert.deepEqual(requiredLiterals('^(?:\\w*Error|Type error): (?<message>\\S.*)$'), ['Error', 'Type error']);
      assert.deepEqual(requiredLiterals('(?:\\d+ error|warnings?) found here'), [' found here']);
      assert.deepEqual(requiredLiterals('x(?:\\d+foo|barbaz)?yz'), ['yz']);
      assert.deepEqual(requiredLiterals('(?:\\d+|foo)bar'), ['bar'], 'an alternative without literal text: the group gives none');
      assert.deepEqual(requiredLiterals('(?:ab|\\w+cdef)ghijk'), ['ghijk']);
      assert.deepEqual(requiredLiterals('(?:abcdef|\\w+ghijkl)xy'), ['abcdef', 'ghijkl']);
    });

    // Regression: the hex digits of \xHH and \uHHHH were once taken as literal text ('^\\u2713 built in' required
    // "2713 built in"), so the matcher's prefilter rejected every line such a pattern matches.
    it('never requires text that a matching line lacks (\\u and \\x escapes)', () => {
      const cases: [string, string][] = [
        ['^\\u2713 built in \\d+ms$', '✓ built in 12ms'],
        ['^Bundle\\x20ready$', 'Bundle ready'],
      ];
      for (const [source, line] of cases) {
        assert.ok(compilePattern(source).test(line));
        const lits = requiredLiterals(source);
        assert.ok(lits === undefined || lits.some((l) => line.toLowerCase().includes(l.toLowerCase())), `${source} → ${JSON.stringify(lits)}`);
      }
    });
  });

  describe('applyOverrides', () => {
    it('an override of an existing tool replaces only the named event lists', () => {
      const builtinSuccess = [...TSC.events.buildSuccess!];
      const { specs, issues } = applyOverrides(BUILTIN_TOOLS, { tsc: { events: { buildSuccess: ['^ALL GOOD$'] } } });
      assert.deepEqual(issues, []);
      const tsc = specs.find((s) => s.id === 'tsc')!;
      assert.deepEqual(tsc.events.buildSuccess, ['^ALL GOOD$']);
      assert.deepEqual(tsc.events.buildError, TSC.events.buildError);
      assert.deepEqual(tsc.events.buildStart, TSC.events.buildStart);
      assert.deepEqual(tsc.detect, TSC.detect);
      assert.equal(tsc.silentSuccess, true);
      assert.deepEqual(TSC.events.buildSuccess, builtinSuccess, 'the built-in spec is not modified');
      assert.deepEqual(specs.map((s) => s.id), BUILTIN_TOOLS.map((s) => s.id));
    });

    it('adds a new tool just before generic, and the engine detects it', () => {
      const { specs, issues } = applyOverrides(BUILTIN_TOOLS, {
        'my-tool': { detect: ['^my-tool v\\d+'], events: { buildSuccess: ['^my-tool: ok$'] } },
      });
      assert.deepEqual(issues, []);
      assert.equal(specs.length, BUILTIN_TOOLS.length + 1);
      assert.equal(specs[specs.length - 2].id, 'my-tool');
      assert.equal(specs[specs.length - 1].id, 'generic');
      const engine = new BuildEngine({ registry: new PatternRegistry(specs), clock: new VirtualClock() });
      const types: string[] = [];
      engine.onEvent((e) => types.push(e.type));
      engine.start();
      engine.write('my-tool v2.0\nmy-tool: ok\n');
      assert.equal(engine.tool.id, 'my-tool');
      assert.deepEqual(types, ['build-success']);
    });

    it('a problem pattern with columnBase 0 reports 1-based columns; any other columnBase is an issue', () => {
      const problem = { regexp: '^(?<file>\\S+):(?<line>\\d+):(?<column>\\d+) (?<message>.+)$', columnBase: 0 };
      const { specs, issues } = applyOverrides(BUILTIN_TOOLS, {
        'zero-tool': { detect: ['^zero-tool$'], events: {}, problems: [problem] },
      });
      assert.deepEqual(issues, []);
      const { problems } = runLines(new PatternRegistry(specs), 'zero-tool', ['a.js:3:0 bad']);
      assert.deepEqual(problems, [{ severity: 'error', file: 'a.js', line: 3, column: 1, message: 'bad' }]);

      const wrong = applyOverrides(BUILTIN_TOOLS, { 'zero-tool': { detect: ['^z$'], problems: [{ ...problem, columnBase: 2 }] } });
      assert.deepEqual(wrong.issues.map((i) => i.path), [`${ROOT}.zero-tool.problems[0].columnBase`]);
    });

    it('reports a bad regex at its exact path and keeps the other patterns of the tool working', () => {
      const bad = 'Starting (compilation';
      const { specs, issues } = applyOverrides(BUILTIN_TOOLS, {
        tsc: { events: { buildStart: ['^BEGIN ONE$', bad, '^BEGIN THREE$'] } },
      });
      assert.equal(issues.length, 1);
      assert.equal(issues[0].path, `${ROOT}.tsc.events.buildStart[1]`);
      assert.equal(issues[0].pattern, bad);
      assert.ok(issues[0].message.length > 0);
      const registry = new PatternRegistry(specs);
      // (a second start line in the same build would not be reported: BEGIN THREE starts the next build)
      const { events } = runLines(registry, 'tsc', ['BEGIN ONE', 'Starting compilation', 'Found 2 errors.', 'BEGIN THREE']);
      assert.deepEqual(
        events.map((e) => [e.type, e.line]),
        [
          ['build-start', 'BEGIN ONE'],
          ['build-error', 'Found 2 errors.'],
          ['build-start', 'BEGIN THREE'],
        ],
      );
    });

    it('a single bad pattern given as a string is reported without an index', () => {
      const { specs, issues } = applyOverrides(BUILTIN_TOOLS, { tsc: { events: { buildError: '(a+)+$' } } });
      assert.deepEqual(issues.map((i) => [i.path, i.pattern]), [[`${ROOT}.tsc.events.buildError`, '(a+)+$']]);
      assert.deepEqual(specs.find((s) => s.id === 'tsc')!.events.buildError, []);
    });

    it('reports wrong types with the key path and keeps the built-in values', () => {
      const { specs, issues } = applyOverrides(BUILTIN_TOOLS, {
        tsc: { detect: 42 },
        vite: { events: 'built in' },
        rollup: { silentSuccess: 'yes', name: '' },
      });
      assert.deepEqual(issues.map((i) => i.path).sort(), [
        `${ROOT}.rollup.name`,
        `${ROOT}.rollup.silentSuccess`,
        `${ROOT}.tsc.detect`,
        `${ROOT}.vite.events`,
      ]);
      assert.match(issues.find((i) => i.path === `${ROOT}.tsc.detect`)!.message, /number 42/);
      assert.deepEqual(specs.find((s) => s.id === 'tsc')!.detect, TSC.detect);
      assert.equal(specs.find((s) => s.id === 'rollup')!.name, 'Rollup');
    });

    it('refuses a new tool without detect or command', () => {
      const { specs, issues } = applyOverrides(BUILTIN_TOOLS, { lonely: { events: { buildSuccess: ['^ok$'] } } });
      assert.deepEqual(issues.map((i) => i.path), [`${ROOT}.lonely`]);
      assert.match(issues[0].message, /detect|command/);
      assert.equal(specs.some((s) => s.id === 'lonely'), false);
      // a command pattern alone is enough
      const withCommand = applyOverrides(BUILTIN_TOOLS, { lonely: { command: '\\blonely\\b', events: {} } });
      assert.deepEqual(withCommand.issues, []);
      assert.equal(new PatternRegistry(withCommand.specs).fromCommand('npx lonely --fast')?.id, 'lonely');
    });

    it('reports unknown tool keys, unknown event keys, bad ids and a non-object root', () => {
      const { issues } = applyOverrides(BUILTIN_TOOLS, {
        tsc: { detecct: ['x'], events: { buildDone: ['^done$'] } },
        'bad id!': { detect: ['x'] },
        vite: 'nope',
      });
      assert.deepEqual(issues.map((i) => i.path), [
        `${ROOT}.tsc.detecct`,
        `${ROOT}.tsc.events.buildDone`,
        `${ROOT}.bad id!`,
        `${ROOT}.vite`,
      ]);
      assert.deepEqual(applyOverrides(BUILTIN_TOOLS, ['x'], 'root').issues.map((i) => i.path), ['root']);
      assert.deepEqual(applyOverrides(BUILTIN_TOOLS, undefined).issues, []);
    });
  });

  describe('the matcher, through the engine', () => {
    it('starts with a cached tool hint when the command names none, and output can still switch tools', () => {
      const hinted = new BuildEngine({ clock: new VirtualClock(), command: 'npm run build', toolHint: 'tsc' });
      assert.equal(hinted.tool.id, 'tsc');
      hinted.start();
      hinted.write('vite v7.1.3 building for production...\n');
      assert.equal(hinted.tool.id, 'vite');
      const named = new BuildEngine({ clock: new VirtualClock(), command: 'vite build', toolHint: 'tsc' });
      assert.equal(named.tool.id, 'vite', 'the command line wins over the cache');
      assert.equal(new BuildEngine({ clock: new VirtualClock(), toolHint: 'no-such-tool' }).tool.id, 'generic');
    });

    const builtin = PatternRegistry.builtin();

    it('reports problems with their named groups', () => {
      const { problems } = runLines(builtin, 'tsc', ['src/b.ts(4,12): error TS2304: Cannot find name \'x\'.']);
      assert.deepEqual(problems, [
        { file: 'src/b.ts', line: 4, column: 12, severity: 'error', code: 'TS2304', message: "Cannot find name 'x'." },
      ]);
    });

    it('reports a file-only problem once when the same error follows with its position, and both when the files differ', () => {
      const babel = ['ERROR in ./src/a.js', 'Module build failed (from ./node_modules/babel-loader/lib/index.js):', 'SyntaxError: /p/src/a.js: Unexpected token (7:49)'];
      const once = runLines(builtin, 'webpack', babel).problems;
      assert.deepEqual(once.map((p) => `${p.file}:${p.line}:${p.column}`), ['/p/src/a.js:7:50']);
      const other = runLines(builtin, 'webpack', ['ERROR in ./src/a.js', 'Module not found: x', 'SyntaxError: /p/src/b.js: Unexpected token (1:0)']).problems;
      assert.deepEqual(other.map((p) => `${p.file}:${p.line}`), ['./src/a.js:undefined', '/p/src/b.js:1']);
      // and one alone is reported before its build's verdict
      const alone = runLines(builtin, 'webpack', ['ERROR in ./src/a.js', 'Module not found: x', 'webpack 5.1.0 compiled with 1 error in 5 ms']);
      assert.equal(alone.problems.length, 1);
      assert.equal(alone.events.map((e) => e.type).join(), 'build-error');
    });

    it('does not report a multi-line problem whose next lines never came (a header alone says nowhere)', () => {
      const { problems } = runLines(builtin, 'vite', ['error during build:', 'something unexpected', 'more']);
      assert.deepEqual(problems, []);
    });

    it('joins a problem over two lines (Vite 8: the frame under its message)', () => {
      const { problems } = runLines(builtin, 'vite', ['[PARSE_ERROR] Unexpected token', '  ╭─[ src/util.js:5:34 ]']);
      assert.deepEqual(problems, [
        { severity: 'error', code: 'PARSE_ERROR', message: 'Unexpected token', file: 'src/util.js', line: 5, column: 34 },
      ]);
    });

    it('joins a multi-step problem whose next step comes within its window (esbuild\'s 0-based column reported 1-based)', () => {
      const { problems } = runLines(builtin, 'esbuild', ['✘ [ERROR] Expected ";" but found "x"', '', '    src/a.js:3:7:']);
      assert.deepEqual(problems, [{ severity: 'error', message: 'Expected ";" but found "x"', file: 'src/a.js', line: 3, column: 8 }]);
    });

    it("takes a Vite dev error's column from its code frame's caret, whatever base the File: line prints", () => {
      const error = '12:00:00 PM [vite] Internal server error: Failed to parse source for import analysis';
      const frame = ['  1  |  import x from "y";', '     |  ^', '  2  |  '];
      for (const printed of ['1:0', '1:1']) {
        const { problems } = runLines(builtin, 'vite', [error, '  Plugin: vite:import-analysis', `  File: /p/src/main.js:${printed}`, ...frame]);
        assert.deepEqual(problems.map((p) => [p.line, p.column]), [[1, 1]], `File: …:${printed}`);
      }
      const esbuild = ['  File: /p/src/a.ts:5:27', '  ', '  Expected ")" but found "{"', '  4  |    x();', '  5  |    for (const i of items {', '     |                             ^'];
      assert.deepEqual(runLines(builtin, 'vite', [error, '  Plugin: vite:esbuild', ...esbuild]).problems.map((p) => p.column), [28]);
    });

    it('reports a problem waiting for an optional line when the burst of output ends without it', () => {
      const clock = new VirtualClock();
      const engine = new BuildEngine({ tool: 'vite', clock, quietGapMs: 200 });
      const problems: Problem[] = [];
      engine.onProblem((p) => problems.push(p.problem));
      engine.start();
      engine.write('12:00:00 PM [vite] Internal server error: Unexpected token\n  File: /p/src/main.js:3:4\n');
      clock.advanceTo(199);
      assert.equal(problems.length, 0);
      clock.advanceTo(200);
      assert.deepEqual(problems, [{ severity: 'error', message: 'Unexpected token', file: '/p/src/main.js', line: 3, column: 5 }]);
      engine.dispose();
    });

    it("reads webpack's array configs, which indent each compiler's block under its name", () => {
      const { events, problems } = runLines(builtin, 'webpack', [
        'client:',
        '  ERROR in ./src/client/index.js 5:49',
        '  Module parse failed: Unexpected token (5:49)',
        '  client (webpack 5.112.2) compiled with 1 error in 290 ms',
      ]);
      assert.deepEqual(events.map((e) => e.type), ['build-error']);
      assert.deepEqual(problems, [{ severity: 'error', file: './src/client/index.js', line: 5, column: 50, message: 'Module parse failed: Unexpected token (5:49)' }]);
    });

    it("tells Parcel's warnings from its errors by the verdict: before '🚨 Build failed.' a diagnostic is a warning", () => {
      const { problems } = runLines(builtin, 'parcel', [
        '⠋ Building style.css...',
        '@parcel/transformer-css: Unknown at rule: @kirby-theme',
        '⠋ Building style.css...',
        '⠋ Building style.css...',
        '  /p/src/style.css:3:14',
        '🚨 Build failed.',
        '@parcel/transformer-js: Expression expected',
        '  /p/src/main.js:5:19',
        '⠋ Building main.js...',
        '@parcel/transformer-css: Unknown at rule: @kirby-theme',
        '  /p/src/style.css:3:14',
      ]);
      assert.deepEqual(problems.map((p) => [p.severity, p.file, p.line]), [
        ['warning', '/p/src/style.css', 3],
        ['error', '/p/src/main.js', 5],
        ['warning', '/p/src/style.css', 3],
      ]);
    });

    it('reports a pending problem with what it has at the end of the output', () => {
      const { problems } = runLines(builtin, 'webpack', ['ERROR in ./src/x.js 7:1']);
      assert.deepEqual(problems, [{ severity: 'error', file: './src/x.js', line: 7, column: 2, message: '' }]);
    });

    it('reports each event type at most once per line (patterns sharing the prefilter)', () => {
      const { specs } = applyOverrides(BUILTIN_TOOLS, { tsc: { events: { buildSuccess: ['^ALL', 'GOOD$'], warning: ['^WARN', 'deprecated'] } } });
      const { events } = runLines(new PatternRegistry(specs), 'tsc', ['ALL GOOD', 'WARN: x is deprecated']);
      assert.deepEqual(events.map((e) => e.type), ['build-success', 'warning']);
    });

    // Regression: the per-line `seen` bits were once reset between the ungated and the gated pass, so generic
    // reported "Compiled successfully!" twice and "WARN: foo is deprecated" counted two warnings.
    it('reports each event type at most once per line (ungated and gated patterns)', () => {
      assert.deepEqual(runLines(builtin, 'generic', ['Compiled successfully!']).events.map((e) => e.type), ['build-success']);
      const { specs } = applyOverrides(BUILTIN_TOOLS, { generic: { events: { warning: ['^(?:WARN|Warning)\\b', 'deprecated'] } } });
      const { events } = runLines(new PatternRegistry(specs), 'generic', ['WARN: foo is deprecated']);
      assert.deepEqual(events.map((e) => e.type), ['warning']);
    });

    // Regression: see the \u / \x requiredLiterals case above.
    it('reports an event for a user pattern written with a \\u escape', () => {
      const { specs, issues } = applyOverrides(BUILTIN_TOOLS, { tick: { detect: ['^tick v1$'], events: { buildSuccess: ['^\\u2713 built in \\d+ms$'] } } });
      assert.deepEqual(issues, []);
      const { events } = runLines(new PatternRegistry(specs), 'tick', ['✓ built in 12ms']);
      assert.deepEqual(events.map((e) => e.type), ['build-success']);
    });
  });
});
