// AssemblyScript (see terminal.ts): where things are in the module's memory, and the record format the
// JavaScript side reads (src/core/wasm/terminal.ts mirrors the record fields and flags).

// ---- needle index (as built by setNeedle/buildIndex) --------------------------------------------------------
export const HEAD4: usize = 0x0000; // 4096 x u16: bucket -> 1 + first needle whose last 4 bytes hash there
export const HEAD3: usize = 0x2000; // 4096 x u16: the same for 3-byte needles
export const NEXT: usize = 0x4000; // 512 x u16: next needle in the same bucket (1-based, 0 ends)
export const NOFF: usize = 0x4400; // 512 x u16: needle offset in NBYTES
export const NLEN: usize = 0x4800; // 512 x u8: needle length
export const NBUCKET: usize = 0x4c00; // 512 x u8: needle bucket (0-7) of the block filter, chosen by the caller
export const NBYTES: usize = 0x5000; // needle bytes (16 KB)
export const BITS4: usize = 0x9100; // 4096-bit filter over HEAD4: most candidate ends stop here
export const BITS3: usize = 0x9300; // the same over HEAD3
// Block filter (8 x 16 bytes): for the fourth-last to the last byte of the needles, which of 8 buckets of needles
// (NBUCKET) have a byte with this low (LO) / high (HI) nibble there. A 3-byte needle passes any fourth-last byte.
export const LO1: usize = 0x9500;
export const HI1: usize = 0x9510;
export const LO2: usize = 0x9520;
export const HI2: usize = 0x9530;
export const LO3: usize = 0x9540;
export const HI3: usize = 0x9550;
export const LO0: usize = 0x9560;
export const HI0: usize = 0x9570;
export const SPACES: usize = 0x9600; // 16 spaces (tab stops)
export const SEEN: usize = 0x9800; // 512 x u32: stamp of the last row each needle was found in

// ---- rows (per slot of a ring of rows; logical row r lives in slot (top + r) % slots) --------------------------
export const MAX_SLOTS: i32 = 1024;
export const ROW_LEN: usize = 0xa000; // u32 bytes
export const ROW_UNITS: usize = 0xb000; // u32 UTF-16 units
export const EM_LEN: usize = 0xc000; // i32 bytes of the text last emitted from the row, -1 for none
export const RING_AT: usize = 0xd000; // u32 address of the row's current text in the ring (valid when RING_CALL matches)
export const RING_CALL: usize = 0xe000; // u32 call in which the row's current text was copied to the ring, 0 for none
export const DIRTY: usize = 0xf000; // u8 changed since last emitted
export const NON_ASCII: usize = 0xf400; // u8 holds a byte >= 0x80 (columns are not bytes)

// ---- per call ----------------------------------------------------------------------------------------------
export const RECORDS: usize = 0x10000; // RECORD_INTS x i32 per emitted row
export const RECORD_INTS: i32 = 8;
export const MAX_RECORDS: i32 = 2048; // 64 KB of records: up to FOUND
export const FOUND: usize = 0x20000; // u16 needle indexes found, per record (FOUND_START..+FOUND_COUNT)
export const MAX_FOUND: i32 = 32768;
/** Needles reported per row at most; a row with more is flagged MANY (the caller scans it itself). */
export const FOUND_PER_ROW: i32 = 32;
export const INPUT: usize = 0x30000; // the bytes to process (64 KB)
export const TAIL: usize = 0x40000; // 2 x u32 (address, length) per kept line, a ring of tailCap entries
export const DYNAMIC: usize = 0x42000; // row texts, emitted copies, row-above copies, the ring

// record fields
export const R_FLAGS: i32 = 0;
export const R_ADDR: i32 = 1;
export const R_LEN: i32 = 2;
export const R_UNITS: i32 = 3; // UTF-16 units consumed in this call when the row was emitted
export const R_ABOVE_ADDR: i32 = 4;
export const R_ABOVE_LEN: i32 = 5;
export const R_FOUND_START: i32 = 6;
export const R_FOUND_COUNT: i32 = 7;
// record flags
export const PARTIAL: i32 = 1; // emitted without a newline (flush, clear, scrolled out)
export const HIT: i32 = 2; // holds a needle
export const ECHO: i32 = 4; // "> …" or "$ …" (a package manager echoing the script it runs), or a runner's line
export const WIDE: i32 = 8; // holds bytes >= 0x80 (decode as UTF-8)
export const MANY: i32 = 16; // more needles than reported
