import type { ToolSpec } from '../types';

/** esbuild: the CLI (one-shot and `--watch`) and the context API with `logLevel: 'info'`. */
export const ESBUILD: ToolSpec = {
  id: 'esbuild',
  name: 'esbuild',
  docs:
    'esbuild 0.19 and later: the CLI (one-shot, `--watch`, `--serve`/`--servedir`) and the JavaScript API (`context().watch()` with ' +
    '`logLevel: "info"`). After a failed build, watch mode still prints "[watch] build finished"; that is not ' +
    'taken as success. In serve mode a bundle served again after an error is the fixed build. esbuild counts ' +
    'columns in UTF-8 bytes; the code frame\'s marker gives the editor\'s column.',
  detect: ['^\\[watch\\] build (?:started|finished)\\b', '^✘ \\[ERROR\\] ', '^▲ \\[WARNING\\] ', '^⚡ Done in \\d'],
  command: '\\besbuild\\b',
  watchCommand: '\\s--(?:watch|serve(?:dir)?)\\b',
  events: {
    buildStart: ['^\\[watch\\] build started\\b'],
    // --serve / --servedir: " > Local:   http://127.0.0.1:8000/"; it builds when a file is asked for, and says so
    // only in its request log: a bundle served (200) after an error is the fixed build (503 while it fails)
    watchReady: ['^\\[watch\\] build finished, watching for changes\\.\\.\\.$', '^ > Local:\\s+https?://'],
    buildError: ['^✘ \\[ERROR\\] ', '^\\d+ errors?$'],
    buildSuccess: [
      '^\\[watch\\] build finished\\b',
      '^⚡ Done in \\d',
      '^ > Local:\\s+https?://',
      '^\\S+ - "GET [^"]*\\.(?:m?js|css)(?:\\?[^"]*)?" 200 \\[',
    ],
  },
  problems: [
    {
      // "✘ [ERROR] Expected ")" but found ";"" then, after a blank line, "    src/index.js:6:46:"
      severity: 'error',
      columnBase: 0,
      steps: [
        { regexp: '^(?<severity>✘|▲) \\[(?:ERROR|WARNING)\\] (?<message>.+?)(?: \\[(?<code>[\\w-]+)\\])?$' },
        { regexp: '^\\s+(?<file>[^\\s:][^:]*):(?<line>\\d+):(?<column>\\d+):$', within: 2 },
        // the printed column counts UTF-8 bytes ("日本" is 6 of them), the frame's marker under the source line counts
        // characters: "        ╵                    ^" (the gutter "      2 │ " is as wide as "        ╵ "), unless a
        // narrow terminal cut the source line ("      3 │ ...).filter(Boolean) +;")
        { regexp: '^\\s*\\d+ │ (?!\\.\\.\\.).*\\n\\s*╵ (?<caret> *)[~^]', within: 2, withPrevious: true, optional: true },
      ],
    },
  ],
};

/**
 * tsup 8 (esbuild underneath): a verdict per output format ("ESM ⚡️ Build success in 18ms", "CJS Build failed"), and
 * esbuild's own error blocks.
 */
export const TSUP: ToolSpec = {
  id: 'tsup',
  name: 'tsup',
  docs:
    'tsup 8: one-shot and `--watch`. Each format (ESM, CJS, IIFE, DTS) prints its own start and verdict; one ' +
    'burst of them is one build. Errors are esbuild\'s.',
  detect: ['^CLI tsup v\\d+\\.\\d+'],
  command: '(?:^|[\\s/])tsup(?=\\s|$)',
  embeds: ['esbuild'],
  watchCommand: '\\s(?:--watch|-w)\\b',
  events: {
    buildStart: ['^(?:CJS|ESM|IIFE|DTS) Build start$'],
    watchReady: ['^CLI Watching for changes\\b'],
    buildError: ['^(?:CJS|ESM|IIFE|DTS) Build failed$'],
    buildSuccess: ['^(?:CJS|ESM|IIFE|DTS) ⚡️ Build success in \\d'],
  },
  problems: ESBUILD.problems,
};

/** tsdown (Rolldown underneath): "ℹ Build start", "✔ Build complete in 49ms", and in watch mode "✔ Rebuilt in 5ms." */
export const TSDOWN: ToolSpec = {
  id: 'tsdown',
  name: 'tsdown',
  docs:
    'tsdown 0.x: one-shot and `--watch` (each change: "ℹ Found … changed, rebuilding..."). Errors are Rolldown\'s, ' +
    'with the position in the frame\'s header (from 1).',
  detect: ['^ℹ tsdown v\\d+\\.\\d+'],
  command: '(?:^|[\\s/])tsdown(?=\\s|$)',
  watchCommand: '\\s(?:--watch|-w)\\b',
  events: {
    buildStart: ['^ℹ Build start$', '^ℹ Found .+ changed, rebuilding\\.\\.\\.$'],
    buildError: ['^\\s*ERROR\\s+Error: Build failed with \\d+ errors?:'],
    buildSuccess: ['^✔ (?:Build complete|Rebuilt) in \\d'],
  },
  problems: [
    {
      // "[PARSE_ERROR] Error: Unexpected token" then "   ╭─[ src/util.ts:2:19 ]"
      severity: 'error',
      steps: [
        {
          regexp: '^\\[(?<code>[A-Z][A-Z_]+)\\] (?:\\w*Error: )?(?<message>.+)\\n\\s*╭─\\[ (?<file>.+?):(?<line>\\d+):(?<column>\\d+) \\]$',
          withPrevious: true,
        },
      ],
    },
  ],
};
