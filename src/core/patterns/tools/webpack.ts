import type { ToolSpec } from '../types';
import { BABEL_SYNTAX_ERROR } from './babel';
import { POSTCSS_LOADER_PROBLEM, SASS_PROBLEMS } from './stylesheets';

/**
 * "ERROR in <module>": a path with a slash may hold spaces, unquoted ("ERROR in ./src/my widget.js 3:16"); anything
 * else is one word.
 */
const ERROR_IN_MODULE = '^\\s*(?<severity>ERROR|WARNING) in (?<file>\\.{0,2}/[^()]*?\\S|[^\\s()]+?)';

/** webpack 4 and 5 CLI, with --watch and --progress. webpack-dev-server has its own entry. */
export const WEBPACK: ToolSpec = {
  id: 'webpack',
  name: 'webpack',
  docs:
    'webpack 5 ("compiled successfully / with N errors / with N warnings") and webpack 4 (a stats block that starts ' +
    'with "Hash:" and lists errors after it, so its success waits for the block to end). webpack prints nothing ' +
    'when a rebuild starts; `--progress` lines count as a start. Array configs (an indented block per compiler) ' +
    'are read too, and so are webpack-cli\'s own failures ("[webpack-cli] ✖ …"), fork-ts-checker-webpack-plugin ' +
    '(its errors after "compiled successfully" fail the build), sass-loader and postcss-loader.',
  // an array config prints each compiler's block indented under its name: "  client (webpack 5.1.0) compiled …"
  detect: ['^\\s*(?:\\S+ \\()?webpack \\d+\\.\\d+\\.\\d+\\)? compiled\\b'],
  command: '\\bwebpack(?:-cli)?\\b',
  watchCommand: '\\s(?:--watch|-w)\\b',
  events: {
    buildStart: ['^<s> \\[webpack\\.Progress\\] 0% ', '^\\s*\\d+% (?:compiling|building)\\b'],
    buildError: [
      '^\\s*(?:\\S+ \\()?webpack \\d+\\.\\d+\\.\\d+\\)? compiled with \\d+ errors?\\b',
      // webpack-cli's own failures: a config it cannot load or that fails validation, a plugin that throws (which
      // ends --watch): "[webpack-cli] ✖ TypeError: …" (webpack-cli 6+), "[webpack-cli] Invalid configuration object."
      "^\\[webpack-cli\\] (?:✖ |\\w*Error\\b|Invalid configuration object\\b|Failed to load ')",
      // fork-ts-checker-webpack-plugin checks types after the bundle is written: in --watch its errors and its
      // "Found 1 error in 179 ms." come after "compiled successfully" (the next build, failed)
      '^Found [1-9]\\d* errors? in \\d+ ?ms\\.$',
    ],
    buildSuccess: ['^\\s*(?:\\S+ \\()?webpack \\d+\\.\\d+\\.\\d+\\)? compiled (?:successfully|with \\d+ warnings?)\\b'],
    warning: ['^\\s*WARNING in '],
  },
  problems: [
    {
      // webpack-cli cannot load the config (before any compilation): "[webpack-cli] ✖ Failed to load '/abs/webpack.
      // config.js' config", then Node's error for each loader it tried: "▶ ESM (`import`) failed:", "  /abs/webpack.
      // config.js:6" (a syntax error: a line, no column), the source line, carets, "  SyntaxError: Unexpected …"
      severity: 'error',
      steps: [
        { regexp: "^\\[webpack-cli\\] (?:✖ )?(?<message>Failed to load '(?<file>[^']+)' config)$" },
        { regexp: '^\\s*\\S+:(?<line>\\d+)$', within: 2 },
        { regexp: '^\\s*(?<message>\\w*Error: .+)$', within: 4, optional: true },
      ],
    },
    {
      // fork-ts-checker-webpack-plugin: "ERROR in ./src/index.ts:4:35" then "TS2322: Type …" (TypeScript's
      // positions, from 1)
      severity: 'error',
      steps: [
        { regexp: '^\\s*(?<severity>ERROR|WARNING) in (?<file>\\.{0,2}/?[^\\s():]+):(?<line>\\d+):(?<column>\\d+)$' },
        { regexp: '^\\s*(?<code>TS\\d+): (?<message>.+)$' },
      ],
    },
    {
      severity: 'error',
      columnBase: 0,
      steps: [
        // a module made by a loader names its request too: "ERROR in ./src/a.css (./src/a.css.webpack[javascript/auto]!=!
        // ../node_modules/css-loader/dist/cjs.js!./src/a.css) 6:36-82"
        { regexp: `${ERROR_IN_MODULE}(?: \\([^)]*\\))?(?: (?<line>\\d+):(?<column>\\d+)(?:-\\d+)?)?$` },
        { regexp: '^\\s*(?<message>\\S.*)$' },
      ],
    },
    // babel-loader, under "Module build failed (from …babel-loader…):"; the "ERROR in ./src/a.js" above it names
    // only the file
    BABEL_SYNTAX_ERROR,
    {
      // ts-loader: "[tsl] ERROR in /abs/src/index.ts(3,7)" then "      TS2322: …"
      severity: 'error',
      steps: [
        { regexp: '^\\[tsl\\] (?<severity>ERROR|WARNING) in (?<file>.+?)\\((?<line>\\d+),(?<column>\\d+)\\)$' },
        { regexp: '^\\s+(?<code>TS\\d+): (?<message>.+)$' },
      ],
    },
    ...SASS_PROBLEMS,
    POSTCSS_LOADER_PROBLEM,
  ],
};

/** webpack-dev-server 4/5 (`webpack serve`): webpack's own lines, plus the server's "<i>" lines. */
export const WEBPACK_DEV_SERVER: ToolSpec = {
  ...WEBPACK,
  id: 'webpack-dev-server',
  name: 'webpack-dev-server',
  extends: 'webpack',
  docs:
    'webpack-dev-server 3 to 6 (`webpack serve`): announces the server before the first build is done (6: after ' +
    'its verdict); each recompile after a save is a rebuild. A port already in use ends the run with an error even ' +
    'after a successful compile.',
  detect: ['^<i> \\[webpack-dev-server\\] ', '｢wds｣: Project is running at'],
  command: '\\bwebpack(?:-cli)?\\s+(?:serve|s)\\b|\\bwebpack-dev-server\\b',
  watchCommand: '\\S',
  events: {
    ...WEBPACK.events,
    // webpack-dev-server 3 logs through webpack-dev-middleware: "ℹ ｢wdm｣: Compiling..."
    buildStart: [...(WEBPACK.events.buildStart ?? []), '｢wdm｣: Compiling\\.\\.\\.$'],
    watchReady: ['^<i> \\[webpack-dev-server\\] Project is running at', '｢wds｣: Project is running at'],
    buildError: [...(WEBPACK.events.buildError ?? []), '^<e> \\[webpack-dev-server\\] ', '｢wdm｣: Failed to compile\\.$'],
    buildSuccess: [...(WEBPACK.events.buildSuccess ?? []), '｢wdm｣: Compiled (?:successfully|with warnings)\\.$'],
  },
};

/** webpack 4 prints no verdict line: its stats block is the verdict, and errors come after "Hash:". */
export const WEBPACK4: ToolSpec = {
  ...WEBPACK,
  id: 'webpack4',
  name: 'webpack 4',
  extends: 'webpack',
  docs: WEBPACK.docs,
  // webpack-cli 4 in watch mode says nothing before the first stats block, whose first line is "Hash: <20 hex>"
  // (webpack 5 prints no such line, even with --stats verbose)
  detect: ['^Hash: [0-9a-f]{16,}$', '^Version: webpack 4\\.\\d+', '^webpack is watching the files'],
  command: undefined,
  deferSuccess: true,
  events: {
    ...WEBPACK.events,
    watchReady: ['^webpack is watching the files'],
    buildError: ['^ERROR in '],
    buildSuccess: ['^Hash: [0-9a-f]{8,}$'],
  },
};

/**
 * Rspack 1/2: webpack's CLI shapes ("Rspack compiled successfully in 28 ms", "ERROR in ./src/util.js"), its errors
 * drawn by miette under the file: "  ╰─▶   × JavaScript parse error: Unexpected token ';'" then "╭─[2:18]" (line,
 * and a column from 0).
 */
export const RSPACK: ToolSpec = {
  ...WEBPACK,
  id: 'rspack',
  name: 'Rspack',
  extends: 'webpack',
  docs: 'Rspack 1 and 2: `rspack build` and `--watch`, read as webpack 5 is; its errors name the file, then the position in the code frame.',
  detect: ['^Rspack compiled\\b'],
  command: '(?:^|[\\s/])rspack(?=\\s|$)',
  events: {
    ...WEBPACK.events,
    buildError: [...(WEBPACK.events.buildError ?? []), '^\\s*Rspack compiled with \\d+ errors?\\b'],
    buildSuccess: [...(WEBPACK.events.buildSuccess ?? []), '^\\s*Rspack compiled (?:successfully|with \\d+ warnings?)\\b'],
  },
  problems: [
    {
      severity: 'error',
      columnBase: 0,
      steps: [
        { regexp: `${ERROR_IN_MODULE}$` },
        { regexp: '^\\s*(?:╰─▶\\s+)?× (?<message>\\S.*[^:])$', within: 3 },
        { regexp: '^\\s*╭─\\[(?<line>\\d+):(?<column>\\d+)\\]$', within: 2 },
      ],
    },
    ...(WEBPACK.problems ?? []),
  ],
};
