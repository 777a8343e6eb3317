/** Longest line text a pattern is run against; longer lines are cut so one line costs bounded time. */
export const MAX_MATCH_LENGTH = 2048;

export interface ParsedPattern {
  source: string;
  flags: string;
}

/** `"/src/flags"` → source and flags; anything else is a plain, case-sensitive source. */
export function parsePatternSource(text: string): ParsedPattern {
  const m = /^\/(.+)\/([a-z]*)$/s.exec(text);
  if (m) return { source: m[1], flags: m[2] };
  return { source: text, flags: '' };
}

export class PatternError extends Error {
  constructor(
    message: string,
    readonly pattern: string,
  ) {
    super(message);
  }
}

/**
 * Compiles a pattern string, refusing flags that change matching semantics across lines and patterns whose nested
 * quantifiers can take exponential time (e.g. `(a+)+$`): JavaScript regexes cannot be interrupted, so a bad user
 * pattern must be refused before it ever runs.
 */
export function compilePattern(text: string): RegExp {
  const { source, flags } = parsePatternSource(text);
  if (/[^isu]/.test(flags)) throw new PatternError(`unsupported flag(s) "${flags}" (allowed: i, s, u)`, text);
  let re: RegExp;
  try {
    re = new RegExp(source, flags);
  } catch (e) {
    throw new PatternError((e as Error).message, text);
  }
  if (hasNestedUnboundedRepetition(source)) {
    throw new PatternError('nested repetition can take exponential time on long lines; simplify the pattern', text);
  }
  if (re.test('')) throw new PatternError('matches an empty line, so it would match every line', text);
  return re;
}

/**
 * True when a group repeated without bound (`*`, `+`, `{n,}`) contains another unbounded repetition, the shape of
 * every catastrophic-backtracking pattern (`(a+)+`, `(\\w*\\s?)*`). Optional and bounded quantifiers (`?`, `{1,3}`)
 * do not count, so ordinary patterns such as `(?:\\.\\d+)?` pass — unlike star-height checkers that count them.
 */
export function hasNestedUnboundedRepetition(source: string): boolean {
  const stack: boolean[] = [false]; // per open group: does it contain an unbounded repetition?
  let lastGroupInner: boolean | undefined; // set right after ')' until the next atom
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
      lastGroupInner = undefined;
      continue;
    }
    if (ch === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      lastGroupInner = undefined;
      continue;
    }
    if (ch === '(') {
      stack.push(false);
      lastGroupInner = undefined;
      continue;
    }
    if (ch === ')') {
      const inner = stack.length > 1 ? stack.pop()! : false;
      if (inner) stack[stack.length - 1] = true;
      lastGroupInner = inner;
      continue;
    }
    const unbounded = ch === '*' || ch === '+' || (ch === '{' && /^\{\d+,\}/.test(source.slice(i)));
    if (unbounded) {
      if (lastGroupInner) return true;
      stack[stack.length - 1] = true;
    }
    if (ch === '{') {
      const close = source.indexOf('}', i);
      if (close > 0) i = close;
    }
    if (ch === '*' || ch === '+' || ch === '?' || ch === '{') {
      if (source[i + 1] === '?') i++; // lazy
      lastGroupInner = undefined;
      continue;
    }
    lastGroupInner = undefined;
  }
  return false;
}

const SPECIAL = new Set(['(', ')', '[', ']', '{', '}', '?', '*', '+', '.', '^', '$', '|', '\\']);

/**
 * Literal texts of which at least one must appear in any line the pattern matches (one per top-level alternative),
 * used to build a cheap prefilter. Returns undefined when some alternative has no usable literal: such a pattern is
 * tested against every line. Conservative: only text outside groups and classes counts.
 */
export function requiredLiterals(source: string): string[] | undefined {
  const alternatives: string[] = [];
  let depth = 0;
  let inClass = false;
  let best = '';
  let run = '';
  const endRun = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (inClass) {
      if (ch === '\\') i++;
      else if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '\\') {
      const next = source[i + 1];
      i++;
      if (next !== undefined && depth === 0 && /[^A-Za-z0-9]/.test(next) && !optionalAfter(source, i + 1)) {
        run += next;
      } else {
        endRun();
        i += escapeArgumentLength(source, i);
      }
      continue;
    }
    if (ch === '[') {
      endRun();
      inClass = true;
      continue;
    }
    if (ch === '(') {
      endRun();
      depth++;
      continue;
    }
    if (ch === ')') {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (ch === '|' && depth === 0) {
      endRun();
      if (best.length === 0) return undefined;
      alternatives.push(best);
      best = '';
      continue;
    }
    if (depth > 0) continue;
    if (SPECIAL.has(ch)) {
      // a quantifier makes the previous character optional or repeated: drop it from the run
      if ((ch === '?' || ch === '*' || ch === '{') && run.length > 0) run = run.slice(0, -1);
      endRun();
      if (ch === '{') {
        const close = source.indexOf('}', i);
        if (close > 0) i = close;
      }
      continue;
    }
    if (optionalAfter(source, i + 1)) {
      endRun();
      continue;
    }
    run += ch;
  }
  endRun();
  if (best.length === 0) return undefined;
  alternatives.push(best);
  return alternatives;
}

/** How many characters after the escape letter at `i` belong to it: \uXXXX, \u{…}, \xHH, \cX, \p{…}, \k<…>. */
function escapeArgumentLength(source: string, i: number): number {
  const letter = source[i];
  const rest = source.slice(i + 1);
  const braced = /^\{[^}]*\}/.exec(rest) ?? /^<[^>]*>/.exec(rest);
  if ((letter === 'u' || letter === 'p' || letter === 'P') && braced && braced[0][0] === '{') return braced[0].length;
  if (letter === 'k' && braced && braced[0][0] === '<') return braced[0].length;
  if (letter === 'u') return /^[0-9A-Fa-f]{4}/.test(rest) ? 4 : 0;
  if (letter === 'x') return /^[0-9A-Fa-f]{2}/.test(rest) ? 2 : 0;
  if (letter === 'c') return /^[A-Za-z]/.test(rest) ? 1 : 0;
  return 0;
}

function optionalAfter(source: string, index: number): boolean {
  const next = source[index];
  return next === '?' || next === '*' || (next === '{' && /^\{0\s*[,}]/.test(source.slice(index)));
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
