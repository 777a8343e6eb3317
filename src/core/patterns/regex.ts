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

/** Most strings a literal set may hold before it is no longer worth using. */
const MAX_LITERAL_SET = 16;

/**
 * Literal texts of which at least one must appear in any line the pattern matches, used to build a cheap
 * prefilter. Returns undefined when no usable literal exists: such a pattern is tested against every line.
 *
 * Reads the pattern at its top level as a sequence of literal characters and groups whose alternatives are all
 * literal (`(ERROR|WARNING) in ` gives "ERROR in " and "WARNING in "); anything else (classes, `.`, escapes such as
 * `\d`, optional or repeated parts) ends a sequence. Of all sequences, the one whose shortest string is longest
 * wins; a required group of alternatives competes with the literals of its alternatives. A top-level alternation
 * needs literals from every alternative.
 */
export function requiredLiterals(source: string): string[] | undefined {
  const alternatives = splitTopLevel(source);
  if (alternatives.length > 1) {
    const all: string[] = [];
    for (const alternative of alternatives) {
      const lits = requiredLiterals(alternative);
      if (!lits) return undefined;
      all.push(...lits);
    }
    return all.length > 0 ? all : undefined;
  }
  let best: string[] | undefined;
  let current: string[] = [''];
  const score = (set: string[]) => Math.min(...set.map((x) => x.length));
  const endSequence = () => {
    if (current.some((x) => x.length > 0) && (!best || score(current) > score(best))) best = current;
    current = [''];
  };
  const append = (texts: string[]) => {
    const next: string[] = [];
    for (const a of current) for (const b of texts) next.push(a + b);
    if (next.length > MAX_LITERAL_SET) {
      endSequence();
      return;
    }
    current = next;
  };
  const transparentCloses: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '^' || ch === '$') continue; // zero-width
    if (ch === ')' && transparentCloses[transparentCloses.length - 1] === i) {
      transparentCloses.pop();
      continue;
    }
    if (ch === '\\') {
      const next = source[i + 1];
      if (next === 'b' || next === 'B') {
        i++;
        continue; // zero-width
      }
      const argLength = escapeArgumentLength(source, i + 1);
      const literal = next !== undefined && /[^A-Za-z0-9]/.test(next);
      const afterEscape = i + 2 + argLength;
      if (literal && !quantified(source, afterEscape)) append([next]);
      else {
        if (literal && repeatedAtLeastOnce(source, afterEscape)) append([next]);
        endSequence();
      }
      i = afterEscape - 1;
      i = skipQuantifier(source, i + 1) - 1;
      continue;
    }
    if (ch === '(') {
      const close = matchingParen(source, i);
      if (close < 0) return best;
      const body = source.slice(i + 1, close);
      const group = literalGroup(body);
      const after = close + 1;
      const prefix = /^\?(?::|<[A-Za-z_$][\w$]*>)/.exec(body)?.[0] ?? (body.startsWith('?') ? undefined : '');
      if (!group && prefix !== undefined && !quantified(source, after) && splitTopLevel(body).length === 1) {
        // a plain group such as (?<code>\w*Error): read its contents as part of the sequence
        transparentCloses.push(close);
        i += prefix.length;
        continue;
      }
      if (group && !quantified(source, after)) append(group);
      else {
        if (group && repeatedAtLeastOnce(source, after)) append(group);
        endSequence();
        // a required group of alternatives that are not all plain text ("(?:\w*Error|Type error)"): the literals
        // of its alternatives are a candidate of their own
        if (!group && prefix !== undefined && (!quantified(source, after) || repeatedAtLeastOnce(source, after))) {
          const inner = requiredLiterals(body.slice(prefix.length));
          if (inner && inner.length <= MAX_LITERAL_SET && (!best || score(inner) > score(best))) best = inner;
        }
      }
      i = skipQuantifier(source, after) - 1;
      continue;
    }
    if (ch === '[') {
      endSequence();
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      i = skipQuantifier(source, i + 1) - 1;
      continue;
    }
    if (ch === '.' || ch === '|' || ch === ')' || ch === '{' || ch === '?' || ch === '*' || ch === '+') {
      endSequence();
      i = skipQuantifier(source, i + 1) - 1;
      continue;
    }
    if (!quantified(source, i + 1)) append([ch]);
    else {
      if (repeatedAtLeastOnce(source, i + 1)) append([ch]);
      endSequence();
      i = skipQuantifier(source, i + 1) - 1;
    }
  }
  endSequence();
  return best;
}

/** The alternatives of a group body if every one is plain literal text, else undefined. */
function literalGroup(body: string): string[] | undefined {
  let inner = body;
  if (inner.startsWith('?:')) inner = inner.slice(2);
  else if (/^\?<[A-Za-z_$][\w$]*>/.test(inner)) inner = inner.slice(inner.indexOf('>') + 1);
  else if (inner.startsWith('?')) return undefined; // lookaround: zero-width, not text
  const out: string[] = [];
  for (const alternative of splitTopLevel(inner)) {
    let text = '';
    for (let i = 0; i < alternative.length; i++) {
      const ch = alternative[i];
      if (ch === '\\') {
        const next = alternative[i + 1];
        if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined;
        text += next;
        i++;
      } else if ('()[]{}?*+.^$|'.includes(ch)) {
        return undefined;
      } else {
        text += ch;
      }
      if (quantified(alternative, i + 1)) return undefined;
    }
    if (text.length === 0) return undefined;
    out.push(text);
  }
  return out.length > 0 ? out : undefined;
}

/** Splits at `|` outside groups and classes. */
function splitTopLevel(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (ch === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
    } else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

function matchingParen(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (ch === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** A quantifier follows at `index`. */
function quantified(source: string, index: number): boolean {
  const next = source[index];
  return next === '?' || next === '*' || next === '+' || (next === '{' && /^\{\d+(?:,\d*)?\}/.test(source.slice(index)));
}

/** The quantifier at `index` requires at least one occurrence (`+`, `{n,…}` with n ≥ 1). */
function repeatedAtLeastOnce(source: string, index: number): boolean {
  const next = source[index];
  if (next === '+') return true;
  const m = /^\{(\d+)/.exec(source.slice(index));
  return next === '{' && m !== null && Number(m[1]) >= 1;
}

/** Index just past a quantifier (and its lazy `?`) at `index`, or `index` when there is none. */
function skipQuantifier(source: string, index: number): number {
  let i = index;
  const next = source[i];
  if (next === '?' || next === '*' || next === '+') i++;
  else if (next === '{') {
    const m = /^\{\d+(?:,\d*)?\}/.exec(source.slice(i));
    if (!m) return i;
    i += m[0].length;
  } else return i;
  if (source[i] === '?') i++;
  return i;
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

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A regex whose named groups were made plain, and the name of each capture group in order ('' for unnamed). */
export interface IndexedCaptures {
  re: RegExp;
  names: string[];
}

/**
 * Rewrites `(?<name>…)` as a plain group (and `\k<name>` as a numbered back-reference) so a match reads its fields
 * from the result array by index. Why: V8 builds a dictionary-mode `groups` object on every match of a pattern with
 * named groups, which cost more than the match itself on problem lines. Undefined when the pattern has no named
 * group or the rewrite does not compile (the caller then reads `groups`).
 */
export function withIndexedCaptures(re: RegExp): IndexedCaptures | undefined {
  const source = re.source;
  const names = captureNames(source);
  if (names.every((n) => n === '')) return undefined;
  let out = '';
  let from = 0;
  forEachToken(source, (i) => {
    if (isNamedGroup(source, i)) {
      const end = source.indexOf('>', i + 3);
      out += source.slice(from, i) + '(';
      from = end + 1;
      return end;
    }
    if (source[i] === '\\' && source[i + 1] === 'k' && source[i + 2] === '<') {
      const end = source.indexOf('>', i + 3);
      out += `${source.slice(from, i)}(?:\\${names.indexOf(source.slice(i + 3, end)) + 1})`;
      from = end + 1;
      return end;
    }
    return i;
  });
  out += source.slice(from);
  try {
    return { re: new RegExp(out, re.flags), names };
  } catch {
    return undefined;
  }
}

/** The name of each capture group of a regex source, in order ('' for an unnamed one): group n is `names[n - 1]`. */
export function captureNames(source: string): string[] {
  const names: string[] = [];
  forEachToken(source, (i) => {
    if (source[i] === '(' && source[i + 1] !== '?') names.push('');
    else if (isNamedGroup(source, i)) names.push(source.slice(i + 3, source.indexOf('>', i + 3)));
    return i;
  });
  return names;
}

function isNamedGroup(source: string, i: number): boolean {
  return source[i] === '(' && source[i + 1] === '?' && source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!';
}

/**
 * Calls `visit(i)` for each token of a regex source outside character classes: `(`, an escape (at its backslash)
 * or any other character. `visit` returns the index of the token's last character.
 */
function forEachToken(source: string, visit: (i: number) => number): void {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (inClass) {
      if (ch === '\\') i++;
      else if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      continue;
    }
    const last = visit(i);
    i = ch === '\\' && last === i ? i + 1 : last;
  }
}
