import type { ProblemSpec, ToolSpec } from '../types';

/**
 * Node's own report of an uncaught exception: "Error: boom" (or TypeError…) then the first stack frame
 * "    at Object.<anonymous> (/abs/src/app.js:2:7)". Node ends such a crash with a "Node.js v20.20.2" line.
 */
export const NODE_CRASH_PROBLEM: ProblemSpec = {
  severity: 'error',
  steps: [
    { regexp: '^(?<message>\\w*Error(?:\\[[\\w-]+\\])?: .+)$' },
    // the first frame in the user's code: Node's own frames and packages' are passed over ("Require stack:" too)
    {
      regexp: '^\\s+at (?:.* \\()?(?<file>(?!node:|[^()]*[\\\\/]node_modules[\\\\/])[^()\\s][^()]*?):(?<line>\\d+):(?<column>\\d+)\\)?$',
      within: 12,
    },
  ],
};
export const NODE_CRASH_LINE = '^Node\\.js v\\d+\\.\\d+\\.\\d+$';

/**
 * nodemon 3: restarts a Node program on every change. For a runner the "build" is the (re)start: starting counts
 * as success, "app crashed" (or Node's crash report) as an error.
 */
export const NODEMON: ToolSpec = {
  id: 'nodemon',
  name: 'nodemon',
  docs:
    'nodemon 3: each restart is a rebuild that succeeds when the program starts and fails when it crashes ' +
    '("app crashed", or Node\'s own crash report).',
  detect: ['^\\[nodemon\\] \\d+\\.\\d+\\.\\d+$', '^\\[nodemon\\] (?:starting|restarting due to changes|app crashed)'],
  command: '\\bnodemon\\b',
  watchCommand: '\\S',
  events: {
    rebuildStart: ['^\\[nodemon\\] restarting due to changes'],
    watchReady: ['^\\[nodemon\\] watching path'],
    buildError: ['^\\[nodemon\\] app crashed\\b', NODE_CRASH_LINE],
    buildSuccess: ['^\\[nodemon\\] starting `'],
  },
  problems: [NODE_CRASH_PROBLEM],
};

/**
 * tsx 4 `watch`: reruns a program on every change and prints only "[tsx] change in … Rerunning…" ("Restarting…"
 * when the program was still running; tsx erases it itself in a live terminal). The rerun counts as started; a crash
 * is Node's own report.
 */
export const TSX: ToolSpec = {
  id: 'tsx',
  name: 'tsx',
  docs:
    'tsx 4 `watch`: each "Rerunning…" or "Restarting…" is a rebuild that counts as started; a crash (Node\'s ' +
    'report ending in "Node.js vX") is an error. tsx prints nothing for the first run, so the first verdict comes ' +
    'from the first rerun, a crash, or the idle timeout.',
  detect: ['\\[tsx\\] (?:change in \\S+ )?Re(?:running|starting)\\.\\.\\.'],
  command: '\\btsx\\b',
  watchCommand: '\\btsx\\s+watch\\b',
  events: {
    rebuildStart: ['\\[tsx\\] (?:change in \\S+ )?Re(?:running|starting)\\.\\.\\.'],
    buildError: [NODE_CRASH_LINE],
    buildSuccess: ['\\[tsx\\] (?:change in \\S+ )?Re(?:running|starting)\\.\\.\\.'],
  },
  problems: [NODE_CRASH_PROBLEM],
};
