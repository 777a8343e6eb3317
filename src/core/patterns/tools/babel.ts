import type { ProblemSpec, ToolSpec } from '../types';

/** Babel's parse error: "SyntaxError: /abs/src/a.js: Unexpected token, expected "," (7:49)" (columns from 0). */
export const BABEL_SYNTAX_ERROR: ProblemSpec = {
  severity: 'error',
  columnBase: 0,
  steps: [{ regexp: '^(?<message>SyntaxError: (?<file>(?:/|[A-Za-z]:\\\\)[^:]+): .+ \\((?<line>\\d+):(?<column>\\d+)\\))$' }],
};

/** @babel/cli: `babel src -d lib` and `--watch`. */
export const BABEL: ToolSpec = {
  id: 'babel',
  name: 'Babel',
  docs:
    '@babel/cli 7: `babel src -d lib` and `--watch`, which prints nothing when it starts compiling a change: each ' +
    '"Successfully compiled N files" or parse error is one build.',
  detect: ['^Successfully compiled \\d+ files? with Babel\\b', '^The watcher is ready\\.$'],
  command: '(?:^|[\\s/])babel(?=\\s|$)',
  watchCommand: '\\s(?:--watch|-w)\\b',
  events: {
    watchReady: ['^The watcher is ready\\.$'],
    buildSuccess: ['^Successfully compiled \\d+ files? with Babel\\b'],
    buildError: ['^SyntaxError: (?:/|[A-Za-z]:\\\\)[^:]+: .+ \\(\\d+:\\d+\\)$'],
  },
  problems: [BABEL_SYNTAX_ERROR],
};
