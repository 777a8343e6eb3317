import type { BuildEventType, Problem, Severity } from './events';
import type { CompiledProblem, CompiledProblemStep, CompiledTool } from './patterns/compile';
import { MAX_MATCH_LENGTH } from './patterns/regex';
import type { PatternRegistry } from './patterns/registry';
import { LiteralSet } from './literalSet';
import { type Entry, EntryKind, type Plan, sharedPlan } from './matchPlan';
import { echoedCommand, RunnerPrefixes, RunnerVerdict } from './runnerPrefix';

/** What the WebAssembly terminal model found of the needles in a line (the JavaScript model searches nothing). */
export const enum Prefiltered {
  /** None of the needles is in the line. */
  Nothing = 0,
  /** A needle is in the line. */
  Found = 1,
  /** No verdict: the line has not been searched. */
  Unknown = 2,
}

export interface MatcherSink {
  event(type: BuildEventType, tool: string, line: string, offset: number): void;
  problem(tool: string, problem: Problem, offset: number): void;
  toolChanged(tool: CompiledTool): void;
  /** npm, pnpm, yarn or bun echoed the script it is about to run ("> vite build --watch"). */
  commandEcho(commandLine: string, tool: CompiledTool | undefined): void;
}

interface PendingProblem {
  problem: CompiledProblem;
  step: number;
  linesLeft: number;
  fields: Partial<Problem>;
  offset: number;
}

/** Lines a problem without a position waits for the same problem with one (see `held`). */
const HOLD_LINES = 10;

/** "./src/a.js" and "/abs/src/a.js" name the same file (a tool may print either for one error). */
export function sameFile(a: string, b: string): boolean {
  const x = a.replace(/^\.\//, '');
  const y = b.replace(/^\.\//, '');
  return x.endsWith(y) || y.endsWith(x);
}

function sameProblem(a: Problem, b: Problem): boolean {
  return a.line === b.line && a.column === b.column && a.file === b.file && a.severity === b.severity && a.message === b.message;
}

/**
 * Problems remembered between two events, compared one by one (past that many, the rest are reported without the
 * check). Not a set of string keys: those lived from event to event, and the promoted strings grew the heap.
 */
const MAX_REMEMBERED_PROBLEMS = 1000;

/** Returned with the event bits when a line switched the tool: the old plan's remaining entries are not tested. */
const SWITCHED = 1 << 30;

/**
 * Matches visible lines against the active tool's patterns. Cheap on the common path: lines in which the
 * WebAssembly terminal model found none of the required literals are not looked at; for the others it says which
 * literals occur (the JavaScript model's lines are scanned here in one pass), and only the patterns needing one run.
 */
export class OutputMatcher {
  private active: CompiledTool;
  private plan: Plan;
  private readonly plans = new Map<CompiledTool, Plan>();
  private pending: PendingProblem | undefined;
  private lineTaken = false;
  /** The tool printed an error verdict since it last printed a start line (see ProblemSpec.severityByVerdict). */
  private failedSinceStart = false;
  /** The needles the terminal model found in the current line (instead of a literal scan), while they apply. */
  private presetNeedles: Uint16Array | undefined;
  private presetStart = 0;
  private presetCount = 0;
  /** The visible line above the current one (from the terminal model, so skipped lines count too). */
  rowAbove: () => string = () => '';
  /** The plan whose needles the terminal model searched the current chunk's rows for. */
  private chunkPlan: Plan | undefined;
  /**
   * A problem that names a file but no line, held back for a few lines: a loader often prints the file first
   * ("ERROR in ./src/a.js") and the same error with its position under it (babel's "SyntaxError: /abs/src/a.js: …
   * (7:49)", ts-loader's "[tsl] ERROR in …(8,9)"); then only the one with the position is reported.
   */
  private held: { tool: string; problem: Problem; offset: number; lines: number } | undefined;
  /**
   * The problems reported since the last event: the same problem again is not reported twice (Vite prints a Sass
   * error three times in one block, Next.js its SWC error two or three times per request, Create React App's and
   * Vue CLI's dev servers each error in their summary and again in webpack's own block).
   */
  private readonly reportedSinceEvent: Problem[] = [];
  /** Per problem with a `header`: what the latest header line named (forgotten when a build starts). */
  private readonly headers = new Map<CompiledProblem, { file?: string; message?: string }>();
  /** Line prefixes of script runners (pnpm -r, turbo), read without. */
  private readonly runners = new RunnerPrefixes();

  constructor(
    private registry: PatternRegistry,
    private readonly sink: MatcherSink,
    private readonly locked: boolean,
    initial?: CompiledTool,
  ) {
    this.active = initial ?? registry.generic;
    this.plan = this.planFor(this.active);
  }

  get tool(): CompiledTool {
    return this.active;
  }

  /** Swaps in new patterns (settings changed) keeping the active tool when it still exists. */
  setRegistry(registry: PatternRegistry): void {
    this.registry = registry;
    this.plans.clear();
    this.headers.clear();
    this.pending = undefined;
    this.active = registry.get(this.active.id) ?? registry.generic;
    this.plan = this.planFor(this.active);
  }

  setTool(tool: CompiledTool): void {
    if (tool === this.active) return;
    this.releaseWaiting();
    this.active = tool;
    this.plan = this.planFor(tool);
    this.pending = undefined;
    this.sink.toolChanged(tool);
  }

  /** The literals the current tool's patterns need, for a prefilter; the next chunk's candidates use them. */
  get needles(): readonly string[] {
    return this.plan.needles;
  }

  /** A line the terminal model found no needle in may be skipped without being read at all. */
  get canSkipLine(): boolean {
    return this.pending === undefined && this.held === undefined && this.plan === this.chunkPlan && this.plan.always.length === 0;
  }

  /** A chunk is about to be assembled with candidates computed from the current plan's needles. */
  beginChunk(): void {
    this.chunkPlan = this.plan;
  }

  /**
   * One visible line. `Prefiltered.Nothing` (the terminal model found none of the needles) skips it, unless a
   * multi-line problem is waiting, some pattern has no literal, or the tool changed since the chunk began. With
   * `Found`, `needles[start, start + count)` are the indexes (in `needles`) of the needles the line holds.
   * `runnerShaped`: the line may be a script runner's echo (the terminal model checks its shape; see runnerPrefix).
   */
  line(
    fullText: string,
    offset: number,
    prefiltered: Prefiltered = Prefiltered.Unknown,
    needles?: Uint16Array,
    start = 0,
    count = 0,
    runnerShaped = true,
  ): void {
    const trusted = this.plan === this.chunkPlan;
    if (this.held !== undefined && ++this.held.lines > HOLD_LINES) this.releaseWaiting();
    if (prefiltered === Prefiltered.Nothing && trusted && this.pending === undefined && this.held === undefined && this.plan.always.length === 0) {
      return;
    }
    this.presetNeedles = trusted && prefiltered !== Prefiltered.Unknown ? needles : undefined;
    this.presetStart = start;
    this.presetCount = prefiltered === Prefiltered.Found ? count : 0;
    let text = fullText.length > MAX_MATCH_LENGTH ? fullText.slice(0, MAX_MATCH_LENGTH) : fullText;
    if (runnerShaped) {
      const command = this.runners.learn(text);
      if (command !== undefined) this.commandEcho(command);
    }
    if (!this.runners.isEmpty) {
      const prefix = this.runners.prefixOf(text);
      if (prefix !== undefined) {
        // turbo prefixes a line again when the tool redraws it with "\r": "app:build: app:build: ✓ 7 modules…"
        text = this.runners.strip(text.slice(prefix.length));
        const verdict = this.runners.verdict(prefix, text);
        if (verdict !== RunnerVerdict.None) {
          this.fireEvent(verdict === RunnerVerdict.Success ? 'build-success' : 'build-error', text, offset);
          return;
        }
      }
    }
    const echoed = echoedCommand(text);
    if (echoed !== undefined) this.commandEcho(echoed);
    // a line that continues a multi-line problem does not start another one
    this.lineTaken = this.pending !== undefined && this.continueProblem(text, offset);
    const plan = this.plan;
    let seen = 0;
    if (plan.always.length > 0) seen = this.run(plan, plan.always, text, offset, seen);
    if ((seen & SWITCHED) !== 0 || plan.gated.length === 0) return;
    // the literal scan in runGated is the gate: a line with none of the literals selects no pattern
    this.runGated(plan, text, offset, seen);
  }

  /** `npm run build` names npm, not the tool; the package manager's echo of the script names the tool. */
  private commandEcho(commandLine: string): void {
    const tool = this.registry.fromCommand(commandLine);
    this.sink.commandEcho(commandLine, tool);
    if (tool && tool !== this.active && !this.locked && !related(this.active, tool)) this.setTool(tool);
  }

  /**
   * End of output: a problem still waiting for its next line is reported with what it has (if it has a file or got
   * past its first line), and so is a held one.
   */
  flush(): void {
    if (this.pending) this.emitPending();
    this.releaseWaiting();
  }

  /** Tests every entry of `entries` (patterns with no literal to gate them). */
  private run(plan: Plan, entries: Entry[], text: string, offset: number, seen: number): number {
    for (let i = 0; i < entries.length; i++) {
      seen = this.apply(entries[i], text, offset, seen);
      if (this.plan !== plan) return seen | SWITCHED;
    }
    return seen;
  }

  /**
   * Tests only the gated entries whose literals the line contains, in plan order: the literals found select the
   * entries through one bit mask per literal, so a line costs its literal scan plus the few patterns it could match
   * (not a check of every pattern of every tool).
   */
  private runGated(plan: Plan, text: string, offset: number, seen: number): number {
    const mask = plan.mask;
    const words = mask.length;
    for (let w = 0; w < words; w++) mask[w] = 0; // one or two words: cheaper than fill()
    const preset = this.presetNeedles;
    if (preset !== undefined && plan === this.chunkPlan) {
      // the terminal model already searched the row for this plan's needles
      const end = this.presetStart + this.presetCount;
      for (let k = this.presetStart; k < end; k++) {
        const m = plan.literalMasks[plan.needleLiterals[preset[k]]];
        for (let w = 0; w < words; w++) mask[w] |= m[w];
      }
    } else {
      const set = plan.literalSet;
      set.scan(text.toLowerCase());
      for (let k = 0; k < set.foundCount; k++) {
        const m = plan.literalMasks[set.found[k]];
        for (let w = 0; w < words; w++) mask[w] |= m[w];
      }
    }
    const entries = plan.gated;
    for (let w = 0; w < words; w++) {
      let bits = mask[w];
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        seen = this.apply(entries[(w << 5) + 31 - Math.clz32(low)], text, offset, seen);
        if (this.plan !== plan) return seen | SWITCHED;
      }
    }
    return seen;
  }

  /** One pattern against the line; `seen` holds the event bits already reported for it. */
  private apply(entry: Entry, text: string, offset: number, seen: number): number {
    switch (entry.kind) {
      case EntryKind.Detect: {
        const tool = entry.tool!;
        if (tool !== this.active && !this.locked && !related(this.active, tool) && entry.re.test(text)) {
          this.setTool(tool);
          // the line that names the tool can also carry its first event ("VITE v8.3.8  ready in 300 ms")
          const next = this.plan;
          if (next.always.length > 0) seen = this.run(next, next.always, text, offset, seen) & ~SWITCHED;
          if (this.plan === next) seen = this.runGated(next, text, offset, seen) & ~SWITCHED;
        }
        return seen;
      }
      case EntryKind.Event: {
        const bit = entry.bit;
        if ((seen & bit) === 0 && entry.re.test(text)) {
          seen |= bit;
          this.fireEvent(entry.pattern!.type, text, offset);
        }
        return seen;
      }
      case EntryKind.Problem:
        if (!this.lineTaken) this.lineTaken = this.startProblem(entry.problem!, text, offset);
        return seen;
      case EntryKind.Header: {
        const groups = entry.re.exec(text)?.groups;
        if (groups !== undefined) this.headers.set(entry.problem!, { file: groups.file?.trim(), message: groups.message?.trim() });
        return seen;
      }
    }
  }

  private fireEvent(type: BuildEventType, text: string, offset: number): void {
    this.releaseWaiting(); // a problem is reported before the verdict of its build
    this.reportedSinceEvent.length = 0;
    if (type === 'build-error') this.failedSinceStart = true;
    else if (type === 'build-start' || type === 'rebuild-start') {
      this.failedSinceStart = false;
      this.headers.clear();
    }
    this.sink.event(type, this.active.id, text, offset);
  }

  /** The visible line above the current one, without a runner's prefix. */
  private above(): string {
    const row = this.rowAbove();
    return this.runners.isEmpty ? row : this.runners.strip(row);
  }

  private startProblem(problem: CompiledProblem, text: string, offset: number): boolean {
    // a problem listed under a header is only one under a header ("src/a.js" alone is not a warning)
    if (problem.header && !this.headers.has(problem)) return false;
    const first = problem.steps[0];
    const m = (first.indexed ?? first.re).exec(first.withPrevious ? `${this.above()}\n${text}` : text);
    if (!m) return false;
    if (this.pending) this.emitPending();
    // severity first: the key order of the finished problem (the CLI prints it as JSON)
    const severity = problem.severityByVerdict ? (this.failedSinceStart ? 'error' : 'warning') : problem.severity;
    const fields: Partial<Problem> = { severity };
    mergeMatch(fields, m, first, problem);
    if (problem.header) {
      const header = this.headers.get(problem);
      if (fields.file === undefined) fields.file = header?.file;
      if (fields.message === undefined && header?.message !== undefined) fields.message = header.message;
    }
    if (problem.steps.length === 1) {
      this.report(finishProblem(fields, problem), offset);
    } else {
      this.pending = { problem, step: 1, linesLeft: problem.steps[1].within, fields, offset };
    }
    return true;
  }

  /** Returns true when the line was part of the pending problem. */
  private continueProblem(text: string, offset: number): boolean {
    const pending = this.pending!;
    const step = pending.problem.steps[pending.step];
    const m = (step.indexed ?? step.re).exec(step.withPrevious ? `${this.above()}\n${text}` : text);
    if (m) {
      mergeMatch(pending.fields, m, step, pending.problem);
      pending.offset = offset;
      pending.step++;
      if (pending.step === pending.problem.steps.length) {
        this.emitPending();
      } else {
        pending.linesLeft = pending.problem.steps[pending.step].within;
      }
      return true;
    }
    if (--pending.linesLeft <= 0) this.emitPending();
    return false;
  }

  private emitPending(): void {
    const pending = this.pending!;
    this.pending = undefined;
    // a first line whose next lines never came ("error during build:", a hint under the real error) says nowhere
    if (pending.step < 2 && pending.fields.file === undefined) return;
    this.report(finishProblem(pending.fields, pending.problem), pending.offset);
  }

  private report(problem: Problem, offset: number): void {
    const held = this.held;
    if (held !== undefined) {
      this.held = undefined;
      // the same error again, now with its position: the first report is dropped
      const same = problem.line !== undefined && problem.file !== undefined && sameFile(held.problem.file!, problem.file);
      if (!same) this.sink.problem(held.tool, held.problem, held.offset);
    }
    const reported = this.reportedSinceEvent;
    for (let i = 0; i < reported.length; i++) if (sameProblem(reported[i], problem)) return;
    if (reported.length < MAX_REMEMBERED_PROBLEMS) reported.push(problem);
    if (problem.file !== undefined && problem.line === undefined) {
      this.held = { tool: this.active.id, problem, offset, lines: 0 };
      return;
    }
    this.sink.problem(this.active.id, problem, offset);
  }

  /** A problem is held, or waits only for an optional line: the end of the burst reports it. */
  get waitsForBurstEnd(): boolean {
    return this.held !== undefined || this.pendingOnlyOptional;
  }

  private get pendingOnlyOptional(): boolean {
    return this.pending !== undefined && this.pending.problem.steps[this.pending.step].optional;
  }

  /**
   * Reports the held problem, if any, and a problem that waits only for an optional line (the engine calls this when
   * a burst of output ends).
   */
  releaseWaiting(): void {
    if (this.pendingOnlyOptional) this.emitPending();
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    this.sink.problem(held.tool, held.problem, held.offset);
  }

  private planFor(tool: CompiledTool): Plan {
    let plan = this.plans.get(tool);
    if (plan) return plan;
    const shared = sharedPlan(this.registry, tool, this.locked);
    // the scratch state is the matcher's own: a listener may feed another engine while this one matches a line
    plan = { ...shared, literalSet: new LiteralSet(shared.literalTexts), mask: new Uint32Array(shared.maskWords) };
    this.plans.set(tool, plan);
    return plan;
  }
}

/**
 * A specialised tool is never left for its base or a sibling (webpack-dev-server's output contains webpack's own
 * lines, "Version: webpack 4.47.0"), nor for a tool whose output it embeds (Next.js prints tsc's errors).
 */
function related(active: CompiledTool, other: CompiledTool): boolean {
  if (active.spec.embeds?.includes(other.id)) return true;
  const base = active.spec.extends;
  return base !== undefined && (other.id === base || other.spec.extends === base);
}

/** Copies a match's groups into the problem's fields, in group order (the order the fields are printed in). */
function mergeMatch(fields: Partial<Problem>, m: RegExpExecArray, step: CompiledProblemStep, problem: CompiledProblem): void {
  const names = step.fields;
  // a code frame's gutter (" 6: ") comes before its caret group: the caret's spaces include its width
  let gutter = 0;
  if (names === undefined) {
    const groups = m.groups;
    if (groups) {
      for (const key in groups) {
        if (key === 'gutter') gutter = groups[key]?.length ?? 0;
        else setField(fields, key, groups[key], problem, gutter);
      }
    }
    return;
  }
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (name === 'gutter') gutter = m[i + 1]?.length ?? 0;
    else if (name !== undefined) setField(fields, name, m[i + 1], problem, gutter);
  }
}

function setField(fields: Partial<Problem>, key: string, value: string | undefined, problem: CompiledProblem, gutter: number): void {
  if (value === undefined) return;
  switch (key) {
    case 'caret':
      // the caret is where the error is, 1-based: finishProblem's shift of printed columns is undone in advance
      fields.column = value.length - gutter + 1 - problem.columnShift;
      break;
    case 'file':
      fields.file = value.trim();
      break;
    case 'line':
    case 'column':
    case 'endLine':
    case 'endColumn': {
      const n = Number.parseInt(value, 10);
      if (Number.isFinite(n)) fields[key] = n;
      break;
    }
    case 'severity':
      fields.severity = normalizeSeverity(value);
      break;
    case 'code':
      fields.code = value;
      break;
    case 'message':
      fields.message = fields.message ? `${fields.message} ${value.trim()}` : value.trim();
      break;
  }
}

function normalizeSeverity(text: string): Severity {
  const t = text.toLowerCase();
  if (t.startsWith('err') || t === 'x' || t === '✘' || t === '×' || t === '⨯') return 'error';
  if (t.startsWith('warn') || t === '⚠' || t === '▲') return 'warning';
  return 'info';
}

const MISSING_FILE = /\bENOENT: no such file or directory, (?:open|stat|lstat) '([^']+)'/;

/** The fields began with the default severity (see startProblem); a problem without a message gets an empty one. */
function finishProblem(fields: Partial<Problem>, problem: CompiledProblem): Problem {
  if (problem.columnShift) {
    if (fields.column !== undefined) fields.column += problem.columnShift;
    if (fields.endColumn !== undefined) fields.endColumn += problem.columnShift;
  }
  if (fields.message === undefined) fields.message = '';
  // Node's "ENOENT: no such file or directory, open '/abs/src/base.css'" (a deleted import) names the file itself
  else if (fields.file === undefined) {
    const missing = MISSING_FILE.exec(fields.message);
    if (missing) fields.file = missing[1];
  }
  return fields as Problem;
}
