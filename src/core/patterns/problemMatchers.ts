import { captureNames, parsePatternSource } from './regex';
import type { EventKey, PatternSource, ProblemSpec, ToolSpec } from './types';

/**
 * VS Code problem matchers (`contributes.problemMatchers`) generated from the pattern database, for tasks.json users:
 * `$kirby-<tool>` for one-shot tasks and `$kirby-<tool>-watch` for background tasks. VS Code's matchers are less
 * expressive than Kirby's engine, so each holds what can be said faithfully and the rest is left out:
 * - one problem pattern per matcher: the tool's first one that can be written for VS Code (not one that joins a
 *   line with the one above, not one with regex flags, which VS Code does not take);
 * - VS Code's lines must follow each other, so a step that may come up to N lines later is written as exactly N
 *   lines later (esbuild's location after one blank line: what the tools print);
 * - named groups become group numbers; columns are as the tool prints them (VS Code has no column base, so for
 *   the tools that count from 0 the marker sits one character early).
 * `npm run build` regenerates package.json's list; a unit test fails when the two drift apart.
 */
export interface VsCodeProblemPattern {
  regexp: string;
  file?: number;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity?: number;
  code?: number;
  message?: number;
}

export interface VsCodeProblemMatcher {
  name: string;
  label: string;
  owner: string;
  source: string;
  fileLocation: [string, string];
  severity: 'error' | 'warning';
  pattern: VsCodeProblemPattern | VsCodeProblemPattern[];
  background?: { activeBegin: boolean; beginsPattern: string; endsPattern: string };
}

/** Lines a `kirby` task prints (dimmed, "[Kirby] " first) when a build starts and gets its verdict. */
export const TASK_MARKERS = { started: 'build started', finished: 'build finished' } as const;

/**
 * `$kirby-watch`: for `kirby` background tasks. Kirby's own state machine decides when a build starts and ends, for
 * any tool, and says so in the terminal; this matcher only passes that on to VS Code. VS Code requires a pattern in
 * every matcher, but problems reach the Problems panel from Kirby itself: this pattern names a line Kirby never prints.
 */
const KIRBY_TASK_MATCHERS: VsCodeProblemMatcher[] = [
  {
    name: 'kirby-watch',
    label: 'Kirby: build start and end, as Kirby sees them (background kirby tasks)',
    owner: 'kirby',
    source: 'Kirby',
    fileLocation: ['autoDetect', '${cwd}'],
    severity: 'error',
    pattern: { regexp: '^\\[Kirby\\] problem (.+):(\\d+):(\\d+): (.+)$', file: 1, line: 2, column: 3, message: 4 },
    background: {
      activeBegin: true,
      beginsPattern: `^\\[Kirby\\] ${TASK_MARKERS.started}$`,
      endsPattern: `^\\[Kirby\\] ${TASK_MARKERS.finished}: `,
    },
  },
];

const FIELDS = ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message'] as const;
const BEGIN_KEYS: readonly EventKey[] = ['buildStart', 'rebuildStart'];
const END_KEYS: readonly EventKey[] = ['buildSuccess', 'buildError', 'watchReady'];

export function toProblemMatchers(specs: readonly ToolSpec[]): VsCodeProblemMatcher[] {
  const out: VsCodeProblemMatcher[] = [...KIRBY_TASK_MATCHERS];
  for (const spec of specs) {
    const problem = spec.problems?.find(expressible);
    if (!problem) continue;
    // a VS Code pattern list has no optional line: the problem is matched without it
    const required = problem.steps.filter((s) => !s.optional);
    const steps = required.flatMap((s, i) => [...gap(i === 0 ? 1 : (s.within ?? 1)), toPattern(s.regexp)]);
    const base: VsCodeProblemMatcher = {
      name: `kirby-${spec.id}`,
      label: `Kirby: ${spec.name} problems`,
      owner: 'kirby',
      source: spec.name,
      fileLocation: ['autoDetect', '${cwd}'],
      severity: problem.severity,
      pattern: steps.length === 1 ? steps[0] : steps,
    };
    out.push(base);
    const begins = alternation(BEGIN_KEYS.flatMap((k) => spec.events[k] ?? []));
    const ends = alternation(END_KEYS.flatMap((k) => spec.events[k] ?? []));
    if (begins && ends) {
      out.push({
        ...base,
        name: `kirby-${spec.id}-watch`,
        label: `Kirby: ${spec.name} problems (watch mode)`,
        background: { activeBegin: true, beginsPattern: begins, endsPattern: ends },
      });
    }
  }
  return out;
}

/** Lines that pass between two steps: anything. */
function gap(within: number): VsCodeProblemPattern[] {
  return Array.from({ length: within - 1 }, () => ({ regexp: '^.*$' }));
}

/** No line joined with the one above, no flags, and a message somewhere: what a VS Code pattern can say. */
function expressible(problem: ProblemSpec): boolean {
  // optional steps are left out of the VS Code pattern (see toProblemMatchers)
  const required = problem.steps.filter((s) => !s.optional);
  if (problem.header || required.some((s) => s.withPrevious || parsePatternSource(s.regexp).flags)) return false;
  return required.some((s) => groupNumbers(parsePatternSource(s.regexp).source).has('message'));
}

function toPattern(regexp: PatternSource): VsCodeProblemPattern {
  const { source } = parsePatternSource(regexp);
  const groups = groupNumbers(source);
  const pattern: VsCodeProblemPattern = { regexp: source };
  for (const field of FIELDS) {
    const index = groups.get(field);
    if (index !== undefined) pattern[field] = index;
  }
  return pattern;
}

/** Event patterns joined into one regex; their group names are dropped (a name may not repeat in one regex). */
function alternation(sources: readonly PatternSource[]): string | undefined {
  const parts = sources.map(parsePatternSource).filter((p) => !p.flags).map((p) => `(?:${p.source.replace(/\(\?<(?![=!])[\w$]+>/g, '(')})`);
  return parts.length > 0 ? parts.join('|') : undefined;
}

/**
 * The number of each named group, counting every capturing group from the left as RegExp does. A small scan, not
 * a regex: escapes and character classes must not be mistaken for groups.
 */
export function groupNumbers(source: string): Map<string, number> {
  const numbers = new Map<string, number>();
  captureNames(source).forEach((name, index) => {
    if (name !== '') numbers.set(name, index + 1);
  });
  return numbers;
}
