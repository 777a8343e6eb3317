import type { ProblemSpec, ToolSpec } from '../types';
import { BABEL_SYNTAX_ERROR } from './babel';
import { ESBUILD } from './esbuild';
import { WEBPACK } from './webpack';

/**
 * Framework CLIs that run a bundler and print their own verdicts over (or instead of) the bundler's: Angular's
 * application builder (esbuild), Create React App and Vue CLI (webpack 5), Rsbuild (Rspack).
 */

/**
 * ESLint through eslint-webpack-plugin, as Create React App prints it: "[eslint] ", the file ("src/App.js") on a line
 * of its own, then "  Line 5:9:  'x' is assigned a value but never used  no-unused-vars" (positions from 1).
 * Warning or error by the verdict above it ("Compiled with warnings." / "Failed to compile.").
 */
const CRA_ESLINT: ProblemSpec = {
  severity: 'warning',
  severityByVerdict: true,
  header: '^(?<file>[\\w@.][\\w@./ -]*\\.(?:tsx|ts|jsx|js|mjs|cjs))$',
  steps: [{ regexp: '^\\s+Line (?<line>\\d+):(?<column>\\d+):\\s+(?<message>.+?)(?:  (?<code>[@\\w/-]+))?$' }],
};

/** Create React App's react-scripts 5 (webpack 5 underneath): `react-scripts build` and `start`. */
export const CREATE_REACT_APP: ToolSpec = {
  ...WEBPACK,
  id: 'react-scripts',
  name: 'Create React App',
  extends: 'webpack',
  docs:
    'Create React App (react-scripts 5, webpack 5): `react-scripts build` and `start`, whose dev server clears the ' +
    'screen and prints "Compiling..." for each rebuild. ESLint\'s findings ("Line 5:9:  …  no-unused-vars") are ' +
    'warnings under "Compiled with warnings." and errors under "Failed to compile.".',
  detect: ['^Creating an optimized production build\\.\\.\\.$', '^Starting the development server\\.\\.\\.$'],
  command: '\\breact-scripts\\b',
  watchCommand: '\\breact-scripts\\s+start\\b',
  events: {
    buildStart: ['^Creating an optimized production build\\.\\.\\.$', '^Compiling\\.\\.\\.$'],
    buildSuccess: ['^Compiled successfully[.!]$', '^Compiled with warnings\\.$'],
    buildError: ['^Failed to compile\\.$'],
    watchReady: ['^You can now view \\S+ in the browser\\.$'],
    warning: ['^Compiled with warnings\\.$'],
  },
  problems: [
    BABEL_SYNTAX_ERROR,
    CRA_ESLINT,
    // its summary keeps only the message of webpack's "ERROR in ./src/App.js 1:0-40" block: no file, no position
    { severity: 'error', steps: [{ regexp: "^(?<message>Module not found: Error: Can't resolve .+)$" }] },
    ...(WEBPACK.problems ?? []),
  ],
};

/** Vue CLI 5 (@vue/cli-service, webpack 5): `vue-cli-service build` and `serve`. */
export const VUE_CLI: ToolSpec = {
  ...WEBPACK,
  id: 'vue-cli',
  name: 'Vue CLI',
  extends: 'webpack',
  docs:
    'Vue CLI 5 (`vue-cli-service build` and `serve`, webpack 5): " DONE  Compiled successfully", " ERROR  Failed to ' +
    'compile with N errors" and " WAIT  Compiling..." for each rebuild; vue-loader\'s template errors and Babel\'s ' +
    'syntax errors with their positions. Its progress bar\'s "Build finished at …" is not a verdict.',
  detect: [
    '^ (?:DONE|ERROR|WAIT|INFO)  (?:Compiled successfully in \\d|Failed to compile with \\d|Compiling\\.\\.\\.|Starting development server\\.\\.\\.)',
    '^\\S\\s+Building for production\\.\\.\\.$',
  ],
  command: '\\bvue-cli-service\\b',
  watchCommand: '\\bvue-cli-service\\s+serve\\b|\\s--watch\\b',
  events: {
    buildStart: ['^\\S\\s+Building for production\\.\\.\\.$', '^ WAIT  Compiling\\.\\.\\.'],
    buildSuccess: ['^ DONE  (?:Compiled successfully in \\d+ ?ms|Build complete\\.)'],
    buildError: ['^ ERROR  (?:Failed to compile with \\d+ errors?|Error: Build failed with errors\\.)'],
    watchReady: ['^  App running at:$'],
    warning: ['^ WARNING  Compiled with \\d+ warnings?'],
  },
  problems: [
    {
      // " error  in ./src/App.vue?vue&type=script&lang=js", and under the loader's line the message: the file alone
      // when the error has no position (a line that starts a problem with one is left to it)
      severity: 'error',
      steps: [
        { regexp: '^ error  in (?<file>[^?\\s]+)(?:\\?\\S*)?$' },
        {
          regexp: '^(?!Syntax Error: Thread Loader|Module (?:Error|build failed) \\(from |\\w*Error: |/|[A-Za-z]:\\\\)(?<message>\\S.*)$',
          within: 2,
        },
      ],
    },
    {
      // vue-loader: "VueCompilerError: Element is missing end tag." then "at /abs/src/App.vue:3:5" (from 1)
      severity: 'error',
      steps: [
        { regexp: '^(?:Vue)?\\w*Error: (?<message>.+)$' },
        { regexp: '^at (?<file>(?:/|[A-Za-z]:\\\\).+?):(?<line>\\d+):(?<column>\\d+)$' },
      ],
    },
    {
      // Babel through thread-loader: "Syntax Error: Thread Loader (Worker 0)" then "/abs/src/util.js: Unexpected token
      // (6:33)" (columns from 0)
      severity: 'error',
      columnBase: 0,
      steps: [{ regexp: '^(?<file>(?:/|[A-Za-z]:\\\\)[^:]+): (?<message>.+) \\((?<line>\\d+):(?<column>\\d+)\\)$' }],
    },
    ...(WEBPACK.problems ?? []),
  ],
};

/** Rsbuild 1 (Rspack underneath): `rsbuild build` and `dev`. */
export const RSBUILD: ToolSpec = {
  id: 'rsbuild',
  name: 'Rsbuild',
  extends: 'rspack',
  docs:
    'Rsbuild 1 (`rsbuild build` and `dev`): "build started...", "building src/a.js" for each ' +
    'rebuild, "built in 0.14 s", "build failed in 0.03 s"; an error names its file ("File: ./src/a.js:1:1"), and ' +
    'a code frame the real position.',
  detect: ['^Rsbuild v\\d+\\.\\d+\\.\\d+'],
  command: '(?:^|[\\s/])rsbuild(?=\\s|$)',
  watchCommand: '\\brsbuild\\s+dev\\b|\\s(?:--watch|-w)\\b',
  events: {
    buildStart: ['^(?:info|start) +build started\\.\\.\\.$'],
    rebuildStart: ['^start +building '],
    buildSuccess: ['^ready +built in [\\d.]+ m?s$'],
    buildError: ['^error +build failed in ', '^error +Rspack build failed\\.$'],
    watchReady: ['^  ➜  Local: +https?://'],
    warning: ['^warn +'],
  },
  problems: [
    {
      // "File: ./src/util.js:1:1" (the module), "  × Module build failed (from builtin:swc-loader):", the cause
      // "  ├─▶   ×   × Expression expected", and the code frame "  │  ╭─[/abs/src/util.js:5:1]" (from 1)
      severity: 'error',
      steps: [
        { regexp: '^File: (?<file>.+?):(?<line>\\d+):(?<column>\\d+)(?:-\\d+)?$' },
        // without colour the inner frame is drawn in ASCII: "×   x Expression expected", ",-[/abs/src/util.js:5:1]"
        { regexp: '^[\\s│├─▶]*×\\s+(?:[×x]\\s+)?(?<message>(?!Module build failed\\b)\\S.*)$', within: 3 },
        { regexp: '(?:╭─|,-)\\[(?<file>[^\\]]+?):(?<line>\\d+):(?<column>\\d+)\\]$', within: 2, optional: true },
      ],
    },
  ],
};

/** Angular CLI's application builder (esbuild underneath): `ng build` and `ng serve`. */
export const ANGULAR: ToolSpec = {
  ...ESBUILD,
  id: 'angular',
  name: 'Angular CLI',
  extends: 'esbuild',
  docs:
    'Angular CLI with the application builder (esbuild; recorded with Angular 20): `ng build` and `ng serve`. ' +
    '"Application bundle generation complete." / "failed." is the verdict; its errors and warnings (TypeScript\'s ' +
    'and the template compiler\'s) are printed after it in esbuild\'s format.',
  detect: ['^Application bundle generation (?:complete|failed)\\. \\['],
  command: '(?:^|[\\s/])ng\\s+(?:build|serve|b|s)\\b',
  watchCommand: '(?:^|[\\s/])ng\\s+(?:serve|s)\\b|\\s--watch\\b',
  events: {
    buildStart: ['^\\S Building\\.\\.\\.$'],
    rebuildStart: ['^\\S Changes detected\\. Rebuilding\\.\\.\\.$'],
    buildSuccess: ['^Application bundle generation complete\\. \\['],
    buildError: ['^Application bundle generation failed\\. \\['],
    watchReady: ['^Watch mode enabled\\. Watching for file changes\\.\\.\\.$'],
    warning: ['^▲ \\[WARNING\\] '],
  },
};
