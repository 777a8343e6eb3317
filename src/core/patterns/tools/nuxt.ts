import type { ToolSpec } from '../types';

/**
 * Nuxt 4 (nuxi): `nuxi build` and `nuxi dev`. Vite runs underneath, behind Nuxt's logger: "ℹ ✓ built in 2.87s",
 * a time at the right edge of most lines, and a frame ("┌ │ ● ■ └") around the build.
 */
export const NUXT: ToolSpec = {
  id: 'nuxt',
  name: 'Nuxt',
  docs:
    'Nuxt 4: `nuxi build` ("└  ✨ Build complete!") and `nuxi dev`, whose pages are rendered when requested: an HMR ' +
    'update is a success, a request error an error. Its positions count columns from 0.',
  detect: ['^[●◇]\\s+Nuxt \\d+\\.\\d+\\.\\d+ \\(with Nitro\\b', '^┌\\s+Building Nuxt for production\\.\\.\\.'],
  command: '(?:^|[\\s/])(?:nuxi|nuxt)(?=\\s|$)',
  embeds: ['vite'],
  watchCommand: '(?:^|[\\s/])(?:nuxi|nuxt)\\s+dev\\b',
  events: {
    buildStart: ['^┌\\s+Building Nuxt for production\\.\\.\\.'],
    watchReady: ['^\\s*➜ Local:\\s+https?://'],
    buildError: ['^\\s*ERROR\\s+(?:✗ Build failed\\b|\\[request error\\])', '^■\\s+Nuxt build error: '],
    buildSuccess: [
      '^└\\s+✨ Build complete!',
      '^✔ Nuxt Nitro server built in \\d',
      '^✔ Vite (?:client|server) hmr \\d+ files? in \\d',
    ],
  },
  problems: [
    {
      // the build: "■  Nuxt build error: Error: [vite:esbuild] Transform failed with 1 error:" then, in the frame,
      // "│  /abs/app/utils/util.ts:5:38: ERROR: Expected "]" but found "'gamma'"" (esbuild's columns, from 0)
      severity: 'error',
      columnBase: 0,
      steps: [
        {
          regexp: '^│\\s+(?<file>[^\\s:][^:]*?):(?<line>\\d+):(?<column>\\d+): (?<severity>ERROR|WARNING): (?<message>.+)$',
        },
      ],
    },
    {
      // dev, a request that fails: "ℹ Error: /components/Greeting.vue — Unexpected token, expected "," (3:48)" (the
      // path from the source folder, app/; Babel's columns, from 0)
      severity: 'error',
      columnBase: 0,
      steps: [{ regexp: '^ℹ Error: (?<file>/\\S+) — (?<message>.+) \\((?<line>\\d+):(?<column>\\d+)\\)\\s*$' }],
    },
  ],
};
