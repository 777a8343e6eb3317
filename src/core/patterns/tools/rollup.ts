import type { ToolSpec } from '../types';

/** Rollup 4: `rollup -c` and `rollup -c -w` (which clears the screen with a full reset before each build). */
export const ROLLUP: ToolSpec = {
  id: 'rollup',
  name: 'Rollup',
  docs:
    'Rollup 4: `rollup -c` and watch mode (`-w`). Watch mode resets the terminal (`ESC c`) before each build and ' +
    'prints "waiting for changes…" after failures too, which is not taken as success.',
  detect: ['^rollup v\\d+\\.\\d+\\.\\d+$', '^\\[!\\] RollupError: '],
  command: '\\brollup\\b',
  watchCommand: '\\s(?:-w|--watch)\\b',
  events: {
    buildStart: ['^rollup v\\d+\\.\\d+\\.\\d+$', '^(?:bundles )?\\S.* → .+\\.\\.\\.$'],
    watchReady: ['waiting for changes\\.\\.\\.$'],
    buildError: ['^\\[!\\] (?:\\w+)?Error: '],
    buildSuccess: ['^created .+ in \\d+(?:\\.\\d+)?m?s$'],
    warning: ['^\\(!\\) '],
  },
  problems: [
    {
      severity: 'error',
      columnBase: 0,
      steps: [{ regexp: '^\\[!\\] (?:\\w*Error: )?(?<file>[^\\s()]+) \\((?<line>\\d+):(?<column>\\d+)\\): (?<message>.+)$' }],
    },
    {
      // under "(!) Unresolved dependencies" (treated as external), one line per import: 'chalk (imported by "src/index.js")'
      severity: 'warning',
      steps: [{ regexp: '^(?<message>[^\\s()]+ \\(imported by "(?<file>[^"]+)"(?:, [^)]*)?\\))$' }],
    },
    {
      // "(!) Use of eval is strongly discouraged", a URL, the file alone, then a code frame whose caret marks the line
      severity: 'warning',
      steps: [
        { regexp: '^\\(!\\) (?<message>.+)$' },
        { regexp: '^(?<file>[^\\s:()]+\\.\\w+)$', within: 3 },
        { regexp: '^(?<line>\\d+): .*\\n\\s+\\^$', within: 8, withPrevious: true },
      ],
    },
  ],
};
