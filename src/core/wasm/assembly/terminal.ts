// AssemblyScript, compiled to WebAssembly by scripts/build-wasm.mjs (not by tsc).
//
// The terminal model in WebAssembly: raw pty bytes in, the visible rows a person would see out, each emitted row
// searched for the needles (the literal text the active tool's patterns require). JavaScript then decodes and
// matches only the rows that hold one. Why WebAssembly: build output is 10% control bytes and an escape sequence
// every 16 bytes; a JavaScript model touching every line costs 20-50 ns per byte here, this costs a few.
//
// It is the same model as screen.ts + lineAssembler.ts (the reference used when WebAssembly is unavailable, and in
// the differential tests): rows of a window twice the screen's height, a cursor, CR/LF/BS/TAB, CSI cursor moves and
// erases, ESC 7/8/M/D/E/c, OSC/DCS strings skipped. Columns count UTF-16 units, as JavaScript strings do; rows are
// kept as UTF-8 bytes. A row is emitted when the cursor leaves it by a newline, on a clear, when it scrolls out of
// the window, or on flush(); a row redrawn with the text it was last emitted with, or blank, is not emitted.
//
// Emitted rows are copied into a ring (which also serves the last lines for display) and described by records;
// a call stops early (returning the bytes it consumed) before records or the ring could run out.
//
// The memory layout and record format are in layout.ts, the needle search in needles.ts.

import {
  DIRTY, DYNAMIC, ECHO, EM_LEN, FOUND, FOUND_PER_ROW, HIT, INPUT, MANY, MAX_FOUND, MAX_RECORDS, MAX_SLOTS, NBUCKET,
  NBYTES, NLEN, NON_ASCII, PARTIAL, RECORDS, RECORD_INTS, RING_AT, RING_CALL, ROW_LEN, ROW_UNITS, R_ABOVE_ADDR,
  R_ABOVE_LEN, R_ADDR, R_FLAGS, R_FOUND_COUNT, R_FOUND_START, R_LEN, R_UNITS, SEEN, SPACES, TAIL, WIDE,
} from './layout';
import { buildIndex, clearIndex, search, searching } from './needles';

// what the JavaScript side reads and calls (the entry file's exports are the module's)
export { NBYTES, NOFF, NLEN, NBUCKET, RECORDS, MAX_RECORDS, FOUND, INPUT, TAIL } from './layout';
export { buildIndex, clearIndex } from './needles';

// stream states
const NORMAL: i32 = 0;
const ESCAPE: i32 = 1;
const ESCAPE_INTERMEDIATE: i32 = 2;
const CSI: i32 = 3;
const STRING: i32 = 4;
const STRING_ESCAPE: i32 = 5;
const SKIP_CONTINUATION: i32 = 6; // ESC followed by a multi-byte character: the whole character is consumed

// configuration
let slots: i32 = 0;
let rowCap: i32 = 0; // bytes per row slot
let maxUnits: i32 = 0;
let screenRows: i32 = 0;
let screenCap: i32 = 0;
let tailCap: i32 = 1;
let maxSequence: i32 = 4096;
let rowText: usize = 0;
let emText: usize = 0;
let aboveBase: usize = 0;
let aboveSize: i32 = 0;
let ringBase: usize = 0;
let ringSize: i32 = 0;
let ringBudget: i32 = 0; // ring bytes one call may write before it stops

// screen
let top: i32 = 0;
let nrows: i32 = 1;
let row: i32 = 0;
let col: i32 = 0;
let savedRow: i32 = 0;
let savedCol: i32 = 0;
// stream
let state: i32 = NORMAL;
let sequenceStart: i32 = 0; // units position of the ESC that began the current sequence
let sequenceLength: i32 = 0;
let p0: i32 = -1;
let p1: i32 = -1;
let current: i32 = -1;
let paramIndex: i32 = 0;
let privateMarker: bool = false;
// call
let callId: u32 = 0;
let units: i32 = 0;
let recordCount: i32 = 0;
let foundCount: i32 = 0;
let aboveUsed: i32 = 0;
let ringWritten: i32 = 0;
let ringPos: i32 = 0;
// tail
let tailNext: i32 = 0;
let tailSize: i32 = 0;

const CONTROL_LIMIT: v128 = i8x16.splat(0x20);
const DEL: v128 = i8x16.splat(0x7f);
const SPACE16: v128 = i8x16.splat(0x20);
const TAB16: v128 = i8x16.splat(0x09);
const DIGIT_ZERO: v128 = i8x16.splat(0x30);
const TEN: v128 = i8x16.splat(10);
const SEMICOLON: v128 = i8x16.splat(0x3b);
const COLON: v128 = i8x16.splat(0x3a);
const TOP_TWO_BITS: v128 = i8x16.splat(<i8>0xc0);
const CONTINUATION: v128 = i8x16.splat(<i8>0x80);
const FOUR_BYTE_LEAD: v128 = i8x16.splat(<i8>0xf0);

/**
 * Lays out memory for `rows` screen rows (resize() may go up to this), rows of `lineUnits` columns and `tail`
 * kept lines; returns false when the memory cannot be had.
 */
export function configure(rows: i32, lineUnits: i32, tail: i32, sequence: i32): bool {
  if (!layoutFits()) return false; // a bad edit of the constants above; the caller then uses the JavaScript model
  screenCap = rows < 1 ? 1 : rows;
  if (screenCap * 2 + 9 > MAX_SLOTS) screenCap = (MAX_SLOTS - 9) / 2;
  screenRows = screenCap;
  slots = screenCap * 2 + 9;
  maxUnits = lineUnits < 1 ? 1 : lineUnits;
  // three UTF-8 bytes per UTF-16 unit at most (four per surrogate pair), rounded up for block reads
  rowCap = ((maxUnits * 3 + 16) + 15) & ~15;
  tailCap = tail < 1 ? 1 : tail > 1024 ? 1024 : tail;
  maxSequence = sequence;
  rowText = DYNAMIC;
  emText = rowText + <usize>slots * <usize>rowCap;
  aboveBase = emText + <usize>slots * <usize>rowCap;
  aboveSize = 262144 + slots * rowCap;
  ringBase = aboveBase + <usize>aboveSize + 32;
  // one call writes up to the budget plus what one byte can emit (every row once); the kept lines stay behind it
  ringBudget = 1 << 20;
  ringSize = ringBudget + (slots + tailCap + 4) * rowCap;
  const end = ringBase + <usize>ringSize + 32;
  const pages = <i32>((end + 65535) >> 16) - memory.size();
  if (pages > 0 && memory.grow(pages) < 0) return false;
  memory.fill(SPACES, 0x20, 16);
  reset();
  return true;
}

/** The fixed areas do not overlap (records once ran into the needle ids they point at). */
function layoutFits(): bool {
  return (
    NLEN + 512 <= NBUCKET &&
    NBUCKET + 512 <= NBYTES &&
    SEEN + 512 * 4 <= ROW_LEN &&
    NON_ASCII + <usize>MAX_SLOTS <= RECORDS &&
    RECORDS + <usize>(MAX_RECORDS * RECORD_INTS * 4) <= FOUND &&
    FOUND + <usize>(MAX_FOUND * 2) <= INPUT &&
    INPUT + 65536 <= TAIL &&
    TAIL + 1024 * 8 <= DYNAMIC
  );
}

/** Forgets the stream and the screen (a new build). */
export function reset(): void {
  top = 0;
  nrows = 1;
  row = col = savedRow = savedCol = 0;
  initRow(0);
  state = NORMAL;
  tailNext = tailSize = 0;
  ringPos = 0;
}

export function resize(rows: i32): void {
  screenRows = rows < 1 ? 1 : rows > screenCap ? screenCap : rows;
}

/** 0xff for each control byte (below 0x20, or DEL) of the 16, 0 for text. */
@inline function controlBytes(bytes: v128): v128 {
  return v128.or(i8x16.lt_u(bytes, CONTROL_LIMIT), i8x16.eq(bytes, DEL));
}

/**
 * Copies n bytes in 16-byte blocks, writing up to 15 bytes past dst + n (callers make sure that room is theirs).
 * Why not memory.copy: V8 compiles it to a call into C, which costs more than the copy for a row's few dozen bytes.
 */
@inline function copyBlocks(dst: usize, src: usize, n: i32): void {
  for (let k = 0; k < n; k += 16) v128.store(dst + <usize>k, v128.load(src + <usize>k));
}

/** Whether a[0, n) equals b[0, n): 16 bytes at a time, then the rest byte by byte. */
function sameBytes(a: usize, b: usize, n: i32): bool {
  let k = 0;
  for (; k + 16 <= n; k += 16) {
    if (!i8x16.all_true(i8x16.eq(v128.load(a + <usize>k), v128.load(b + <usize>k)))) return false;
  }
  for (; k < n; k++) if (load<u8>(a + <usize>k) != load<u8>(b + <usize>k)) return false;
  return true;
}

// ---- rows ---------------------------------------------------------------------------------------------------

@inline function slotOf(r: i32): i32 {
  const s = top + r;
  return s >= slots ? s - slots : s;
}

@inline function textOf(s: i32): usize {
  return rowText + <usize>s * <usize>rowCap;
}

@inline function rowLen(s: i32): i32 {
  return load<i32>(ROW_LEN + (<usize>s << 2));
}

@inline function rowUnits(s: i32): i32 {
  return load<i32>(ROW_UNITS + (<usize>s << 2));
}

@inline function setRow(s: i32, len: i32, count: i32): void {
  store<i32>(ROW_LEN + (<usize>s << 2), len);
  store<i32>(ROW_UNITS + (<usize>s << 2), count);
}

/** The row changed: it will be emitted again, and its copy in the ring no longer shows it. */
@inline function touch(s: i32): void {
  store<u8>(DIRTY + <usize>s, 1);
  store<u32>(RING_CALL + (<usize>s << 2), 0);
}

function initRow(s: i32): void {
  setRow(s, 0, 0);
  store<i32>(EM_LEN + (<usize>s << 2), -1);
  store<u32>(RING_CALL + (<usize>s << 2), 0);
  store<u8>(DIRTY + <usize>s, 0);
  store<u8>(NON_ASCII + <usize>s, 0);
}

/** UTF-16 units of one UTF-8 byte: lead bytes count, continuation bytes do not, four-byte characters count two. */
@inline function unitsOf(b: u32): i32 {
  return (b & 0xc0) == 0x80 ? 0 : b >= 0xf0 ? 2 : 1;
}

function countUnits(from: usize, n: i32): i32 {
  let count = 0;
  for (let k = 0; k < n; k++) count += unitsOf(<u32>load<u8>(from + <usize>k));
  return count;
}

/** Byte index in row slot `s` where column `unit` starts (the row's length when it has fewer columns). */
function bytePos(s: i32, unit: i32): i32 {
  const len = rowLen(s);
  if (load<u8>(NON_ASCII + <usize>s) == 0) return unit < len ? unit : len;
  const text = textOf(s);
  let count = 0;
  for (let k = 0; k < len; k++) {
    const u = unitsOf(<u32>load<u8>(text + <usize>k));
    if (u != 0) {
      if (count >= unit) return k;
      count += u;
    }
  }
  return len;
}

/** Bytes of src[0, n) that hold its first `want` units. */
function bytesFor(src: usize, n: i32, want: i32): i32 {
  let count = 0;
  for (let k = 0; k < n; k++) {
    const u = unitsOf(<u32>load<u8>(src + <usize>k));
    if (u != 0) {
      if (count + u > want) return k;
      count += u;
    }
  }
  return n;
}

/** Writes `n` bytes (`count` columns) at the cursor, overwriting what is there, cut at the row's length. */
function put(src: usize, n: i32, count: i32, wide: bool): void {
  if (col >= maxUnits) return;
  if (col + count > maxUnits) {
    n = wide ? bytesFor(src, n, maxUnits - col) : maxUnits - col;
    count = maxUnits - col;
  }
  const s = slotOf(row);
  const text = textOf(s);
  let len = rowLen(s);
  let have = rowUnits(s);
  if (col >= have) {
    const pad = col - have;
    if (len + pad + n > rowCap) n = max(0, rowCap - len - pad); // bytes that are no characters (invalid UTF-8) only
    if (pad > 0) memory.fill(text + <usize>len, 0x20, pad);
    if (len + pad + n + 16 <= rowCap) copyBlocks(text + <usize>(len + pad), src, n);
    else memory.copy(text + <usize>(len + pad), src, n);
    len += pad + n;
    have = col + count;
  } else {
    const replaced = col + count < have ? col + count : have;
    const b0 = bytePos(s, col);
    const b1 = bytePos(s, replaced);
    if (len - (b1 - b0) + n > rowCap) n = max(0, rowCap - len + (b1 - b0));
    memory.copy(text + <usize>(b0 + n), text + <usize>b1, len - b1);
    memory.copy(text + <usize>b0, src, n);
    len += n - (b1 - b0);
    have += count - (replaced - col);
  }
  setRow(s, len, have);
  if (wide) store<u8>(NON_ASCII + <usize>s, 1);
  col += count;
  touch(s);
}

function putSpaces(count: i32): void {
  put(SPACES, count, count, false);
}

/** Replaces columns [from, to) of the cursor's row (to <= its length) with `spaces` spaces. */
function replaceWithSpaces(s: i32, from: i32, to: i32, spaces: i32): void {
  const text = textOf(s);
  const len = rowLen(s);
  const b0 = bytePos(s, from);
  const b1 = bytePos(s, to);
  memory.copy(text + <usize>(b0 + spaces), text + <usize>b1, len - b1);
  memory.fill(text + <usize>b0, 0x20, spaces);
  setRow(s, len - (b1 - b0) + spaces, rowUnits(s) - (to - from) + spaces);
  touch(s);
}

function isBlank(text: usize, len: i32): bool {
  let k = 0;
  for (; k + 16 <= len; k += 16) {
    const block = v128.load(text + <usize>k);
    if (!i8x16.all_true(v128.or(i8x16.eq(block, SPACE16), i8x16.eq(block, TAB16)))) return false;
  }
  for (; k < len; k++) {
    const c = load<u8>(text + <usize>k);
    if (c != 0x20 && c != 0x09) return false;
  }
  return true;
}

function emitRow(r: i32, offset: i32, partial: bool): void {
  const s = slotOf(r);
  if (load<u8>(DIRTY + <usize>s) == 0) return;
  store<u8>(DIRTY + <usize>s, 0);
  const len = rowLen(s);
  const text = textOf(s);
  const em = emText + <usize>s * <usize>rowCap;
  if (load<i32>(EM_LEN + (<usize>s << 2)) == len && sameBytes(text, em, len)) return;
  if (isBlank(text, len)) return;
  if (len + 16 <= rowCap) copyBlocks(em, text, len);
  else memory.copy(em, text, len);
  store<i32>(EM_LEN + (<usize>s << 2), len);
  record(r, s, text, len, offset, partial);
}

function record(r: i32, s: i32, text: usize, len: i32, offset: i32, partial: bool): void {
  // the text, to the ring (never split: a row that does not fit before the end starts at the beginning)
  if (ringPos + len + 16 > ringSize) {
    ringWritten += ringSize - ringPos;
    ringPos = 0;
  }
  const at = ringBase + <usize>ringPos;
  copyBlocks(at, text, len); // the ring keeps 16 bytes free past a row (see above), and what follows is its oldest text
  ringPos += len;
  ringWritten += len;
  store<u32>(RING_AT + (<usize>s << 2), <u32>at);
  store<u32>(RING_CALL + (<usize>s << 2), callId);
  store<u32>(TAIL + (<usize>tailNext << 3), <u32>at);
  store<u32>(TAIL + (<usize>tailNext << 3) + 4, <u32>len);
  tailNext = tailNext + 1 == tailCap ? 0 : tailNext + 1;
  if (tailSize < tailCap) tailSize++;

  let flags = partial ? PARTIAL : 0;
  if (load<u8>(NON_ASCII + <usize>s) != 0) flags |= WIDE;
  const c0 = load<u8>(at);
  if ((len >= 2 && (c0 == 0x3e || c0 == 0x24) && load<u8>(at + 1) == 0x20 && !notCommand(at, len)) || runnerLine(at, len)) {
    flags |= ECHO;
  }
  const found = searching ? search(at, len, foundCount) : 0;
  flags |= foundFlags(found);

  // the row above, as the matcher may read it (a code frame's caret line)
  let aboveAt: usize = 0;
  let aboveLen = 0;
  if (r > 0) {
    const a = slotOf(r - 1);
    aboveLen = rowLen(a);
    if (load<u32>(RING_CALL + (<usize>a << 2)) == callId) {
      aboveAt = <usize>load<u32>(RING_AT + (<usize>a << 2));
    } else if (aboveLen > 0) {
      aboveAt = aboveBase + <usize>aboveUsed;
      memory.copy(aboveAt, textOf(a), aboveLen);
      aboveUsed += aboveLen;
    }
  }

  const rec = RECORDS + (<usize>(recordCount * RECORD_INTS) << 2);
  store<i32>(rec + (R_FLAGS << 2), flags);
  store<i32>(rec + (R_ADDR << 2), <i32>at);
  store<i32>(rec + (R_LEN << 2), len);
  store<i32>(rec + (R_UNITS << 2), offset);
  store<i32>(rec + (R_ABOVE_ADDR << 2), <i32>aboveAt);
  store<i32>(rec + (R_ABOVE_LEN << 2), aboveLen);
  store<i32>(rec + (R_FOUND_START << 2), foundCount);
  store<i32>(rec + (R_FOUND_COUNT << 2), found < FOUND_PER_ROW ? found : FOUND_PER_ROW);
  foundCount += found < FOUND_PER_ROW ? found : FOUND_PER_ROW;
  recordCount++;
}

/**
 * After "> " or "$ ": a code frame's marked line ("12 | …") or npm's script header ("app@1.0.0 build"), which
 * echoedCommand in src/core/runnerPrefix.ts does not take for a command either. Only sure cases say true (a byte
 * >= 0x80 in the first word says false): a row flagged for nothing costs a decode, a row missed loses an echo.
 */
function notCommand(at: usize, len: i32): bool {
  let k = 2;
  while (k < len && load<u8>(at + <usize>k) == 0x20) k++;
  let end = k;
  while (end < len && <u32>load<u8>(at + <usize>end) - 0x30 < 10) end++;
  if (end > k) {
    while (end < len && load<u8>(at + <usize>end) == 0x20) end++;
    if (end < len && load<u8>(at + <usize>end) == 0x7c) return true; // "12 |"
  }
  // "[@scope/]name@version " with no space before it
  let name = 2;
  if (load<u8>(at + 2) == 0x40) {
    const slash = findInWord(at, 3, len, 0x2f);
    if (slash <= 3) return false;
    name = slash + 1;
  }
  const sign = findInWord(at, name, len, 0x40);
  if (sign <= name) return false;
  for (let j = sign + 1; j < len; j++) {
    const c = load<u8>(at + <usize>j);
    if (c == 0x20) return true;
    if (c >= 0x80) return false;
  }
  return false;
}

/** From `from`: where the first `stop` byte is, or -1 when a space, a byte >= 0x80 or the end comes first. */
function findInWord(at: usize, from: i32, len: i32, stop: u32): i32 {
  for (let j = from; j < len; j++) {
    const c = <u32>load<u8>(at + <usize>j);
    if (c == stop) return j;
    if (c == 0x20 || c >= 0x80) return -1;
  }
  return -1;
}

/**
 * A script runner's line the matcher reads even without a needle (see src/core/runnerPrefix.ts): pnpm's echo
 * "<package> <script>$ <command>" and verdict "<package> <script>: Done|Failed", turbo's "<package>:<task>: > …".
 * Only the first two words are looked at.
 */
function runnerLine(at: usize, len: i32): bool {
  const limit = len < 200 ? len : 200;
  let first = 0;
  while (first < limit && load<u8>(at + <usize>first) != 0x20) first++;
  if (first == 0 || first + 2 >= len) return false;
  if (load<u8>(at + <usize>(first - 1)) == 0x3a) {
    return load<u8>(at + <usize>(first + 1)) == 0x3e && load<u8>(at + <usize>(first + 2)) == 0x20;
  }
  let second = first + 1;
  while (second < limit && load<u8>(at + <usize>second) != 0x20) second++;
  if (second == first + 1 || second >= len) return false;
  const last = load<u8>(at + <usize>(second - 1));
  if (last == 0x24) return true; // "$ ": pnpm's echo
  if (last != 0x3a) return false;
  // "Done" / "Failed" (trailing spaces allowed: the row may have been padded)
  let end = len;
  while (end > second && load<u8>(at + <usize>(end - 1)) == 0x20) end--;
  const rest = end - second - 1;
  const word = at + <usize>(second + 1);
  if (rest == 4) return load<u32>(word) == 0x656e6f44; // "Done", little-endian
  return rest == 6 && load<u32>(word) == 0x6c696146 && load<u16>(word + 4) == 0x6465; // "Failed"
}

@inline function foundFlags(found: i32): i32 {
  return (found > 0 ? HIT : 0) | (found > FOUND_PER_ROW ? MANY : 0);
}

/**
 * Searches records [from, to) of the last call again with the needles loaded since (the tool changed while the
 * caller read them). A row whose ids no longer fit is flagged MANY (the caller scans it itself).
 */
export function research(from: i32, to: i32): void {
  for (let k = from; k < to; k++) {
    const rec = RECORDS + (<usize>(k * RECORD_INTS) << 2);
    let flags = load<i32>(rec + (R_FLAGS << 2)) & ~(HIT | MANY);
    let found = 0;
    if (searching) {
      if (foundCount + FOUND_PER_ROW + 1 > MAX_FOUND) {
        flags |= MANY;
      } else {
        found = search(<usize>load<i32>(rec + (R_ADDR << 2)), load<i32>(rec + (R_LEN << 2)), foundCount);
        flags |= foundFlags(found);
        if (found > FOUND_PER_ROW) found = FOUND_PER_ROW;
      }
    }
    store<i32>(rec + (R_FLAGS << 2), flags);
    store<i32>(rec + (R_FOUND_START << 2), foundCount);
    store<i32>(rec + (R_FOUND_COUNT << 2), found);
    foundCount += found;
  }
}

/** Moves the cursor to row `r`, creating rows below and dropping (after emitting) rows that scroll out of reach. */
function moveToRow(r: i32, offset: i32): void {
  const length = r >= nrows ? r + 1 : nrows;
  if (length > screenRows * 2 + 8) {
    const drop = length - screenRows;
    const gone = drop < nrows ? drop : nrows;
    for (let k = 0; k < gone; k++) emitRow(k, offset, true);
    const kept = nrows - gone;
    top = <i32>((<i64>top + <i64>drop) % <i64>slots);
    for (let k = kept; k < screenRows; k++) initRow(slotOf(k));
    nrows = screenRows;
    row = r - drop;
    savedRow = savedRow - drop > 0 ? savedRow - drop : 0;
    return;
  }
  while (nrows < length) {
    initRow(slotOf(nrows));
    nrows++;
  }
  row = r;
}

@inline function screenTop(): i32 {
  return nrows - screenRows > 0 ? nrows - screenRows : 0;
}

function cursorUp(count: i32): void {
  const up = row - count;
  const limit = screenTop();
  row = up > limit ? up : limit;
}

function lineFeed(offset: i32): void {
  emitRow(row, offset + 1, false);
  col = 0;
  moveToRow(row + 1, offset + 1);
}

function clearScreen(offset: i32): void {
  for (let r = 0; r < nrows; r++) emitRow(r, offset, true);
  top = 0;
  nrows = 1;
  initRow(0);
  row = col = savedRow = savedCol = 0;
}

function eraseInLine(mode: i32): void {
  const s = slotOf(row);
  const have = rowUnits(s);
  if (mode == 0) {
    if (col < have) setRow(s, bytePos(s, col), col);
  } else if (mode == 1) {
    const upTo = col + 1 < have ? col + 1 : have;
    replaceWithSpaces(s, 0, upTo, upTo);
  } else {
    setRow(s, 0, 0);
    store<u8>(NON_ASCII + <usize>s, 0);
  }
  touch(s);
}

function eraseInDisplay(mode: i32, offset: i32): void {
  if (mode == 2 || mode == 3) {
    clearScreen(offset);
  } else if (mode == 0) {
    eraseInLine(0);
    for (let r = row + 1; r < nrows; r++) emitRow(r, offset, true);
    nrows = row + 1;
  } else if (mode == 1) {
    for (let r = 0; r < row; r++) {
      emitRow(r, offset, true);
      const s = slotOf(r);
      setRow(s, 0, 0);
      store<i32>(EM_LEN + (<usize>s << 2), -1);
      store<u32>(RING_CALL + (<usize>s << 2), 0);
      store<u8>(NON_ASCII + <usize>s, 0);
    }
    eraseInLine(1);
  }
}

function saveCursor(): void {
  savedRow = row;
  savedCol = col;
}

function restoreCursor(): void {
  row = savedRow < nrows - 1 ? savedRow : nrows - 1;
  col = savedCol;
}

@inline function clampCol(c: i32): i32 {
  return c < maxUnits ? c : maxUnits;
}

function csiFinal(final: u32, offset: i32): void {
  const count = p0 > 0 ? p0 : 1;
  switch (final) {
    case 0x6d: // 'm' colours: by far the most common, draw nothing
      return;
    case 0x4b: // 'K' erase in line
      eraseInLine(p0 < 0 ? 0 : p0);
      return;
    case 0x4a: // 'J' erase in display
      eraseInDisplay(p0 < 0 ? 0 : p0, offset);
      return;
    case 0x41: // 'A' up
      cursorUp(count);
      return;
    case 0x46: // 'F' previous line
      cursorUp(count);
      col = 0;
      return;
    case 0x42: // 'B' down
      moveToRow(row + count, offset);
      return;
    case 0x45: // 'E' next line
      moveToRow(row + count, offset);
      col = 0;
      return;
    case 0x43: // 'C' forward
      col = clampCol(col + count);
      return;
    case 0x44: // 'D' back
      col = col - count > 0 ? col - count : 0;
      return;
    case 0x47: // 'G' column
    case 0x60:
      col = clampCol(count - 1);
      return;
    case 0x48: // 'H' position
    case 0x66: {
      moveToRow(screenTop() + (p0 > 0 ? p0 : 1) - 1, offset);
      col = clampCol((p1 > 0 ? p1 : 1) - 1);
      return;
    }
    case 0x64: // 'd' row
      moveToRow(screenTop() + count - 1, offset);
      return;
    case 0x50: {
      // 'P' delete characters
      const s = slotOf(row);
      const have = rowUnits(s);
      if (col < have) {
        const to = col + count < have ? col + count : have;
        replaceWithSpaces(s, col, to, 0);
      }
      return;
    }
    case 0x58: {
      // 'X' erase characters
      const s = slotOf(row);
      const have = rowUnits(s);
      if (col < have) {
        const to = col + count < have ? col + count : have;
        replaceWithSpaces(s, col, to, to - col);
      }
      return;
    }
    case 0x40: {
      // '@' insert blanks, the row cut at its length
      const s = slotOf(row);
      const have = rowUnits(s);
      if (col < have) {
        const spaces = count < maxUnits - col ? count : maxUnits - col;
        const keep = have - col < maxUnits - col - spaces ? have - col : maxUnits - col - spaces;
        // drop the columns pushed past the end, then open the gap
        setRow(s, bytePos(s, col + keep), col + keep);
        replaceWithSpaces(s, col, col, spaces);
      }
      return;
    }
    case 0x73: // 's' save
      saveCursor();
      return;
    case 0x75: // 'u' restore
      restoreCursor();
      return;
    default:
      return;
  }
}

// ---- the byte stream ----------------------------------------------------------------------------------------

/** A byte after ESC. */
function escapeByte(b: u32): void {
  if (b == 0x5b) {
    state = CSI;
    p0 = p1 = current = -1;
    paramIndex = 0;
    privateMarker = false;
    return;
  }
  state = NORMAL;
  switch (b) {
    case 0x5d: // OSC
    case 0x50: // DCS
    case 0x5f: // APC
    case 0x5e: // PM
    case 0x58: // SOS
      state = STRING;
      sequenceLength = 0;
      return;
    case 0x63: // 'c' full reset
      clearScreen(sequenceStart);
      return;
    case 0x37: // '7' save
      saveCursor();
      return;
    case 0x38: // '8' restore
      restoreCursor();
      return;
    case 0x4d: // 'M' reverse index
      cursorUp(1);
      return;
    case 0x44: // 'D' index
      moveToRow(row + 1, sequenceStart);
      return;
    case 0x45: // 'E' next line
      lineFeed(sequenceStart);
      return;
    default:
      if (b >= 0x20 && b <= 0x2f) state = ESCAPE_INTERMEDIATE;
      else if (b >= 0xc0) state = SKIP_CONTINUATION;
      return;
  }
}

/** Processes INPUT[0, length); returns the bytes consumed (fewer when records or the ring would run out). */
export function write(length: i32): i32 {
  beginCall();
  let i = 0;
  while (i < length) {
    const b = <u32>load<u8>(INPUT + <usize>i);
    if (state == NORMAL) {
      if ((b >= 0x20 && b != 0x7f) || b == 0x1b) {
        const after = appendRun(i, length);
        if (after != i) {
          i = after;
          continue;
        }
      }
      if (b >= 0x20 && b != 0x7f) {
        i = textRun(i, length);
        continue;
      }
      // only a newline or an escape sequence can emit rows (each row once at most): stop while all of them fit
      if ((b == 0x0a || b == 0x1b) && full()) break;
      if (b == 0x1b && i + 2 < length && load<u8>(INPUT + <usize>(i + 1)) == 0x5b) {
        const after = wholeCsi(i + 2, length);
        if (after > 0) {
          i = after;
          continue;
        }
      }
      units++;
      i++;
      switch (b) {
        case 0x0a:
          lineFeed(units - 1);
          break;
        case 0x0d:
          col = 0;
          break;
        case 0x1b:
          state = ESCAPE;
          sequenceStart = units - 1;
          break;
        case 0x08:
          if (col > 0) col--;
          break;
        case 0x09:
          putSpaces(8 - (col & 7));
          break;
        default:
          break; // BEL, NUL and the other controls draw nothing
      }
      continue;
    }
    if (state == CSI) {
      if (b >= 0x30 && b <= 0x39) {
        current = (current < 0 ? 0 : current * 10) + <i32>(b - 0x30);
        if (current > 99999) current = 99999;
      } else if (b == 0x3b || b == 0x3a) {
        if (paramIndex == 0) p0 = current;
        else if (paramIndex == 1) p1 = current;
        paramIndex++;
        current = -1;
      } else if (b >= 0x3c && b <= 0x3f) {
        privateMarker = true;
      } else if (b >= 0x40 && b <= 0x7e) {
        if (paramIndex == 0) p0 = current;
        else if (paramIndex == 1) p1 = current;
        state = NORMAL;
        if (!privateMarker) csiFinal(b, sequenceStart);
      } else if (b < 0x20 || b > 0x2f) {
        state = NORMAL; // a control (or a non-ASCII byte) aborts the sequence and is handled as itself
        continue;
      }
      units++;
      i++;
      continue;
    }
    if (state == SKIP_CONTINUATION) {
      if ((b & 0xc0) != 0x80) {
        state = NORMAL;
        continue;
      }
      i++;
      continue;
    }
    if (state == STRING_ESCAPE && full()) break; // the ESC may begin a sequence that emits rows
    units += unitsOf(b);
    i++;
    switch (state) {
      case ESCAPE:
        escapeByte(b);
        break;
      case ESCAPE_INTERMEDIATE:
        if (b < 0x20 || b > 0x2f) state = NORMAL;
        break;
      case STRING:
        if (b == 0x07) state = NORMAL;
        else if (b == 0x1b) state = STRING_ESCAPE;
        else if (++sequenceLength > maxSequence) state = NORMAL; // unterminated: stops being special
        break;
      case STRING_ESCAPE:
        if (b == 0x5c) {
          state = NORMAL;
        } else {
          // the string ended at the ESC, which begins a new sequence
          sequenceStart = units - 2;
          escapeByte(b);
        }
        break;
      default:
        break;
    }
  }
  return i;
}

/** True when records, needle ids, the ring or the row-above area might not hold what one more byte can emit. */
@inline function full(): bool {
  return (
    recordCount > MAX_RECORDS - slots - 1 ||
    ringWritten > ringBudget ||
    aboveUsed > aboveSize - (slots + 1) * rowCap ||
    foundCount > MAX_FOUND - (slots + 1) * FOUND_PER_ROW
  );
}

/**
 * A CSI sequence read whole (the common case: a colour code), from its parameters at INPUT[from]; returns the index
 * after it, or 0 when it does not end before `length` or is aborted (the byte loop then reads it byte by byte).
 */
function wholeCsi(from: i32, length: i32): i32 {
  let j = from;
  let first: i32 = -1;
  let second: i32 = -1;
  let value: i32 = -1;
  let index = 0;
  let marked = false;
  for (; j < length; j++) {
    const c = <u32>load<u8>(INPUT + <usize>j);
    if (c - 0x30 < 10) {
      value = (value < 0 ? 0 : value * 10) + <i32>(c - 0x30);
      if (value > 99999) value = 99999;
    } else if (c == 0x3b || c == 0x3a) {
      if (index == 0) first = value;
      else if (index == 1) second = value;
      index++;
      value = -1;
    } else if (c - 0x3c < 4) {
      marked = true;
    } else if (c - 0x40 < 0x3f) {
      if (index == 0) first = value;
      else if (index == 1) second = value;
      const start = units;
      units += j + 1 - (from - 2);
      if (c != 0x6d && !marked) {
        p0 = first;
        p1 = second;
        csiFinal(c, start);
      }
      return j + 1;
    } else if (c - 0x20 >= 0x10) {
      return 0; // aborted by a control or non-ASCII byte: the byte loop handles it
    }
  }
  return 0;
}


/**
 * The common case, read in one loop: text and colour codes (SGR) appended at the end of the cursor's row, from
 * INPUT[i] (text or ESC), and the line ends (LF, CR LF) after which the next row starts empty. Text goes to the row
 * 16 bytes at a time, colour codes are skipped. Stops at anything else (another control, an escape sequence that
 * draws, the last 16 bytes of the input, the row's limits, records about to run out) and returns where; the byte
 * loop goes on from there. Returns i when it read nothing.
 */
const CSI_AHEAD = 3;

function appendRun(i: i32, length: i32): i32 {
  let j = i;
  const lenLimit = rowCap - 32;
  for (;;) {
    const s = slotOf(row);
    const startUnits = rowUnits(s);
    if (col != startUnits) break;
    const text = textOf(s);
    const startLen = rowLen(s);
    let len = startLen;
    let have = startUnits;
    let consumed = 0; // UTF-16 units of the stream read
    let wide = false;
    let lineEnd = 0; // the bytes of the line end it stopped at (1 for LF, 2 for CR LF), or CSI_AHEAD
    while (j + 16 <= length) {
      const block = v128.load(INPUT + <usize>j);
      const controls = i8x16.bitmask(controlBytes(block));
      const n = controls == 0 ? 16 : <i32>ctz<u32>(controls);
      if (n > 0) {
        let count = n;
        const high = i8x16.bitmask(block) & ((1 << n) - 1);
        if (high != 0) {
          // UTF-16 units: lead bytes count one, continuation bytes none, four-byte leads two
          const continuation = i8x16.bitmask(i8x16.eq(v128.and(block, TOP_TWO_BITS), CONTINUATION)) & ((1 << n) - 1);
          const fourByte = i8x16.bitmask(i8x16.ge_u(block, FOUR_BYTE_LEAD)) & ((1 << n) - 1);
          count = n - <i32>popcnt<u32>(continuation) + <i32>popcnt<u32>(fourByte);
          wide = true;
        }
        if (len > lenLimit || have + count > maxUnits) break;
        v128.store(text + <usize>len, block);
        len += n;
        have += count;
        consumed += count;
        j += n;
        if (n == 16) continue;
      }
      const c = load<u8>(INPUT + <usize>j);
      if (c == 0x0a) {
        lineEnd = 1;
        break;
      }
      if (c == 0x0d) {
        if (load<u8>(INPUT + <usize>(j + 1)) == 0x0a) lineEnd = 2;
        break;
      }
      if (c != 0x1b || load<u8>(INPUT + <usize>(j + 1)) != 0x5b) break;
      // a colour code (ESC [ digits ; : m, up to 16 bytes) is skipped here, without a byte loop; another CSI
      // sequence (erase in line, cursor to column...) is read below, after the row is written back
      const sequence = v128.load(INPUT + <usize>j);
      const parameters = v128.or(
        i8x16.lt_u(i8x16.sub(sequence, DIGIT_ZERO), TEN),
        v128.or(i8x16.eq(sequence, SEMICOLON), i8x16.eq(sequence, COLON)),
      );
      const final = <i32>ctz<u32>(~(i8x16.bitmask(parameters) | 3));
      if (final >= 16 || load<u8>(INPUT + <usize>(j + final)) != 0x6d) {
        lineEnd = CSI_AHEAD;
        break;
      }
      consumed += final + 1;
      j += final + 1;
    }
    if (len != startLen || have != startUnits) {
      setRow(s, len, have);
      if (wide) store<u8>(NON_ASCII + <usize>s, 1);
      touch(s);
    }
    col = have;
    units += consumed;
    // a line end or an escape sequence may emit rows: as in the byte loop, only while everything they can emit fits
    if (lineEnd == 0 || full()) break;
    if (lineEnd == CSI_AHEAD) {
      const after = wholeCsi(j + 2, length);
      if (after == 0) break;
      j = after;
      continue;
    }
    units += lineEnd;
    lineFeed(units - 1);
    j += lineEnd;
  }
  return j;
}

/** Puts the text from INPUT[i] to the next control byte (or the end); returns where it stopped. */
function textRun(i: i32, length: i32): i32 {
  let end = i + 1;
  let high = false;
  while (end + 16 <= length) {
    const block = v128.load(INPUT + <usize>end);
    const controls = i8x16.bitmask(controlBytes(block));
    const wideMask = i8x16.bitmask(block);
    if (controls != 0) {
      const n = <i32>ctz<u32>(controls);
      if ((wideMask & ((1 << n) - 1)) != 0) high = true;
      end += n;
      return finishRun(i, end, high || load<u8>(INPUT + <usize>i) >= 0x80);
    }
    if (wideMask != 0) high = true;
    end += 16;
  }
  while (end < length) {
    const c = load<u8>(INPUT + <usize>end);
    if (c < 0x20 || c == 0x7f) break;
    if (c >= 0x80) high = true;
    end++;
  }
  return finishRun(i, end, high || load<u8>(INPUT + <usize>i) >= 0x80);
}

function finishRun(i: i32, end: i32, wide: bool): i32 {
  const n = end - i;
  const count = wide ? countUnits(INPUT + <usize>i, n) : n;
  put(INPUT + <usize>i, n, count, wide);
  units += count;
  return end;
}

function beginCall(): void {
  callId++;
  if (callId == 0) callId = 1;
  units = 0;
  recordCount = 0;
  foundCount = 0;
  aboveUsed = 0;
  ringWritten = 0;
}

/** Emits every row with text not emitted yet (after an idle interval, or at the end); records as for write(). */
export function flush(): void {
  beginCall();
  for (let r = 0; r < nrows; r++) emitRow(r, 0, true);
}

/** End of stream: a dangling escape sequence is dropped, pending text is emitted. */
export function end(): void {
  state = NORMAL;
  flush();
}

export function records(): i32 {
  return recordCount;
}

/** UTF-16 units consumed by the last write(). */
export function consumedUnits(): i32 {
  return units;
}

/** True when the cursor's row holds text not emitted yet. */
export function hasPending(): bool {
  const s = slotOf(row);
  return load<u8>(DIRTY + <usize>s) != 0 && rowLen(s) > 0;
}

export function tailNextIndex(): i32 {
  return tailNext;
}

export function tailCount(): i32 {
  return tailSize;
}
