import type { ProblemStep, ToolSpec } from '../types';

/**
 * The last step of a problem drawn by miette (SWC, Next.js's SWC errors): the snippet's underline under its source
 * line marks the column, " 2 │   const sum = a + ;" over "   ·                   ─" (NO_COLOR draws " 2 | …" over
 * "   :    ^"); the header above gives only where the snippet starts.
 */
export const MIETTE_UNDERLINE: ProblemStep = {
  regexp: '^ *(?<line>\\d+) [│|] .*\\n *[·:] (?<caret> *)[─┬╰▲^]',
  withPrevious: true,
  within: 12,
  optional: true,
};

/** @swc/cli 0.x with @swc/core 1.x: `swc src -d lib` and `--watch`. */
export const SWC: ToolSpec = {
  id: 'swc',
  name: 'SWC',
  docs:
    '@swc/cli with @swc/core 1: `swc src -d lib` and `--watch`. A one-shot build prints "Successfully compiled" for ' +
    'the files that did compile after an error, which is not taken as success; the position comes from the ' +
    'snippet\'s underline.',
  detect: ['^Successfully compiled:? .+ with swc\\b', '^Failed to compile \\d+ files? with swc\\b'],
  command: '(?:^|[\\s/])swc(?=\\s|$)',
  watchCommand: '\\s(?:--watch|-w)\\b',
  events: {
    watchReady: ['^Watching for file changes\\.$'],
    // the snippet's header ("   ╭─[src/util.js:2:1]", "   ,-[…]" under NO_COLOR) marks an error
    buildError: ['^Failed to compile \\d+ files? with swc\\b', '^\\s*(?:╭─|,-)\\[[^\\]]+:\\d+:\\d+\\]$'],
    buildSuccess: ['^Successfully compiled:? .+ with swc\\b'],
  },
  problems: [
    {
      // "  × Expression expected" then "   ╭─[src/util.js:2:1]" (NO_COLOR: "  x …", "   ,-[…]"), then the snippet
      severity: 'error',
      steps: [
        {
          regexp: '^\\s*[×x] (?<message>\\S.*)\\n\\s*(?:╭─|,-)\\[(?<file>.+?):(?<line>\\d+):(?<column>\\d+)\\]$',
          withPrevious: true,
        },
        MIETTE_UNDERLINE,
      ],
    },
  ],
};
