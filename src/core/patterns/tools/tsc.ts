import type { ProblemSpec, ToolSpec } from '../types';
import { TSC_LOCALIZED } from './tscLocales';

/**
 * tsc and tsc -b, TypeScript 5.x and 7.x. The system locale changes only the time prefix ("[2:55:23 AM]",
 * "[02:56:34]", "2:22:12 AM - "), so no pattern depends on it; `--locale <lang>` translates the watch-mode lines
 * (TSC_LOCALIZED, from TypeScript's own translations), while problems keep "error TS2322:".
 */
/** "src/a.ts:4:7 - error TS2322: …" (pretty, the default on a terminal); Next.js 16 prints its type check so too. */
export const TSC_PRETTY_PROBLEM: ProblemSpec = {
  severity: 'error',
  steps: [{ regexp: '^(?<file>[^\\s:(][^:(]*?):(?<line>\\d+):(?<column>\\d+) - (?<severity>error|warning|message) (?<code>TS\\d+): (?<message>.+)$' }],
};

/** "src/a.ts(4,7): error TS2322: …" (`--pretty false`, and a pipe). */
export const TSC_PLAIN_PROBLEM: ProblemSpec = {
  severity: 'error',
  steps: [{ regexp: '^(?<file>[^\\s:(][^(]*?)\\((?<line>\\d+),(?<column>\\d+)\\): (?<severity>error|warning|message) (?<code>TS\\d+): (?<message>.+)$' }],
};

export const TSC: ToolSpec = {
  id: 'tsc',
  name: 'TypeScript',
  docs:
    'tsc and tsc -b (TypeScript 5.x, and 7.x native), one-shot and `--watch`, pretty or not, with any system ' +
    'locale\'s time format and `--locale` in the 13 languages TypeScript ships. A one-shot success prints nothing: ' +
    'the exit code decides.',
  detect: [
    'Starting compilation in watch mode\\.\\.\\.$',
    'File change detected\\. Starting incremental compilation\\.\\.\\.$',
    TSC_LOCALIZED.buildStart,
    '\\s- error TS\\d+: ',
    '\\): error TS\\d+: ',
  ],
  command: '\\b(?:tsc|tsgo)\\b',
  watchCommand: '\\s(?:-w|--watch)\\b',
  silentSuccess: true,
  events: {
    buildStart: [
      'Starting compilation in watch mode\\.\\.\\.$',
      'File change detected\\. Starting incremental compilation\\.\\.\\.$',
      TSC_LOCALIZED.buildStart,
    ],
    watchReady: ['Watching for file changes\\.$', TSC_LOCALIZED.watchReady],
    buildError: ['\\bFound [1-9]\\d* errors?\\b', TSC_LOCALIZED.buildError],
    buildSuccess: ['\\bFound 0 errors\\b', TSC_LOCALIZED.buildSuccess],
  },
  problems: [TSC_PRETTY_PROBLEM, TSC_PLAIN_PROBLEM],
};
