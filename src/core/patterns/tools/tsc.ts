import type { ToolSpec } from '../types';

/**
 * tsc and tsc -b, TypeScript 5.x and 7.x. Messages stay English in every locale; only the time prefix changes
 * ("[2:55:23 AM]", "[02:56:34]", "2:22:12 AM - "), so no pattern depends on it.
 */
export const TSC: ToolSpec = {
  id: 'tsc',
  name: 'TypeScript',
  docs:
    'tsc and tsc -b (TypeScript 5.x, and 7.x native), one-shot and `--watch`, pretty or not, in any locale. A ' +
    'one-shot success prints nothing: the exit code decides.',
  detect: [
    'Starting compilation in watch mode\\.\\.\\.$',
    'File change detected\\. Starting incremental compilation\\.\\.\\.$',
    '\\s- error TS\\d+: ',
    '\\): error TS\\d+: ',
  ],
  command: '\\b(?:tsc|tsgo)\\b',
  watchCommand: '\\s(?:-w|--watch)\\b',
  silentSuccess: true,
  events: {
    buildStart: ['Starting compilation in watch mode\\.\\.\\.$', 'File change detected\\. Starting incremental compilation\\.\\.\\.$'],
    watchReady: ['Watching for file changes\\.$'],
    buildError: ['\\bFound [1-9]\\d* errors?\\b'],
    buildSuccess: ['\\bFound 0 errors\\b'],
  },
  problems: [
    {
      severity: 'error',
      steps: [{ regexp: '^(?<file>[^\\s:(][^:(]*?):(?<line>\\d+):(?<column>\\d+) - (?<severity>error|warning|message) (?<code>TS\\d+): (?<message>.+)$' }],
    },
    {
      severity: 'error',
      steps: [{ regexp: '^(?<file>[^\\s:(][^(]*?)\\((?<line>\\d+),(?<column>\\d+)\\): (?<severity>error|warning|message) (?<code>TS\\d+): (?<message>.+)$' }],
    },
  ],
};
