import type { ToolSpec } from '../types';

/** esbuild: the CLI (one-shot and `--watch`) and the context API with `logLevel: 'info'`. */
export const ESBUILD: ToolSpec = {
  id: 'esbuild',
  name: 'esbuild',
  docs:
    'esbuild CLI and the JavaScript API (`context().watch()` with `logLevel: "info"`). After a failed build, watch ' +
    'mode still prints "[watch] build finished"; that is not taken as success.',
  detect: ['^\\[watch\\] build (?:started|finished)\\b', '^✘ \\[ERROR\\] ', '^▲ \\[WARNING\\] ', '^⚡ Done in \\d'],
  command: '\\besbuild\\b',
  watchCommand: '\\s--watch\\b',
  events: {
    buildStart: ['^\\[watch\\] build started\\b'],
    watchReady: ['^\\[watch\\] build finished, watching for changes\\.\\.\\.$'],
    buildError: ['^✘ \\[ERROR\\] ', '^\\d+ errors?$'],
    buildSuccess: ['^\\[watch\\] build finished\\b', '^⚡ Done in \\d'],
  },
  problems: [
    {
      // "✘ [ERROR] Expected ")" but found ";"" then, after a blank line, "    src/index.js:6:46:"
      severity: 'error',
      columnBase: 0,
      steps: [
        { regexp: '^(?<severity>✘|▲) \\[(?:ERROR|WARNING)\\] (?<message>.+?)(?: \\[(?<code>[\\w-]+)\\])?$' },
        { regexp: '^\\s+(?<file>[^\\s:][^:]*):(?<line>\\d+):(?<column>\\d+):$', within: 2 },
      ],
    },
  ],
};
