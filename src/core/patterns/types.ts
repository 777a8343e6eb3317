/**
 * The pattern database's source format. Plain data (JSON-compatible) because the same objects generate the
 * contributed VS Code problem matchers and the docs, and users extend them from settings.
 *
 * A pattern is a regex source string matched against one visible line (escape codes removed). Write it as
 * `"/source/flags"` to pass flags (only `i`, `s`, `u`); otherwise it is case-sensitive.
 */
export type PatternSource = string;

export type EventKey = 'buildStart' | 'rebuildStart' | 'buildSuccess' | 'buildError' | 'watchReady' | 'warning';

export const EVENT_KEYS: readonly EventKey[] = [
  'buildStart',
  'rebuildStart',
  'buildSuccess',
  'buildError',
  'watchReady',
  'warning',
];

/**
 * One line of a (possibly multi-line) problem. Named groups carry the fields:
 * `file`, `line`, `column`, `endLine`, `endColumn`, `severity`, `code`, `message`; and `caret`, the spaces before a
 * code frame's `^` under the source text, whose count + 1 is the column, whatever base the tool prints it in (less
 * the width of a `gutter` group before it: the frame's " 6: " in front of the source text).
 */
export interface ProblemStep {
  regexp: PatternSource;
  /** For steps after the first: how many visible lines may pass before this one must match (default 1). */
  within?: number;
  /** Match against the previous visible line and this one, joined by "\n" (a code frame's caret under its line). */
  withPrevious?: boolean;
  /**
   * A last step that only refines the problem (a code frame's caret): when it does not come within its window, or
   * the burst of output ends first, the problem is reported without it.
   */
  optional?: boolean;
}

export interface ProblemSpec {
  /** Used when the pattern captures no severity. */
  severity: 'error' | 'warning';
  /** The tool prints 0-based columns (Rollup, webpack, esbuild); they are reported 1-based. Default 1. */
  columnBase?: 0 | 1;
  /**
   * The tool prints warnings and errors alike (Parcel: only the colour differs): one printed before its build's
   * error verdict is a warning, one after it an error.
   */
  severityByVerdict?: boolean;
  /**
   * A line that names the file or the message of the problems listed under it, with a `file` and / or `message`
   * group (ESLint's format, in Next.js: "./app/page.tsx" then "5:7  Warning: …  rule"; Rollup's "(!) Use of eval is
   * strongly discouraged" over each file it found it in): a problem that captures no file, or no message, takes the
   * latest header's. Such a problem starts only after a header (in the same build).
   */
  header?: PatternSource;
  steps: ProblemStep[];
}

export interface ToolSpec {
  id: string;
  name: string;
  /** Output lines that identify the tool (a banner, a characteristic verdict). */
  detect: PatternSource[];
  /** Matched against the command line (`npx vite build`), so a tool is known before it prints anything. */
  command?: PatternSource;
  /** Matched against the command line: the tool was started in watch / serve / dev mode. */
  watchCommand?: PatternSource;
  /** A one-shot success prints nothing at all (tsc): the end of the process decides. */
  silentSuccess?: boolean;
  /** The success line comes before the errors of the same build (webpack 4): wait for the burst to end. */
  deferSuccess?: boolean;
  events: Partial<Record<EventKey, PatternSource[]>>;
  problems?: ProblemSpec[];
  /** The id of the tool this one specialises (webpack-dev-server runs webpack): output of the base never switches back to it. */
  extends?: string;
  /** Tools whose lines this tool's output contains (Next.js prints tsc's errors): they never take over. */
  embeds?: string[];
  /** One or two sentences for the docs: versions and modes covered, quirks handled. */
  docs: string;
}
