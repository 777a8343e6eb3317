import type { ToolSpec } from '../types';
import { ROLLUP_UNRESOLVED } from './rollup';
import { SASS_PROBLEMS } from './stylesheets';

/** Rollup's (and Rolldown's in Vite 5/7 shapes) own line for a position: "src/util.js (5:33): Expression expected", columns from 0. */
export const ROLLUP_POSITION_LINE = '^(?<file>[^\\s()\\[\\]]+\\.\\w+) \\((?<line>\\d+):(?<column>\\d+)\\): (?<message>.+)$';

/** Vite 5, 7 and 8: `vite build`, `vite build --watch`, and the dev server. */
export const VITE: ToolSpec = {
  id: 'vite',
  name: 'Vite',
  docs:
    'Vite 5, 6, 7 and 8 (Rolldown): `vite build`, `vite build --watch` and the dev server. The dev server reports ' +
    'transform errors only when a browser requests the module, at the column its code frame\'s caret shows; HMR ' +
    'updates and page reloads count as rebuilds, and so does a config change that restarts the server ("server ' +
    'restart failed" is an error). Sass errors and deprecations, and vite-plugin-checker\'s type errors, are ' +
    'problems.',
  detect: ['^vite v\\d+\\.\\d+\\.\\d+ (?:\\S+ ){0,3}building\\b', '^\\s*VITE v\\d+\\.\\d+\\.\\d+\\s+ready in\\b'],
  command: '\\bvite(?:\\.js)?\\b',
  // dependency pre-bundling prints esbuild's errors; checker plugins print tsc's
  embeds: ['esbuild', 'rollup', 'tsc'],
  watchCommand: '--watch\\b|\\s-w\\b|\\bvite(?:\\.js)?(?!\\s+(?:build|optimize)\\b)(?:\\s|$)',
  events: {
    buildStart: [
      '^vite v\\d+\\.\\d+\\.\\d+ (?:\\S+ ){0,3}building\\b',
      '^build started\\.\\.\\.$',
      '\\[vite\\] \\S+ changed, restarting server\\.\\.\\.$',
    ],
    watchReady: ['^watching for file changes\\.\\.\\.$', '^\\s*VITE v\\d+\\.\\d+\\.\\d+\\s+ready in\\b'],
    buildError: [
      '^(?:x|✗) Build failed in \\d',
      '^Build failed with \\d+ errors?:?$',
      '^error during build:$',
      // Vite 5/7 watch: the Rollup error line, after one or more [tags], is the only verdict
      '^(?:\\[(?:plugin )?[\\w:-]+\\] ){1,4}\\S+ \\(\\d+:\\d+\\): ',
      // ...or a PostCSS error there: "[commonjs] [postcss] /abs/src/theme.css:10:2: Unexpected }"
      '^(?:\\[(?:plugin )?[\\w:-]+\\] ){0,3}\\[postcss\\] \\S+:\\d+:\\d+: ',
      // Vite 8 watch
      '^\\[[\\w:-]+\\] plugin `[\\w:-]+` threw an error$',
      '\\[vite\\] Internal server error: ',
      '\\[vite\\] (?:\\(\\w+\\) )?Pre-transform error: ',
      // SvelteKit's dev server renders pages on the server: "[vite] (ssr) Error when evaluating SSR module /src/…: …"
      '\\[vite\\] (?:\\(\\w+\\) )?Error when evaluating SSR module ',
      '\\[vite\\] server restart failed$',
      // vite-plugin-checker's type check of the dev server: "[TypeScript] Found 1 error. Watching for file changes."
      '^\\[(?:TypeScript|vue-tsc)\\] Found [1-9]\\d* errors?\\b',
    ],
    buildSuccess: [
      '^(?:✓ )?built in \\d+(?:\\.\\d+)?(?:ms|s)\\.?$',
      '^\\s*VITE v\\d+\\.\\d+\\.\\d+\\s+ready in\\b',
      '\\[vite\\] (?:\\(\\w+\\) )?(?:hmr update|page reload|hmr invalidate) ',
      // the dev server reloads its config (or .env) when it changes: "[vite] server restarted." / "… restart failed"
      '\\[vite\\] server restarted\\.$',
      '^\\[(?:TypeScript|vue-tsc)\\] Found 0 errors\\b',
    ],
    // esbuild's CSS minifier warns inside a successful build ("▲ [WARNING] Expected "}" …", at <stdin>: no file)
    warning: ['^\\(!\\) ', '\\[vite\\] warning: ', '^▲ \\[WARNING\\] '],
  },
  problems: [
    {
      // Vite 5/7 one-shot: "error during build:" then Rollup's "src/util.js (5:33): Expression expected"
      severity: 'error',
      columnBase: 0,
      steps: [
        { regexp: '^error during build:$' },
        { regexp: '^(?!(?:\\[[\\w:-]+\\] ){0,3}\\[plugin vite:vue\\])(?:\\[[\\w:-]+\\] ){0,4}(?<file>[^\\s()\\[\\]]+\\.\\w+) \\((?<line>\\d+):(?<column>\\d+)\\): (?<message>.+)$', within: 2 },
      ],
    },
    {
      // Vue's template errors keep Vue's columns (from 1) in Rollup's format: "[vite:vue] [plugin vite:vue]
      // src/components/Counter.vue (9:50): Invalid end tag." (Vite 7 watch)
      severity: 'error',
      steps: [{ regexp: '^(?:\\[[\\w:-]+\\] ){0,3}\\[plugin vite:vue\\] (?<file>[^\\s()\\[\\]]+\\.\\w+) \\((?<line>\\d+):(?<column>\\d+)\\): (?<message>.+)$' }],
    },
    {
      // esbuild's transform of a .ts file (Vite 5/7, under "[vite:esbuild] Transform failed with 1 error:"):
      // "/abs/src/main.ts:11:63: ERROR: Expected ")" but found "}"" (columns from 0)
      severity: 'error',
      columnBase: 0,
      steps: [{ regexp: '^(?<file>[^\\s:][^:]*?):(?<line>\\d+):(?<column>\\d+): (?<severity>ERROR|WARNING): (?<message>.+)$' }],
    },
    {
      // Rollup (Vite 5/7) cannot find an import: 'Could not resolve "./x.js" from "src/app.js"' (no position)
      severity: 'error',
      steps: [{ regexp: `^${ROLLUP_UNRESOLVED}$` }],
    },
    {
      // Vite 5/7 watch: the same line after [tags] ("[commonjs]", "[plugin vite:…]") is an error
      severity: 'error',
      columnBase: 0,
      steps: [{ regexp: '^(?:\\[(?:plugin )?[\\w:-]+\\] ){1,4}(?<file>[^\\s()\\[\\]]+\\.\\w+) \\((?<line>\\d+):(?<column>\\d+)\\): (?<message>.+)$' }],
    },
    {
      // ...or a PostCSS error: "[commonjs] [postcss] /abs/src/theme.css:10:2: Unexpected }" (columns from 1)
      severity: 'error',
      steps: [{ regexp: '^(?:\\[(?:plugin )?[\\w:-]+\\] ){0,3}\\[postcss\\] (?<file>[^\\s()\\[\\]]+?):(?<line>\\d+):(?<column>\\d+): (?<message>.+)$' }],
    },
    {
      // ...and on its own (yellow in the terminal) a Rollup warning, e.g. "Use of eval … is strongly discouraged"
      severity: 'warning',
      columnBase: 0,
      steps: [{ regexp: ROLLUP_POSITION_LINE }],
    },
    {
      // Vite 8 (Rolldown) code frames: "[PARSE_ERROR] Unexpected token" then "   ╭─[ src/util.js:5:34 ]"
      severity: 'error',
      steps: [
        {
          regexp: '^\\[(?<code>[A-Z_]*ERROR|UNRESOLVED_IMPORT|MISSING_EXPORT|INVALID_[A-Z_]+)\\] (?<message>.+)\\n\\s*╭─\\[ (?<file>.+?):(?<line>\\d+):(?<column>\\d+) \\]$',
          withPrevious: true,
        },
      ],
    },
    {
      // Vite 8 warns of a glob it cannot use and builds on: "[plugin builtin:vite-import-glob] Invalid glob pattern:
      // `pages/*.js` in file 'src/main.js'. Glob patterns must start with:" (the file, no position)
      severity: 'warning',
      steps: [{ regexp: "^\\[plugin (?<code>builtin:vite-import-glob)\\] (?<message>.+ in file '(?<file>[^']+)'.*)$" }],
    },
    {
      // ...with no frame when the line is too long to show (a minified file): "[PARSE_ERROR] Expected `,` or `)` but
      // found `;`" then " - `,` or `)` expected in src/vendor/lib.min.js at 4265..4266" (bytes, not a position)
      severity: 'error',
      steps: [
        {
          regexp: '^\\[(?<code>[A-Z_]*ERROR)\\] (?<message>.+)\\n - .+ in (?<file>\\S+) at \\d+\\.\\.\\d+$',
          withPrevious: true,
        },
      ],
    },
    {
      // ...and under a plugin's name: "[builtin:vite-transform] Expected `,` or `)` but found `}`" (an error)
      severity: 'error',
      steps: [
        {
          regexp: '^\\[(?<code>[a-z][\\w:-]*)\\] (?<message>.+)\\n\\s*╭─\\[ (?<file>.+?):(?<line>\\d+):(?<column>\\d+) \\]$',
          withPrevious: true,
        },
      ],
    },
    {
      // SvelteKit (Vite 8 + vite-plugin-svelte): "[plugin vite-plugin-svelte:compile] /abs/src/routes/+page.svelte:8:14"
      // then "RolldownError: /abs/…/+page.svelte:8:14 Unterminated regular expression" (Svelte's columns from 0)
      severity: 'error',
      columnBase: 0,
      steps: [
        {
          regexp:
            '^\\[plugin (?<code>vite-plugin-svelte[\\w:-]*)\\] (?<file>\\S+?):(?<line>\\d+):(?<column>\\d+)\\n\\w*Error: (?:\\S+:\\d+:\\d+ )?(?<message>.+)$',
          withPrevious: true,
        },
      ],
    },
    {
      // Vite 8 with @vitejs/plugin-vue: "[plugin vite:vue] /abs/src/Hello.vue:18:22" then "RolldownError: Invalid end
      // tag." (Vue's columns count from 1)
      severity: 'error',
      steps: [
        {
          regexp: '^\\[plugin (?<code>vite:vue)\\] (?<file>\\S+?):(?<line>\\d+):(?<column>\\d+)\\n\\w*Error: (?<message>.+)$',
          withPrevious: true,
        },
      ],
    },
    {
      // Vite 8, any other plugin: "[plugin vite:css] /abs/src/app.less:6:16" (columns from 0) or, with no position,
      // "[plugin @tailwindcss/vite:generate:build] /abs/src/style.css"; then "Error: [less] variable @x is undefined"
      // (not Sass's error: the plugin names the entry stylesheet, Sass's own lines below name the file at fault)
      severity: 'error',
      columnBase: 0,
      steps: [
        {
          regexp:
            '^\\[plugin (?<code>[@\\w/:.-]+)\\] (?<file>(?:/|[A-Za-z]:\\\\)\\S*?)(?::(?<line>\\d+):(?<column>\\d+))?\\n\\w*Error: (?!\\[sass\\] )(?<message>.+)$',
          withPrevious: true,
        },
      ],
    },
    {
      // ...the same frame with any other code is a warning ("[EVAL] Use of direct `eval` …"), and so is one whose
      // line starts with the position, 0-based ("vite.config.js (2:18) [UNRESOLVED_IMPORT] Could not resolve …":
      // bundling the config treats the import as external); the frame's position counts from 1
      severity: 'warning',
      steps: [
        {
          regexp:
            '^(?:[^\\s()\\[\\]]+ \\(\\d+:\\d+\\) )?\\[(?<code>[A-Z][A-Z_]+)\\] (?<message>.+)\\n\\s*╭─\\[ (?<file>.+?):(?<line>\\d+):(?<column>\\d+) \\]$',
          withPrevious: true,
        },
      ],
    },
    {
      // Vite 8 loads a config that Node's own loader would not (ESM syntax in a file loaded as CommonJS): "(!) Your
      // Vite config uses features that are unsupported by `configLoader: 'native'`, …" then one "  - " line per
      // feature, its position in parentheses: "  - ESM syntax in a file loaded as CommonJS (vite.config.js:1:1). Use …"
      severity: 'warning',
      steps: [
        { regexp: '^\\(!\\) Your Vite config uses features that are unsupported\\b' },
        { regexp: '^\\s+- (?<message>.+?) \\((?<file>[^\\s()]+):(?<line>\\d+):(?<column>\\d+)\\)', within: 2 },
      ],
    },
    {
      // a module imported both ways, one line with no position: "[INEFFECTIVE_DYNAMIC_IMPORT] src/util.js is
      // dynamically imported by src/main.js but also statically imported by …" (Vite 8), "(!) /abs/src/util.js is …"
      severity: 'warning',
      steps: [
        { regexp: '^(?:\\[INEFFECTIVE_DYNAMIC_IMPORT\\]|\\(!\\)) (?<message>(?<file>\\S+) is dynamically imported by .+)$' },
      ],
    },
    {
      // index.html links a file that is not there: "./src/missing.css doesn't exist at build time, it will remain
      // unchanged to be resolved at runtime" (no warning word, no position; the build succeeds)
      severity: 'warning',
      steps: [{ regexp: "^(?<message>(?<file>\\S+) doesn't exist at build time, it will remain unchanged to be resolved at runtime)$" }],
    },
    {
      // Vite 8 watch: "Failed to parse code in '/abs/src/main.js': …" (no position)
      severity: 'error',
      steps: [{ regexp: "^\\s*Failed to parse code in '(?<file>[^']+)': (?<message>.+)$" }],
    },
    {
      // the dev server cannot load a module that is gone: "[vite] (client) Pre-transform error: Failed to load url
      // /src/util.js (resolved id: /abs/src/util.js) in /abs/src/main.js. Does the file exist?" (the importer, no position)
      severity: 'error',
      steps: [
        {
          regexp:
            '\\[vite\\] (?:\\(\\w+\\) )?(?:Internal server error|Pre-transform error): (?<message>Failed to load url \\S+ \\(resolved id: [^)]*\\) in (?<file>\\S+?)\\. Does the file exist\\?)$',
        },
      ],
    },
    {
      // the dev server: "[vite] Internal server error: …" then "  File: /abs/src/main.js:1:0". That column's base
      // depends on the version and the plugin (import analysis: from 1 in Vite 5/6, from 0 in 7/8; vite:vue, vite:css,
      // vite:esbuild: from 0), so the code frame's caret under the line ("     |    ^") decides when it comes.
      severity: 'error',
      columnBase: 0,
      steps: [
        {
          regexp:
            '\\[vite\\] (?:\\(\\w+\\) )?(?:Internal server error|Pre-transform error|Error when evaluating SSR module \\S+?): (?<message>.+)$',
        },
        // (@vitejs/plugin-react prints Babel's own code frame before "Plugin:" and "File:")
        // a plugin's error with no position names the file alone ("File: /abs/src/style.css", @tailwindcss/vite)
        { regexp: '^\\s*File: (?<file>.+?)(?::(?<line>\\d+):(?<column>\\d+))?$', within: 12 },
        { regexp: '^\\s*\\|  (?<caret> *)\\^', within: 8, optional: true },
      ],
    },
    {
      // vite-plugin-checker in the dev server: " ERROR(TypeScript)  Type 'string' is not …" then
      // " FILE  /abs/src/index.ts:4:35" (TypeScript's positions, from 1); ESLint's are "WARNING(ESLint)"
      severity: 'error',
      steps: [
        { regexp: '^\\s*(?<severity>ERROR|WARNING)\\((?<code>[\\w-]+)\\)\\s+(?<message>\\S.*)$' },
        { regexp: '^\\s*FILE\\s+(?<file>.+?):(?<line>\\d+):(?<column>\\d+)$', within: 2 },
      ],
    },
    {
      // vite-plugin-checker in `vite build` prints tsc's own lines, the first glued to Vite's progress line when it
      // had no newline yet: "transforming (2) src/index.tssrc/index.ts:4:35 - error TS2322: Type …" (the module
      // being transformed ends at its extension)
      severity: 'error',
      steps: [
        {
          regexp:
            '^(?:transforming \\(\\d+\\) \\S+?\\.(?:tsx|ts|jsx|js|mts|cts|mjs|cjs|vue|svelte))?(?<file>[^\\s:][^:]*?):(?<line>\\d+):(?<column>\\d+) - (?<severity>error|warning) (?<code>TS\\d+): (?<message>.+)$',
        },
      ],
    },
    ...SASS_PROBLEMS,
  ],
};
