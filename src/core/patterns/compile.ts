import type { BuildEventType, Problem, Severity } from '../events';
import { compilePattern, withIndexedCaptures } from './regex';
import type { EventKey, ProblemSpec, ToolSpec } from './types';

export const EVENT_TYPE_OF: Record<EventKey, BuildEventType> = {
  buildStart: 'build-start',
  rebuildStart: 'rebuild-start',
  buildSuccess: 'build-success',
  buildError: 'build-error',
  watchReady: 'watch-ready',
  warning: 'warning',
};

/**
 * The order in which one line's events are reported. Watch-ready comes before the verdicts so that a line such as
 * "Found 0 errors. Watching for file changes." moves a build straight to WatchModeActive without passing Ready.
 */
export const EVENT_ORDER: readonly EventKey[] = [
  'buildStart',
  'rebuildStart',
  'watchReady',
  'buildError',
  'buildSuccess',
  'warning',
];

export interface CompiledEventPattern {
  type: BuildEventType;
  re: RegExp;
  source: string;
}

/** The problem's fields, and `caret` and `gutter` (see ProblemStep), which set the column. */
export type ProblemField = keyof Problem | 'caret' | 'gutter';

const PROBLEM_FIELDS: ReadonlySet<string> = new Set<ProblemField>(['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message', 'caret', 'gutter']);

export interface CompiledProblemStep {
  /** The pattern as written (its source is what the literal prefilter reads). */
  re: RegExp;
  /** The same pattern with plain groups, run instead of `re` when it exists: see `withIndexedCaptures`. */
  indexed?: RegExp;
  /** With `indexed`: the field each capture group fills, by group number - 1 (undefined: none). */
  fields?: (ProblemField | undefined)[];
  within: number;
  withPrevious: boolean;
  optional: boolean;
}

export interface CompiledProblem {
  severity: Severity;
  /** Added to printed columns so every reported column is 1-based. */
  columnShift: number;
  severityByVerdict: boolean;
  header?: RegExp;
  steps: CompiledProblemStep[];
}

export interface CompiledTool {
  readonly id: string;
  readonly name: string;
  readonly spec: ToolSpec;
  readonly detect: RegExp[];
  readonly command?: RegExp;
  readonly watchCommand?: RegExp;
  readonly silentSuccess: boolean;
  readonly deferSuccess: boolean;
  /** Sorted by EVENT_ORDER. */
  readonly events: CompiledEventPattern[];
  readonly problems: CompiledProblem[];
}

/** Compiles a spec that is known to be valid (the built-in database, or overrides already validated). */
export function compileTool(spec: ToolSpec): CompiledTool {
  const events: CompiledEventPattern[] = [];
  for (const key of EVENT_ORDER) {
    for (const source of spec.events[key] ?? []) {
      events.push({ type: EVENT_TYPE_OF[key], re: compilePattern(source), source });
    }
  }
  return {
    id: spec.id,
    name: spec.name,
    spec,
    detect: spec.detect.map(compilePattern),
    command: spec.command ? compilePattern(spec.command) : undefined,
    watchCommand: spec.watchCommand ? compilePattern(spec.watchCommand) : undefined,
    silentSuccess: spec.silentSuccess === true,
    deferSuccess: spec.deferSuccess === true,
    events,
    problems: (spec.problems ?? []).map(compileProblem),
  };
}

function compileProblem(spec: ProblemSpec): CompiledProblem {
  return {
    severity: spec.severity,
    columnShift: spec.columnBase === 0 ? 1 : 0,
    severityByVerdict: spec.severityByVerdict === true,
    header: spec.header === undefined ? undefined : compilePattern(spec.header),
    steps: spec.steps.map((s) => {
      const re = compilePattern(s.regexp);
      const indexed = withIndexedCaptures(re);
      return {
        re,
        indexed: indexed?.re,
        fields: indexed?.names.map((name) => (PROBLEM_FIELDS.has(name) ? (name as ProblemField) : undefined)),
        within: Math.max(1, s.within ?? 1),
        withPrevious: s.withPrevious === true,
        optional: s.optional === true,
      };
    }),
  };
}
