import type { ToolSpec } from '../types';

/** Parcel 2: `parcel build`, `parcel watch`, `parcel serve` (the default command). */
export const PARCEL: ToolSpec = {
  id: 'parcel',
  name: 'Parcel',
  docs:
    'Parcel 2: build, watch and serve. Its spinner redraws the status line with cursor-up; each frame is one ' +
    'repeated start. `parcel serve` repeats "Server running at…" and exits 0 on Ctrl+C.',
  detect: ['^✨ Built in \\d', '^🚨 Build failed\\.$', '^Server running at https?://', '^@parcel/[\\w-]+: '],
  command: '\\bparcel\\b',
  watchCommand: '\\bparcel(?:\\s+(?:watch|serve)\\b|(?!\\s+build\\b)(?:\\s|$))',
  events: {
    buildStart: ['^\\S (?:Building|Bundling|Packaging|Optimizing|Resolving|Transforming) \\S.*\\.\\.\\.$'],
    watchReady: ['^Server running at https?://', '^Watching for changes'],
    buildError: ['^🚨 Build failed\\.$'],
    buildSuccess: ['^✨ Built in \\d+(?:\\.\\d+)?m?s$'],
    warning: ['^⚠️ '],
  },
  problems: [
    {
      // "@parcel/transformer-js: Expression expected" then "  /abs/src/index.js:7:20" 
      severity: 'error',
      steps: [
        { regexp: '^(?<code>@parcel/[\\w-]+): (?<message>.+)$' },
        { regexp: '^\\s+(?<file>[^\\s:][^:]*?):(?<line>\\d+):(?<column>\\d+)$', within: 2 },
      ],
    },
  ],
};
