import type { ToolSpec } from '../types';
import { ROLLUP_POSITION_LINE } from './vite';

/**
 * Astro 5: `astro build` and `astro dev`. Vite runs underneath, but every line goes through Astro's logger, prefixed
 * with the time and a tag ("19:48:49 [vite] ✓ built in 2.25s", "19:49:53 [ERROR] [vite] ✗ Build failed in 1.11s").
 */
export const ASTRO: ToolSpec = {
  id: 'astro',
  name: 'Astro',
  docs:
    'Astro 5: `astro build` ("[build] Complete!") and `astro dev`, whose pages are built when requested: a page ' +
    'served ("[200] /") is a success, "[ERROR] …" an error.',
  detect: ['^\\s*astro\\s+v\\d+\\.\\d+\\.\\d+ ready in\\b', '^\\d{1,2}:\\d\\d:\\d\\d \\[build\\] output: '],
  command: '(?:^|[\\s/])astro(?=\\s|$)',
  embeds: ['vite'],
  watchCommand: '(?:^|[\\s/])astro(?:\\s+dev\\b|\\s*$)',
  events: {
    buildStart: ['\\[build\\] (?:Collecting build info|Building \\w+ entrypoints)\\.\\.\\.$'],
    watchReady: ['^\\s*astro\\s+v\\d+\\.\\d+\\.\\d+ ready in\\b'],
    buildError: ['^\\d{1,2}:\\d\\d:\\d\\d \\[ERROR\\] '],
    buildSuccess: [
      '\\[build\\] Complete!$',
      '^\\s*astro\\s+v\\d+\\.\\d+\\.\\d+ ready in\\b',
      '^\\d{1,2}:\\d\\d:\\d\\d \\[200\\] /',
    ],
  },
  problems: [
    {
      // the build's error in Rollup's words: "src/lib/util.js (5:38): Expected ',', got 'string literal'" (columns
      // from 0), under "[ERROR] [vite] ✗ Build failed in 1.11s"
      severity: 'error',
      columnBase: 0,
      steps: [{ regexp: ROLLUP_POSITION_LINE }],
    },
    {
      // a page that fails when requested (dev): "19:51:01 [ERROR] Expected ")" but found ";"", "  Stack trace:", then
      // "    at /abs/src/pages/index.astro:6:29" (esbuild's column, from 0)
      severity: 'error',
      columnBase: 0,
      steps: [
        { regexp: '^\\d{1,2}:\\d\\d:\\d\\d \\[ERROR\\] (?!\\[vite\\])(?<message>.+)$' },
        { regexp: '^\\s+at (?<file>(?:/|[A-Za-z]:\\\\)[^:()]+):(?<line>\\d+):(?<column>\\d+)$', within: 3 },
      ],
    },
  ],
};
