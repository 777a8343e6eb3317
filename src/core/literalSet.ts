/**
 * Which of a fixed list of literals a text contains, found in one pass over the text: literals are bucketed by
 * their first two UTF-16 units, so each position costs one table look-up instead of one `includes` per literal per
 * pattern (the matcher's cost on every line the prefilter lets through). Equivalent to `text.includes(literal)`
 * for each literal; written by hand because no library offers multi-literal search on JavaScript strings.
 */
const BUCKETS = 1024;

export class LiteralSet {
  /** First literal id of each bucket, -1 for none; `next` chains literals in the same bucket. */
  private readonly heads = new Int32Array(BUCKETS).fill(-1);
  private readonly next: Int32Array;
  /** Literals one unit long (no pair to bucket them by), tested with `includes`. */
  private readonly single: number[] = [];
  /** `seen[id] === stamp` when the text last scanned contains literal `id`: no clearing per text. */
  private readonly seen: Uint32Array;
  private stamp = 0;
  /** Ids of the literals the last scanned text contains, in the order found (`foundCount` of them). */
  readonly found: Int32Array;
  foundCount = 0;

  constructor(private readonly literals: readonly string[]) {
    this.next = new Int32Array(literals.length).fill(-1);
    this.seen = new Uint32Array(literals.length);
    this.found = new Int32Array(literals.length);
    literals.forEach((literal, id) => {
      if (literal.length < 2) {
        this.single.push(id);
        return;
      }
      const h = bucket(literal.charCodeAt(0), literal.charCodeAt(1));
      this.next[id] = this.heads[h];
      this.heads[h] = id;
    });
  }

  /** Marks the literals `text` contains; `has` answers for this text until the next call. */
  scan(text: string): void {
    // a new stamp forgets the last text; on wrap-around the marks are cleared once
    this.stamp = (this.stamp + 1) >>> 0;
    if (this.stamp === 0) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const { heads, next, seen, literals, stamp, found } = this;
    let count = 0;
    for (const id of this.single) {
      if (text.includes(literals[id])) {
        seen[id] = stamp;
        found[count++] = id;
      }
    }
    const n = text.length;
    let c1 = n > 0 ? text.charCodeAt(0) : 0;
    for (let i = 0; i + 1 < n; i++) {
      const c0 = c1;
      c1 = text.charCodeAt(i + 1);
      for (let id = heads[bucket(c0, c1)]; id >= 0; id = next[id]) {
        if (seen[id] !== stamp && text.startsWith(literals[id], i)) {
          seen[id] = stamp;
          found[count++] = id;
        }
      }
    }
    this.foundCount = count;
  }

  has(id: number): boolean {
    return this.seen[id] === this.stamp;
  }
}

function bucket(c0: number, c1: number): number {
  return (Math.imul(c0, 31) ^ c1) & (BUCKETS - 1);
}

/**
 * A needle as the terminal model's search takes it: it compares ASCII letters in either case and every other byte
 * exactly, so only ASCII letters are lower-cased.
 */
export function lowerAscii(text: string): string {
  return text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
