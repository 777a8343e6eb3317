/**
 * Which of the row search's 8 buckets each needle goes in (see the block filter in assembly/terminal.ts).
 *
 * The filter lets a text position through when, for some bucket, each of its last four bytes has a low and a high
 * nibble that some needle of that bucket has at that place. A bucket of needles with many different nibbles lets
 * much ordinary text through (each position let through costs a hash check). Grouping the needles by last byte
 * alone puts every needle that ends in a space in one bucket, which then passes most "xy " in the text. So the
 * needles are placed to keep the expected share of positions let through low, estimated with a fixed model
 * of terminal text (below): needles grouped by last byte and spread over the buckets by count, then single moves
 * kept while they lower the estimate. On the recorded fixtures this halves the positions let through.
 */

const BUCKETS = 8;
const POSITIONS = 4;
const MAX_MOVED = 128;

/**
 * A rough model of the bytes of build output, by class: spaces, lower-case letters (at English letter
 * frequencies), some capitals, digits, common punctuation, a little UTF-8. Only the order of magnitude matters.
 */
const FREQUENCY: Float64Array = (() => {
  const f = new Float64Array(256);
  const letters = 'etaoinshrdlcumwfgypbvkjxqz';
  const weights = [127, 91, 82, 75, 70, 67, 63, 61, 60, 43, 40, 28, 28, 24, 24, 22, 20, 20, 19, 15, 10, 8, 1.5, 1.5, 1, 0.7];
  const letterTotal = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < letters.length; i++) {
    f[letters.charCodeAt(i)] = (0.55 * weights[i]) / letterTotal;
    f[letters.charCodeAt(i) - 0x20] = (0.04 * weights[i]) / letterTotal;
  }
  f[0x20] = 0.16;
  for (let d = 0x30; d <= 0x39; d++) f[d] = 0.006;
  const common = './:-()[]';
  const rare = '\'"=_,;>|@+*!?{}<~#$%&^`\\';
  for (const c of common) f[c.charCodeAt(0)] = 0.07 / common.length;
  for (const c of rare) f[c.charCodeAt(0)] = 0.03 / rare.length;
  for (let c = 0x80; c < 0xc0; c++) f[c] = 0.014 / 64;
  for (const c of [0xc2, 0xc3, 0xe2, 0xf0]) f[c] = 0.0015;
  return f;
})();

/** Per needle and position (fourth-last to last byte): the low and high nibbles it puts in the tables. */
interface NeedleMasks {
  lo: number[];
  hi: number[];
}

function masksOf(needle: Uint8Array): NeedleMasks {
  const lo: number[] = [];
  const hi: number[] = [];
  for (let p = 0; p < POSITIONS; p++) {
    const at = needle.length - POSITIONS + p;
    if (at < 0) {
      // a 3-byte needle: any fourth-last byte
      lo.push(0xffff);
      hi.push(0xffff);
      continue;
    }
    const c = needle[at];
    lo.push(1 << (c & 15));
    // the search is case-insensitive: a letter's capital has a high nibble 2 less
    hi.push((1 << (c >> 4)) | (c >= 0x61 && c <= 0x7a ? 1 << ((c >> 4) - 2) : 0));
  }
  return { lo, hi };
}

/** The share of text positions a bucket lets through, for the union of its needles' masks. */
function passRate(members: number[], masks: NeedleMasks[]): number {
  if (members.length === 0) return 0;
  let rate = 1;
  for (let p = 0; p < POSITIONS; p++) {
    let lo = 0;
    let hi = 0;
    for (const n of members) {
      lo |= masks[n].lo[p];
      hi |= masks[n].hi[p];
    }
    let share = 0;
    for (let h = 0; h < 16; h++) {
      if ((hi & (1 << h)) === 0) continue;
      for (let l = 0; l < 16; l++) if ((lo & (1 << l)) !== 0) share += FREQUENCY[(h << 4) | l];
    }
    rate *= share;
  }
  return rate;
}

/** One bucket (0–7) per needle. Needles are lower-case UTF-8, at least 3 bytes long. */
export function assignBuckets(needles: readonly Uint8Array[]): Uint8Array {
  const masks = needles.map(masksOf);
  const bucketOf = new Uint8Array(needles.length);
  const members: number[][] = Array.from({ length: BUCKETS }, () => []);
  // start: needles grouped by last byte, the largest groups first, each to the bucket with the fewest needles
  const groups = new Map<number, number[]>();
  needles.forEach((needle, n) => {
    const last = needle[needle.length - 1];
    const group = groups.get(last);
    if (group) group.push(n);
    else groups.set(last, [n]);
  });
  for (const group of [...groups.values()].sort((a, b) => b.length - a.length)) {
    let target = 0;
    for (let b = 1; b < BUCKETS; b++) if (members[b].length < members[target].length) target = b;
    for (const n of group) {
      bucketOf[n] = target;
      members[target].push(n);
    }
  }
  // then single moves while they lower the estimated share of positions let through (few rounds: it settles fast).
  // A list this is done for once per process costs 1-8 ms for the built-in tools; past MAX_MOVED needles (user
  // patterns by the hundred) the start is kept, so that loading one never stalls the output for long.
  if (needles.length > MAX_MOVED) return bucketOf;
  const rates = members.map((m) => passRate(m, masks));
  const through = () => 1 - rates.reduce((none, r) => none * (1 - r), 1);
  let best = through();
  for (let round = 0; round < 3; round++) {
    let moved = false;
    for (let n = 0; n < needles.length; n++) {
      const from = bucketOf[n];
      const without = members[from].filter((x) => x !== n);
      const fromRate = passRate(without, masks);
      for (let to = 0; to < BUCKETS; to++) {
        if (to === from) continue;
        const toRate = passRate([...members[to], n], masks);
        const saved = [rates[from], rates[to]];
        rates[from] = fromRate;
        rates[to] = toRate;
        const estimate = through();
        if (estimate < best - 1e-12) {
          best = estimate;
          members[from] = without;
          members[to].push(n);
          bucketOf[n] = to;
          moved = true;
          break;
        }
        rates[from] = saved[0];
        rates[to] = saved[1];
      }
    }
    if (!moved) break;
  }
  return bucketOf;
}
