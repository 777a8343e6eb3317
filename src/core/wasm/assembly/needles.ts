// AssemblyScript (see terminal.ts): the needle search. Each emitted row is searched for the needles (the literal
// text the active tool's patterns require), ASCII case-insensitively: a block filter over the last four bytes of
// every position, 16 positions at a time, then a hash of the last four bytes, then a byte-by-byte check.
import {
  BITS3, BITS4, FOUND, FOUND_PER_ROW, HEAD3, HEAD4, HI0, HI1, HI2, HI3, LO0, LO1, LO2, LO3, MAX_FOUND, NBUCKET, NBYTES,
  NEXT, NLEN, NOFF, SEEN,
} from './layout';

let needleCount: i32 = 0;
let hasShortNeedles: bool = false;
/** Whether rows are searched (needles are loaded). */
export let searching: bool = false;
/** Counts rows searched; SEEN holds, per needle, the stamp of the last row it was found in. */
let stamp: u32 = 0;
const LOW_NIBBLE: v128 = i8x16.splat(0x0f);

@inline function hash(value: u32): u32 {
  return (value * 2654435761) >>> 20; // 12 bits
}

@inline function needleKey(end: usize, len: i32): u32 {
  // as checkEnd reads the text: the last four bytes as a little-endian word (the last three, shifted, for short ones)
  let key: u32 = 0;
  for (let k = 1; k <= 4; k++) key = (key << 8) | (k <= len ? <u32>load<u8>(end - <usize>k) : 0);
  return len < 4 ? key >> 8 : key;
}

/**
 * Empties the index of the needles still in NBYTES/NOFF/NLEN, before the caller writes new ones: only the buckets
 * they used are cleared (a tool switch costs its needles, not a 16 KB fill). SEEN is left: stamps only grow.
 */
export function clearIndex(): void {
  for (let n = 0; n < needleCount; n++) {
    const len = <i32>load<u8>(NLEN + <usize>n);
    const h = <usize>hash(needleKey(NBYTES + <usize>load<u16>(NOFF + (<usize>n << 1)) + <usize>len, len));
    store<u16>((len >= 4 ? HEAD4 : HEAD3) + (h << 1), 0);
    store<u8>((len >= 4 ? BITS4 : BITS3) + (h >> 3), 0);
  }
  memory.fill(LO1, 0, 0x80);
  needleCount = 0;
  searching = false;
}

/** Builds the index over needles written to NBYTES/NOFF/NLEN after clearIndex(); count 0 leaves the search off. */
export function buildIndex(count: i32): void {
  hasShortNeedles = false;
  needleCount = count;
  searching = count > 0;
  for (let n = 0; n < count; n++) {
    const len = <i32>load<u8>(NLEN + <usize>n);
    const end = NBYTES + <usize>load<u16>(NOFF + (<usize>n << 1)) + <usize>len;
    const h = <usize>hash(needleKey(end, len));
    const head = (len >= 4 ? HEAD4 : HEAD3) + (h << 1);
    store<u16>(NEXT + (<usize>n << 1), load<u16>(head));
    store<u16>(head, <u16>(n + 1));
    const bits = (len >= 4 ? BITS4 : BITS3) + (h >> 3);
    store<u8>(bits, load<u8>(bits) | <u8>(1 << <u8>(h & 7)));
    if (len < 4) hasShortNeedles = true;
    const bucket = <u8>(1 << (load<u8>(NBUCKET + <usize>n) & 7));
    if (len >= 4) {
      addNibbles(LO0, HI0, load<u8>(end - 4), bucket);
    } else {
      for (let k: usize = 0; k < 16; k++) {
        store<u8>(LO0 + k, load<u8>(LO0 + k) | bucket);
        store<u8>(HI0 + k, load<u8>(HI0 + k) | bucket);
      }
    }
    addNibbles(LO1, HI1, load<u8>(end - 3), bucket);
    addNibbles(LO2, HI2, load<u8>(end - 2), bucket);
    addNibbles(LO3, HI3, load<u8>(end - 1), bucket);
  }
}

/** Needles are lower-case; a letter is also found as its capital, whose high nibble is 2 less (0x6_ -> 0x4_). */
function addNibbles(lo: usize, hi: usize, byte: u8, bucket: u8): void {
  store<u8>(lo + <usize>(byte & 15), load<u8>(lo + <usize>(byte & 15)) | bucket);
  store<u8>(hi + <usize>(byte >> 4), load<u8>(hi + <usize>(byte >> 4)) | bucket);
  if (byte >= 0x61 && byte <= 0x7a) store<u8>(hi + <usize>((byte >> 4) - 2), load<u8>(hi + <usize>((byte >> 4) - 2)) | bucket);
}

@inline function buckets(bytes: v128, lo: v128, hi: v128): v128 {
  return v128.and(i8x16.swizzle(lo, v128.and(bytes, LOW_NIBBLE)), i8x16.swizzle(hi, i8x16.shr_u(bytes, 4)));
}

/** Four bytes (little-endian) with ASCII capitals made lower-case, in a few word operations (SWAR). */
@inline function lowerWord(w: u32): u32 {
  const seven = w & 0x7f7f7f7f;
  const capital = (seven + 0x3f3f3f3f) & ~(seven + 0x25252525) & ~w & 0x80808080; // 0x41 <= byte <= 0x5a
  return w | (capital >> 2);
}

@inline function lowerByte(c: u32): u32 {
  return c - 0x41 < 26 ? c | 0x20 : c;
}


/**
 * Finds the needles in text[0, len) (ASCII case-insensitive), writing each one found once to FOUND from index
 * `base` on. Returns how
 * many; more than FOUND_PER_ROW stops the search (the caller is told MANY). Positions where no needle can end are
 * passed 16 at a time by the block filter; the others are checked by hash and verified byte by byte.
 */
export function search(text: usize, len: i32, base: i32): i32 {
  stamp++;
  if (stamp == 0) {
    memory.fill(SEEN, 0, 0x800);
    stamp = 1;
  }
  let found = 0;
  let i = 0;
  // the tables in locals: verify() stores to memory, so the compiler would reload them for every block
  const lo1 = v128.load(LO1);
  const hi1 = v128.load(HI1);
  const lo2 = v128.load(LO2);
  const hi2 = v128.load(HI2);
  const lo3 = v128.load(LO3);
  const hi3 = v128.load(HI3);
  const lo0 = v128.load(LO0);
  const hi0 = v128.load(HI0);
  while (i < len) {
    // bytes before the text (i < 3) or past its end are read but cannot produce a match: verify checks bounds
    // the tables hold both cases of a needle's letters, so the text is read as it is
    const last = v128.load(text + <usize>i);
    const second = v128.load(text + <usize>i - 1);
    const third = v128.load(text + <usize>i - 2);
    const fourth = v128.load(text + <usize>i - 3);
    const lastTwo = v128.and(buckets(last, lo3, hi3), buckets(second, lo2, hi2));
    const firstTwo = v128.and(buckets(third, lo1, hi1), buckets(fourth, lo0, hi0));
    let possible = i8x16.bitmask(i8x16.ne(v128.and(lastTwo, firstTwo), i32x4.splat(0)));
    const rest = len - i;
    if (rest < 16) possible &= (1 << rest) - 1;
    while (possible != 0) {
      const end = i + <i32>ctz<u32>(possible);
      possible &= possible - 1;
      found = checkEnd(text, end, found, base);
      if (found > FOUND_PER_ROW) return found;
    }
    i += 16;
  }
  return found;
}

/** Checks for needles ending at text[end]; returns the updated found count. */
function checkEnd(text: usize, end: i32, found: i32, base: i32): i32 {
  const at = text + <usize>end;
  const w = lowerWord(load<u32>(at - 3)); // the last four bytes, the last one highest
  if (end >= 3) {
    const h = hash(w);
    if ((load<u8>(BITS4 + <usize>(h >> 3)) & (1 << (h & 7))) != 0) {
      found = verify(<u32>load<u16>(HEAD4 + (<usize>h << 1)), at + 1, end + 1, found, base);
    }
  }
  if (hasShortNeedles && end >= 2) {
    const h3 = hash(w >> 8);
    if ((load<u8>(BITS3 + <usize>(h3 >> 3)) & (1 << (h3 & 7))) != 0) {
      found = verify(<u32>load<u16>(HEAD3 + (<usize>h3 << 1)), at + 1, end + 1, found, base);
    }
  }
  return found;
}

/** Records every needle of the chain starting at `first` (1-based) that ends right before `after`. */
function verify(first: u32, after: usize, available: i32, found: i32, base: i32): i32 {
  let n = first;
  while (n != 0) {
    const index = <usize>(n - 1);
    const len = <i32>load<u8>(NLEN + index);
    if (len <= available && load<u32>(SEEN + (index << 2)) != stamp) {
      const start = NBYTES + <usize>load<u16>(NOFF + (index << 1));
      const from = after - <usize>len;
      let k = 0;
      for (; k < len; k++) {
        if (lowerByte(<u32>load<u8>(from + <usize>k)) != <u32>load<u8>(start + <usize>k)) break;
      }
      if (k == len) {
        store<u32>(SEEN + (index << 2), stamp);
        if (found < FOUND_PER_ROW && base + found < MAX_FOUND) store<u16>(FOUND + (<usize>(base + found) << 1), <u16>index);
        found++;
      }
    }
    n = <u32>load<u16>(NEXT + (index << 1));
  }
  return found;
}
