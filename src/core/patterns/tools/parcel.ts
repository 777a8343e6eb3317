import type { ToolSpec } from '../types';
import { SASS_PROBLEMS } from './stylesheets';

/** Parcel 2: `parcel build`, `parcel watch`, `parcel serve` (the default command). */
export const PARCEL: ToolSpec = {
  id: 'parcel',
  name: 'Parcel',
  docs:
    'Parcel 2: build, watch and serve. Its spinner redraws the status line with cursor-up; each frame is one ' +
    'repeated start. `parcel serve` repeats "Server running at…" and exits 0 on Ctrl+C. Warnings look like ' +
    'errors (only the colour differs): the ones printed before "🚨 Build failed." are warnings.',
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
      // Parcel's core fails for the build itself, before or after "🚨 Build failed." (a broken .parcelrc prints no
      // verdict at all): "@parcel/core: Failed to parse .parcelrc" then "/abs/.parcelrc:3:3", not indented
      severity: 'error',
      steps: [
        { regexp: '^(?<code>@parcel/core): (?<message>.+)$' },
        { regexp: '^\\s*(?<file>[^\\s:][^:]*?):(?<line>\\d+):(?<column>\\d+)$', within: 5 },
      ],
    },
    {
      // "@parcel/transformer-js: Expression expected" then "  /abs/src/index.js:7:20". A warning looks the same
      // (yellow, not red) and comes while building, with spinner frames between its two lines; errors come after
      // "🚨 Build failed."
      severity: 'error',
      severityByVerdict: true,
      steps: [
        { regexp: '^(?<code>@parcel/(?!transformer-less:)[\\w-]+): (?<message>.+)$' },
        { regexp: '^\\s+(?<file>[^\\s:][^:]*?):(?<line>\\d+):(?<column>\\d+)$', within: 5 },
      ],
    },
    // Less's errors name no file: "@parcel/transformer-less: .rounded-corners is undefined"
    { severity: 'error', steps: [{ regexp: '^(?<code>@parcel/transformer-less): (?<message>.+)$' }] },
    // Sass through @parcel/transformer-sass: its own frame and stack trace give the position
    ...SASS_PROBLEMS,
  ],
};
