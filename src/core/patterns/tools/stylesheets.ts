import type { ProblemSpec } from '../types';

/**
 * Sass (dart-sass, through Vite's vite:css or webpack's sass-loader): the position is in Sass's stack trace, the
 * first line after the code frame: "  src/styles/main.scss 8:19  root stylesheet" (from 1).
 */
const SASS_TRACE = '^\\s*(?<file>[^\\s:]+\\.(?:scss|sass|css)) (?<line>\\d+):(?<column>\\d+) {2}\\S';

/** Sass diagnostics, for the bundlers that print them. */
export const SASS_PROBLEMS: ProblemSpec[] = [
  {
    // "Deprecation Warning [import]: Sass @import rules are deprecated …" (Vite), "Deprecation Warning on line 0,
    // column 8 of file:///abs/main.scss:0:8:" with the message on the next line (sass-loader, whose own position
    // counts from 0): the trace line after the frame decides
    severity: 'warning',
    steps: [
      { regexp: '^(?:Deprecation )?Warning(?: \\[[\\w-]+\\]| on line \\d+, column \\d+ of \\S+)?:(?: (?<message>.+))?$' },
      { regexp: SASS_TRACE, within: 10 },
    ],
  },
  {
    // an error: its message on the line above the frame's top ("╷"), "Error: [sass] expected ";"." in Vite (which
    // prints the block three times), "expected ";"." under webpack's "Module build failed (from …sass-loader…):"
    severity: 'error',
    steps: [
      {
        regexp: '^(?!(?:Deprecation )?Warning\\b|More info\\b)(?:Error: )?(?:\\[sass\\] )?(?<message>\\S.*)\\n\\s*╷$',
        withPrevious: true,
      },
      { regexp: SASS_TRACE, within: 12 },
    ],
  },
];

/**
 * postcss-loader (webpack): "SyntaxError" on its own line, then "(8:3) /abs/src/styles.css Unknown word color" (from
 * 1). The first line is the anchor: ".css " alone would send every asset line of a build to the regex.
 */
export const POSTCSS_LOADER_PROBLEM: ProblemSpec = {
  severity: 'error',
  steps: [
    { regexp: '^(?:Css)?SyntaxError$' },
    {
      regexp: '^\\((?<line>\\d+):(?<column>\\d+)\\) (?<file>\\S.*?\\.(?:css|pcss|postcss|sss|scss|sass|less)) (?<message>.+)$',
      within: 2,
    },
  ],
};
