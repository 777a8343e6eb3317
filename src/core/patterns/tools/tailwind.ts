import type { ToolSpec } from '../types';
import { NODE_CRASH_PROBLEM } from './nodeRunners';

/** Tailwind CSS CLI 3 and 4. */
export const TAILWIND: ToolSpec = {
  id: 'tailwind',
  name: 'Tailwind CSS',
  docs:
    'Tailwind CSS CLI 4 (`@tailwindcss/cli`) and 3 (`tailwindcss`), one-shot and `--watch`. Tailwind 4 prints no ' +
    'rebuild-start line and prints "Done in …" right after its error box; that is not taken as success.',
  detect: ['^≈ tailwindcss v\\d+\\.\\d+', '^Rebuilding\\.\\.\\.$'],
  command: '\\btailwind(?:css)?\\b',
  watchCommand: '\\s(?:-w|--watch)\\b',
  events: {
    buildStart: ['^≈ tailwindcss v\\d+\\.\\d+', '^Rebuilding\\.\\.\\.$'],
    buildError: ['^Error:\\s*$', '^│ \\w*Error: ', '^\\w*Error: (?:tailwindcss: )?\\S+:\\d+:\\d+: '],
    buildSuccess: ['^Done in \\d+(?:\\.\\d+)?(?:ms|µs|s)\\.?$'],
    warning: ['^warn - '],
  },
  problems: [
    {
      // Tailwind 3: "CssSyntaxError: tailwindcss: /abs/src/input.css:10:3: The `x` class does not exist…"
      severity: 'error',
      steps: [{ regexp: '^(?<code>\\w*Error): (?:tailwindcss: )?(?<file>[^\\s:]+):(?<line>\\d+):(?<column>\\d+): (?<message>.+)$' }],
    },
    {
      // Tailwind 4's error box: "Error:", "┌", "│ CssSyntaxError: /abs/in.css:11:1: Missing closing }", "└"
      severity: 'error',
      steps: [
        { regexp: '^Error:\\s*$' },
        { regexp: '^│ (?:\\w*Error: )?(?:(?<file>[^\\s:]+):(?<line>\\d+):(?<column>\\d+): )?(?<message>\\S.*)$', within: 3 },
      ],
    },
    {
      // Tailwind 3 with `-c` naming a file that is not there: "Specified config file /abs/tw.js does not exist." (exit 9)
      severity: 'error',
      steps: [{ regexp: '^(?<message>Specified config file (?<file>.+) does not exist\\.)$' }],
    },
    // last, so the errors above keep their lines: a config that cannot load ("Error: Cannot find module
    // '@tailwindcss/typography'" and Node's stack)
    NODE_CRASH_PROBLEM,
  ],
};
