import type { ToolSpec } from '../types';
import { NODE_CRASH_LINE, NODE_CRASH_PROBLEM } from './nodeRunners';

/**
 * The fallback for tools Kirby does not know. Deliberately narrow: a bare "error" anywhere in a line is not a verdict
 * ("Found 0 errors", error-handler.ts), so only whole-line verdict phrases count.
 */
export const GENERIC: ToolSpec = {
  id: 'generic',
  name: 'Build',
  docs: 'Any other tool: only whole-line verdicts ("Build failed", "compiled successfully", "watching for file changes") count, and the exit code decides the rest.',
  detect: [],
  events: {
    buildStart: ['/^\\s*(?:building|compiling|bundling)\\b.*\\.\\.\\.\\s*$/i'],
    buildSuccess: [
      '/^\\s*(?:✓|✔|√)?\\s*(?:build|compilation|bundle|bundling) (?:succeeded|successful|successfully|finished|complete|completed|done)\\b/i',
      '/\\bcompiled successfully\\b/i',
    ],
    buildError: [
      '/^\\s*(?:✗|✘|×|✖|x)?\\s*(?:build|compilation|compile) (?:failed|error)\\b/i',
      '/^\\s*failed to compile\\b/i',
      '/^npm (?:ERR!|error) (?:code|Lifecycle|\\S+@\\S+ \\S+:)/',
      NODE_CRASH_LINE,
    ],
    watchReady: ['/\\bwatching for (?:file )?changes\\b/i'],
    warning: ['/^\\s*(?:⚠|▲|\\(!\\))\\s|^\\s*warn(?:ing)?:/i'],
  },
  problems: [
    NODE_CRASH_PROBLEM,
    {
      severity: 'error',
      steps: [
        {
          regexp:
            '^(?<file>[^\\s:()]+\\.[A-Za-z]{1,6})[:(](?<line>\\d+)[:,](?<column>\\d+)\\)?:?\\s+-?\\s*(?<severity>error|warning)\\b:?\\s*(?<message>.*)$',
        },
      ],
    },
  ],
};
