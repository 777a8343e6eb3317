// What a matcher tests for one active tool (its plan): which patterns each literal selects, and the literals as
// needles for the WebAssembly search. Built once per pattern registry and tool; see OutputMatcher for its use.
import type { BuildEventType } from './events';
import { LiteralSet, lowerAscii } from './literalSet';
import type { CompiledEventPattern, CompiledProblem, CompiledTool } from './patterns/compile';
import { requiredLiterals } from './patterns/regex';
import type { PatternRegistry } from './patterns/registry';

export const enum EntryKind {
  Detect,
  Event,
  Problem,
  /** A line naming the file or message of the problems under it (ProblemSpec.header). */
  Header,
}

/**
 * One pattern a plan tests. Every entry has every field (one object shape), so reading them stays monomorphic on
 * the per-line path; `kind` says which apply. `literals`: ids (in the plan's LiteralSet) of lower-cased texts one of
 * which the line must contain for the regex to be worth running.
 */
export interface Entry {
  kind: EntryKind;
  /** The regex that selects the entry (a detect pattern, an event pattern, or a problem's first step). */
  re: RegExp;
  /** Detect: the tool it names. */
  tool: CompiledTool | undefined;
  /** Event: the pattern and its bit in `seen`. */
  pattern: CompiledEventPattern | undefined;
  bit: number;
  problem: CompiledProblem | undefined;
  literals: number[] | undefined;
}

function newEntry(kind: EntryKind, re: RegExp, fields: Partial<Pick<Entry, 'tool' | 'pattern' | 'bit' | 'problem'>>): Entry {
  return { kind, re, tool: fields.tool, pattern: fields.pattern, bit: fields.bit ?? 0, problem: fields.problem, literals: undefined };
}

/**
 * What to test for one active tool: the literal text its patterns require, and which patterns each literal selects.
 * All but the scratch state is shared by the matchers of one registry (see `sharedPlan`).
 */
export interface Plan {
  gated: Entry[];
  always: Entry[];
  /** The literals, lower-cased and longest first, for the WebAssembly prefilter. */
  needles: string[];
  /** The same literals, found in a line in one pass (entries name them by id). */
  literalSet: LiteralSet;
  /** Per needle (index in `needles`): its literal id. */
  needleLiterals: Int32Array;
  /** Per literal id: a bit mask over `gated` of the entries that literal lets through. */
  literalMasks: Uint32Array[];
  /** Scratch: the union of the masks of the literals found in the current line. */
  mask: Uint32Array;
}

const EVENT_BIT: Record<BuildEventType, number> = {
  'build-start': 1,
  'rebuild-start': 2,
  'build-success': 4,
  'build-error': 8,
  'watch-ready': 16,
  warning: 32,
};

/** What every matcher of one registry computes alike for a tool: built once (engines are made per build). */
interface SharedPlan {
  gated: Entry[];
  always: Entry[];
  needles: string[];
  needleLiterals: Int32Array;
  literalMasks: Uint32Array[];
  literalTexts: string[];
  maskWords: number;
}

const sharedPlans = new WeakMap<PatternRegistry, Map<CompiledTool, SharedPlan>[]>();

export function sharedPlan(registry: PatternRegistry, tool: CompiledTool, locked: boolean): SharedPlan {
  let byLock = sharedPlans.get(registry);
  if (!byLock) sharedPlans.set(registry, (byLock = [new Map(), new Map()]));
  const cache = byLock[locked ? 1 : 0];
  let plan = cache.get(tool);
  if (!plan) cache.set(tool, (plan = buildPlan(registry, tool, locked)));
  return plan;
}

function buildPlan(registry: PatternRegistry, tool: CompiledTool, locked: boolean): SharedPlan {
  const entries: Entry[] = [];
  if (!locked) {
    for (const other of registry.tools) {
      if (other === tool) continue;
      for (const re of other.detect) entries.push(newEntry(EntryKind.Detect, re, { tool: other }));
    }
  }
  for (const pattern of tool.events) entries.push(newEntry(EntryKind.Event, pattern.re, { pattern, bit: EVENT_BIT[pattern.type] }));
  for (const problem of tool.problems) {
    if (problem.header) entries.push(newEntry(EntryKind.Header, problem.header, { problem }));
    entries.push(newEntry(EntryKind.Problem, problem.steps[0].re, { problem }));
  }

  // each distinct literal gets an id in the plan's LiteralSet (lower-cased: it scans lower-cased lines); the
  // terminal model's search gets it as a needle with only its ASCII letters lower-cased (see lowerAscii)
  const literalIds = new Map<string, number>();
  const needleIds = new Map<string, number>();
  const idOf = (literal: string) => {
    const key = literal.toLowerCase();
    const id = literalIds.get(key) ?? literalIds.set(key, literalIds.size).size - 1;
    // a case-insensitive literal was cut to a part without non-ASCII letters that have case (caselessPart), so
    // for both kinds the needle is the literal with its ASCII letters lower-cased
    needleIds.set(lowerAscii(literal), id);
    return id;
  };
  const gated: Entry[] = [];
  const always: Entry[] = [];
  for (const entry of entries) {
    // a pattern over the line above and this one ("…\n…") needs its literal from this line
    const caseless = entry.re.flags.includes('i');
    const lits = requiredLiterals(currentLinePart(entry.re.source, entry))?.map((l) => (caseless ? caselessPart(l) : l));
    // the terminal model's search needs 3 bytes (a shorter literal would turn it off for the whole plan)
    if (lits && lits.every((l) => utf8Length(l) >= 3)) {
      entry.literals = lits.map(idOf);
      gated.push(entry);
    } else {
      always.push(entry);
    }
  }
  const sorted = [...needleIds.keys()].sort((a, b) => b.length - a.length);
  const maskWords = Math.max(1, Math.ceil(gated.length / 32));
  const literalMasks = [...literalIds.keys()].map(() => new Uint32Array(maskWords));
  gated.forEach((entry, index) => {
    for (const id of entry.literals!) literalMasks[id][index >> 5] |= 1 << (index & 31);
  });
  return {
    gated,
    always,
    needles: sorted,
    needleLiterals: Int32Array.from(sorted, (text) => needleIds.get(text)!),
    literalMasks,
    literalTexts: [...literalIds.keys()],
    maskWords,
  };
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4; // a surrogate pair: one four-byte character
      i++;
    } else n += 3;
  }
  return n;
}

/** A letter outside ASCII that has another case ("É", "ü", "Д"): the terminal model compares such bytes exactly. */
const NON_ASCII_CASED = /[^\x00-\x7f](?<=\p{Lu}|\p{Ll}|\p{Lt})/u;

/**
 * Of a case-insensitive pattern's literal, the longest part without letters whose other case is not ASCII (either
 * case of "ü" may be in the line, and the search compares such bytes exactly); "" when none is left (then the
 * pattern is tested on every line).
 */
function caselessPart(literal: string): string {
  if (!NON_ASCII_CASED.test(literal)) return literal;
  const parts = literal.split(NON_ASCII_CASED);
  const longest = parts.reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest.length >= 3 ? longest : '';
}

function currentLinePart(source: string, entry: Entry): string {
  if (entry.kind !== EntryKind.Problem || !entry.problem!.steps[0].withPrevious) return source;
  const at = source.lastIndexOf('\\n');
  return at < 0 ? source : source.slice(at + 2);
}
