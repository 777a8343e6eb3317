// AssemblyScript, compiled to WebAssembly by scripts/build-wasm.mjs (not by tsc).
//
// The line scanner: one pass over raw terminal bytes that skips escape sequences and reports which lines contain
// one of the needles (the literal text the active tool's patterns require), lower-cased ASCII, multi-byte characters
// as their UTF-8 bytes. JavaScript runs its regexes only on reported lines. Why WebAssembly: a JavaScript loop over
// bytes or a regex alternation costs 5-10 ns per byte on a slow machine; this costs about 1.
//
// It mirrors the escape parsing of lineAssembler.ts so that both count the same newlines: an LF inside an OSC/DCS
// string or right after a lone ESC is not a line end; a control byte inside a CSI aborts it.

const HEAD4: usize = 0x0000; // 4096 x u16: bucket -> 1 + first needle whose last 4 bytes hash there
const HEAD3: usize = 0x2000; // 4096 x u16: the same for 3-byte needles
const NEXT: usize = 0x4000; // 512 x u16: next needle in the same bucket (1-based, 0 ends)
const NOFF: usize = 0x4400; // 512 x u16: needle offset in NBYTES
const NLEN: usize = 0x4800; // 512 x u8: needle length
export const NBYTES: usize = 0x5000; // needle bytes (16 KB)
const BITS4: usize = 0x9100; // 4096-bit filter over HEAD4 (512 bytes): most windows stop here
const BITS3: usize = 0x9300; // the same over HEAD3
// Block filter tables (6 x 16 bytes): for the third-last, second-last and last byte of the needles, which of 8
// buckets of needles have a byte with this low (LO) / high (HI) nibble there.
const LO1: usize = 0x9500;
const HI1: usize = 0x9510;
const LO2: usize = 0x9520;
const HI2: usize = 0x9530;
const LO3: usize = 0x9540;
const HI3: usize = 0x9550;
const SCRATCH: usize = 0x9600; // 32 bytes: the window's bytes, then a block (to read the window after n bytes)
const RING: usize = 0x9800; // the last 256 visible bytes, lower-cased (16 spare bytes either side for block stores)
export const FLAGS: usize = 0x10000; // u8 per line of the chunk: HIT | PLAIN
export const INPUT: usize = 0x20000; // the chunk to scan

const MAX_LINES: i32 = 65536;
/** The line contains a needle. */
const HIT: u8 = 1;
/** The line holds only text, colour (SGR) sequences and a carriage return right before its newline. */
const PLAIN: u8 = 2;

const NORMAL: i32 = 0;
const ESCAPE: i32 = 1;
const ESCAPE_INTERMEDIATE: i32 = 2;
const CSI: i32 = 3;
const STRING: i32 = 4;
const STRING_ESCAPE: i32 = 5;

let state: i32 = NORMAL;
let window: u32 = 0;
let visible: i32 = 0; // visible bytes since the last reset of the window
let ringPos: i32 = 0;
let lineHit: bool = false;
let linePlain: bool = true;
let pendingCR: bool = false;
let csiSimple: bool = true;
let lineVisible: i32 = 0; // visible bytes since the line began (or since its last carriage return)
let hasShortNeedles: bool = false;
const CONTROL_LIMIT: v128 = i8x16.splat(0x20);
const DEL: v128 = i8x16.splat(0x7f);
const LOW_NIBBLE: v128 = i8x16.splat(0x0f);
const UPPER_A: v128 = i8x16.splat(0x41);
const LETTERS: v128 = i8x16.splat(26);
const CASE_BIT: v128 = i8x16.splat(0x20);
/** After a block the filter could not pass, bytes read one at a time before the filter is tried again. */
const BLOCK_RETRY: i32 = 1;
let retryAt: i32 = 0;


@inline function hash(value: u32): u32 {
  return (value * 2654435761) >>> 20; // 12 bits
}

/** Builds the hash index over needles already written to NBYTES (offsets and lengths given per needle). */
export function setNeedle(index: i32, offset: i32, length: i32): void {
  store<u16>(NOFF + (<usize>index << 1), <u16>offset);
  store<u8>(NLEN + <usize>index, <u8>length);
}

export function buildIndex(count: i32): void {
  memory.fill(HEAD4, 0, 0x4000);
  memory.fill(BITS4, 0, 0x400);
  memory.fill(LO1, 0, 0x60);
  hasShortNeedles = false;
  // the line in progress was scanned with the old needles: let the caller look at it
  lineHit = true;
  for (let n = 0; n < count; n++) {
    const len = <i32>load<u8>(NLEN + <usize>n);
    const end = NBYTES + <usize>load<u16>(NOFF + (<usize>n << 1)) + <usize>len;
    let key: u32 = 0;
    const width = len >= 4 ? 4 : 3;
    for (let k = width; k > 0; k--) key = (key << 8) | <u32>load<u8>(end - <usize>k);
    const h = <usize>hash(key);
    const head = (len >= 4 ? HEAD4 : HEAD3) + (h << 1);
    store<u16>(NEXT + (<usize>n << 1), load<u16>(head));
    store<u16>(head, <u16>(n + 1));
    const bits = (len >= 4 ? BITS4 : BITS3) + (h >> 3);
    store<u8>(bits, load<u8>(bits) | <u8>(1 << <u8>(h & 7)));
    if (len < 4) hasShortNeedles = true;
    // its last three bytes in the block filter; needles are grouped into buckets by their last byte
    const bucket = <u8>(1 << <u8>(load<u8>(end - 1) & 7));
    addNibbles(LO1, HI1, load<u8>(end - 3), bucket);
    addNibbles(LO2, HI2, load<u8>(end - 2), bucket);
    addNibbles(LO3, HI3, load<u8>(end - 1), bucket);
  }
}

function addNibbles(lo: usize, hi: usize, byte: u8, bucket: u8): void {
  store<u8>(lo + <usize>(byte & 15), load<u8>(lo + <usize>(byte & 15)) | bucket);
  store<u8>(hi + <usize>(byte >> 4), load<u8>(hi + <usize>(byte >> 4)) | bucket);
}

/** Per byte of `bytes`: the buckets that have a needle with this byte at the position the tables describe. */
@inline function buckets(bytes: v128, lo: usize, hi: usize): v128 {
  return v128.and(
    i8x16.swizzle(v128.load(lo), v128.and(bytes, LOW_NIBBLE)),
    i8x16.swizzle(v128.load(hi), i8x16.shr_u(bytes, 4)),
  );
}

/** 0xff for each control byte (below 0x20, or DEL) of the 16, 0 for text. */
@inline function controlBytes(bytes: v128): v128 {
  return v128.or(i8x16.lt_u(bytes, CONTROL_LIMIT), i8x16.eq(bytes, DEL));
}

/** ASCII upper case to lower case, 16 bytes at a time. */
@inline function lowerCase(bytes: v128): v128 {
  const upper = i8x16.lt_u(i8x16.sub(bytes, UPPER_A), LETTERS);
  return v128.or(bytes, v128.and(upper, CASE_BIT));
}

/** Forgets the stream (a new build). */
export function reset(): void {
  state = NORMAL;
  window = 0;
  visible = 0;
  lineHit = false;
  linePlain = true;
  pendingCR = false;
  lineVisible = 0;
}

@inline function resetWindow(): void {
  window = 0;
  visible = 0;
}

/** True when the needle chain starting at `first` (1-based) has a needle ending at the current ring position. */
function verify(first: u32): bool {
  let n = first;
  while (n != 0) {
    const index = <usize>(n - 1);
    const len = <i32>load<u8>(NLEN + index);
    if (len <= visible) {
      const start = NBYTES + <usize>load<u16>(NOFF + (index << 1));
      let k = 0;
      for (; k < len; k++) {
        const ringByte = load<u8>(RING + <usize>((ringPos - len + k) & 255));
        if (ringByte != load<u8>(start + <usize>k)) break;
      }
      if (k == len) return true;
    }
    n = <u32>load<u16>(NEXT + (index << 1));
  }
  return false;
}

/** Scans `length` bytes at INPUT, writing one FLAGS byte per newline; returns the number of newlines. */
export function scan(length: i32): i32 {
  retryAt = 0;
  let lineIndex: i32 = 0;
  for (let i = 0; i < length; i++) {
    const b = <u32>load<u8>(INPUT + <usize>i);
    if (pendingCR) {
      pendingCR = false;
      if (b != 0x0a) linePlain = false; // a carriage return inside the line: the terminal model must handle it
    }
    switch (state) {
      case ESCAPE: {
        if (b == 0x5b) {
          state = CSI;
          csiSimple = true;
          continue;
        }
        linePlain = false;
        if (b == 0x5d || b == 0x50 || b == 0x5f || b == 0x5e || b == 0x58) state = STRING;
        else if (b >= 0x20 && b <= 0x2f) state = ESCAPE_INTERMEDIATE;
        else state = NORMAL; // ESC x, whatever x is (as the assembler does)
        continue;
      }
      case ESCAPE_INTERMEDIATE: {
        if (b < 0x20 || b > 0x2f) state = NORMAL;
        continue;
      }
      case CSI: {
        if (b >= 0x40 && b <= 0x7e) {
          state = NORMAL;
          if (b != 0x6d || !csiSimple) {
            resetWindow(); // anything but colour may move the cursor: no needle spans it
            linePlain = false;
          }
          continue;
        }
        if (b >= 0x20) {
          if (b < 0x30 || b > 0x3b) csiSimple = false; // private markers, intermediates: not a plain colour code
          continue;
        }
        state = NORMAL; // a control byte aborts the sequence and is handled as itself
        linePlain = false;
        break;
      }
      case STRING: {
        if (b == 0x07) state = NORMAL;
        else if (b == 0x1b) state = STRING_ESCAPE;
        continue;
      }
      case STRING_ESCAPE: {
        if (b == 0x5c) {
          state = NORMAL;
          continue;
        }
        state = ESCAPE; // ESC inside a string ends it and starts a new sequence
        if (b == 0x5b) state = CSI;
        else if (b == 0x5d || b == 0x50 || b == 0x5f || b == 0x5e || b == 0x58) state = STRING;
        else if (b >= 0x20 && b <= 0x2f) state = ESCAPE_INTERMEDIATE;
        else state = NORMAL;
        continue;
      }
      default:
        break;
    }
    // NORMAL
    if (b < 0x20 || b == 0x7f) {
      if (b == 0x1b) {
        state = ESCAPE;
      } else if (b == 0x0a) {
        if (lineIndex < MAX_LINES) store<u8>(FLAGS + <usize>lineIndex, (lineHit ? HIT : 0) | (linePlain ? PLAIN : 0));
        lineIndex++;
        lineHit = false;
        linePlain = true;
        lineVisible = 0;
        resetWindow();
      } else {
        if (b == 0x0d) {
          pendingCR = true;
          lineVisible = 0;
        } else linePlain = false;
        resetWindow();
      }
      continue;
    }
    // text: the hot loop, one byte at a time until the next control byte
    let w = window;
    let v = visible;
    let r = ringPos;
    let hit = lineHit;
    let c = b;
    let lv = lineVisible;
    for (;;) {
      const lower = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
      // a package manager echoing the script it runs ("> vite build", "$ tsc -p ."): the engine reads it
      if (++lv == 2 && (((w & 0xff) == 0x3e || (w & 0xff) == 0x24) && lower == 0x20)) hit = true;
      if (!hit) {
        store<u8>(RING + <usize>r, <u8>lower);
        r = (r + 1) & 255;
        w = (w << 8) | lower;
        v++;
        if (v >= 4) {
          const h = hash(w);
          if ((load<u8>(BITS4 + <usize>(h >> 3)) & (1 << (h & 7))) != 0) {
            ringPos = r;
            visible = v;
            if (verify(<u32>load<u16>(HEAD4 + (<usize>h << 1)))) hit = true;
          }
        }
        if (!hit && hasShortNeedles && v >= 3) {
          const h3 = hash(w & 0xffffff);
          if ((load<u8>(BITS3 + <usize>(h3 >> 3)) & (1 << (h3 & 7))) != 0) {
            ringPos = r;
            visible = v;
            if (verify(<u32>load<u16>(HEAD3 + (<usize>h3 << 1)))) hit = true;
          }
        }
      }
      if (!hit && lv >= 2 && i >= retryAt) {
        // The block filter: text bytes in which no needle can end (none ends a run of three bytes that could be the
        // last three bytes of a needle, judged by nibbles) go to the ring and the window up to 16 at a time, as far
        // as the first control byte or the first possible needle end; the scalar loop takes it from there. The two
        // visible bytes before the block come from the window (zero bytes when it holds fewer: a false alarm at worst).
        while (i + 17 <= length) {
          const raw = v128.load(INPUT + <usize>(i + 1));
          const controls = i8x16.bitmask(controlBytes(raw));
          const text: i32 = controls == 0 ? 16 : <i32>ctz<u32>(controls);
          if (text == 0) break;
          const bytes = lowerCase(raw);
          const before = i32x4.replace_lane(i32x4.splat(0), 3, bswap<u32>(w));
          const last = buckets(bytes, LO3, HI3);
          const second = buckets(i8x16.shuffle(before, bytes, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30), LO2, HI2);
          const third = buckets(i8x16.shuffle(before, bytes, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29), LO1, HI1);
          const possible = i8x16.bitmask(i8x16.ne(v128.and(v128.and(last, second), third), i32x4.splat(0)));
          const clear: i32 = possible == 0 ? 16 : <i32>ctz<u32>(possible);
          const n = clear < text ? clear : text;
          if (n > 0) {
            v128.store(SCRATCH, before);
            v128.store(SCRATCH + 16, bytes);
            v128.store(RING + <usize>r, bytes); // bytes past n are rewritten before they are ever read
            if (r > 240) v128.store(RING + <usize>r - 256, bytes);
            r = (r + n) & 255;
            w = bswap<u32>(load<u32>(SCRATCH + 12 + <usize>n));
            v += n;
            lv += n;
            i += n;
          }
          if (n < 16) {
            if (clear < text) retryAt = i + BLOCK_RETRY; // the scalar loop looks at the possible needle end
            break;
          }
        }
      }
      if (hit && lv >= 2) {
        // The line already holds a needle: the rest of its text cannot change that. Skip to the next control byte
        // 16 bytes at a time (about half the bytes of build output are in such lines).
        while (i + 17 <= length) {
          const block = v128.load(INPUT + <usize>(i + 1));
          if (v128.any_true(controlBytes(block))) break;
          i += 16;
          lv += 16;
        }
      }
      if (i + 1 >= length) break;
      c = <u32>load<u8>(INPUT + <usize>(i + 1));
      if (c < 0x20 || c == 0x7f) break;
      i++;
    }
    window = w;
    visible = v;
    ringPos = r;
    lineHit = hit;
    lineVisible = lv;
  }
  return lineIndex;
}

