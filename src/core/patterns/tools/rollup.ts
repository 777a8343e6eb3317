import type { ToolSpec } from '../types';

/** Rollup cannot find an import, at the importing file (no position): 'Could not resolve "./x.js" from "src/a.js"'. */
export const ROLLUP_UNRESOLVED = '(?<message>Could not resolve "[^"]+" from "(?<file>[^"]+)")';

/** Rollup 4: `rollup -c` and `rollup -c -w` (which clears the screen with a full reset before each build). */
export const ROLLUP: ToolSpec = {
  id: 'rollup',
  name: 'Rollup',
  docs:
    'Rollup 4: `rollup -c` and watch mode (`-w`). Watch mode resets the terminal (`ESC c`) before each build and ' +
    'prints "waiting for changes…" after failures too, which is not taken as success. Warnings with a place ' +
    '(eval, circular dependencies, unresolved imports) go to the Problems panel.',
  detect: ['^rollup v\\d+\\.\\d+\\.\\d+$', '^\\[!\\] RollupError: '],
  command: '\\brollup\\b',
  watchCommand: '\\s(?:-w|--watch)\\b',
  events: {
    buildStart: ['^rollup v\\d+\\.\\d+\\.\\d+$', '^(?:bundles )?\\S.* → .+\\.\\.\\.$'],
    watchReady: ['waiting for changes\\.\\.\\.$'],
    // "[!] RollupError: …", "[!] (plugin x) RollupError: [plugin x] …"
    buildError: ['^\\[!\\] (?:\\(plugin [^)]+\\) )?(?:\\w+)?Error: '],
    buildSuccess: ['^created .+ in \\d+(?:\\.\\d+)?m?s$'],
    warning: ['^\\(!\\) '],
  },
  problems: [
    {
      // @rollup/plugin-typescript reports TypeScript's positions (columns from 1): "[!] (plugin typescript)
      // RollupError: [plugin typescript] src/invoice.ts (8:3): @rollup/plugin-typescript TS2322: …" ("Uncaught" in -w)
      severity: 'error',
      steps: [
        {
          regexp:
            '^\\[!\\] (?:\\(plugin typescript\\) )?(?:Uncaught )?(?:\\w*Error: )?\\[plugin typescript\\] (?<file>[^\\s()]+) \\((?<line>\\d+):(?<column>\\d+)\\): (?<message>.+)$',
        },
      ],
    },
    {
      // Rollup's own errors (columns from 0), also a plugin's (Rollup makes the position from the plugin's offset):
      // "[!] (plugin x) RollupError: [plugin x] src/a.js (3:9): …"
      severity: 'error',
      columnBase: 0,
      steps: [
        {
          regexp:
            '^\\[!\\] (?:\\(plugin [^)]+\\) )?(?:Uncaught )?(?:\\w*Error: )?(?:\\[plugin [^\\]]+\\] )?(?<file>[^\\s()\\[\\]]+) \\((?<line>\\d+):(?<column>\\d+)\\): (?<message>.+)$',
        },
      ],
    },
    {
      // an import that is not there, at the importing file (no position): '[!] RollupError: Could not resolve
      // "./logger.js" from "src/error-handler.js"'; a module deleted in -w: "[!] Error: Could not load
      // /abs/src/util.js (imported by src/main.js): ENOENT: …", at the file that is missing
      severity: 'error',
      steps: [{ regexp: `^\\[!\\] \\w*Error: ${ROLLUP_UNRESOLVED}$` }],
    },
    {
      severity: 'error',
      steps: [{ regexp: '^\\[!\\] \\w*Error: (?<message>Could not load (?<file>\\S+) \\(imported by [^)]+\\): .+)$' }],
    },
    {
      // a plugin's error that names the file at its end, its position on the next line (columns from 0):
      // "[!] (plugin commonjs--resolver) RollupError: Expression expected in /abs/src/legacy.cjs", "src/legacy.cjs (3:24)"
      severity: 'error',
      columnBase: 0,
      steps: [
        { regexp: '^\\[!\\] \\(plugin [^)]+\\) \\w*Error: (?<message>.+)$' },
        { regexp: '^(?<file>[^\\s()]+) \\((?<line>\\d+):(?<column>\\d+)\\)$', within: 2 },
      ],
    },
    {
      // under "(!) Unresolved dependencies" (treated as external), one line per import: 'chalk (imported by "src/index.js")'
      severity: 'warning',
      steps: [{ regexp: '^(?<message>[^\\s()]+ \\(imported by "(?<file>[^"]+)"(?:, [^)]*)?\\))$' }],
    },
    {
      // the same TypeScript diagnostic as a warning (the plugin's default: the bundle is still written)
      severity: 'warning',
      steps: [{ regexp: '^\\(!\\) \\[plugin typescript\\] (?<file>[^\\s()]+) \\((?<line>\\d+):(?<column>\\d+)\\): (?<message>.+)$' }],
    },
    {
      // a warning with its position in its title (columns from 0): "(!) src/legacy/p.js (2:0): A comment" (a
      // misplaced /*#__PURE__*/ annotation; the rest of the message follows on the next lines)
      severity: 'warning',
      columnBase: 0,
      steps: [{ regexp: '^\\(!\\) (?<file>[^\\s()\\[\\]]+\\.\\w+) \\((?<line>\\d+):(?<column>\\d+)\\): (?<message>.+)$' }],
    },
    {
      // "(!) Circular dependency" then one chain per line: "src/a.js -> src/b.js -> src/a.js" (the first file is
      // where the cycle is entered)
      severity: 'warning',
      steps: [
        { regexp: '^\\(!\\) (?<message>Circular dependenc(?:y|ies))$' },
        { regexp: '^(?<message>(?<file>[^\\s]+\\.\\w+) -> .+)$' },
      ],
    },
    {
      // "(!) Use of eval is strongly discouraged", a URL, the file alone, then a code frame: the caret under the
      // source line marks line and column ("6: " is the frame's gutter, which the caret line indents by too)
      severity: 'warning',
      steps: [
        { regexp: '^\\(!\\) (?<message>.+)$' },
        { regexp: '^(?<file>[^\\s:()]+\\.\\w+)$', within: 3 },
        { regexp: '^(?<gutter> *(?<line>\\d+): ).*\\n(?<caret> +)\\^$', within: 8, withPrevious: true },
      ],
    },
    {
      // ...and the same warning in the next files of its list, each its own file line and frame ("...and 2 other
      // occurrences" between them): the "(!)" line above them all is their message
      severity: 'warning',
      header: '^\\(!\\) (?<message>.+)$',
      steps: [
        { regexp: '^(?<file>[^\\s:()]+\\.\\w+)$' },
        { regexp: '^(?<gutter> *(?<line>\\d+): ).*\\n(?<caret> +)\\^$', within: 8, withPrevious: true },
      ],
    },
  ],
};
