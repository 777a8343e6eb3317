import { DEFAULT_MAX_LINE_LENGTH, Screen, SGR, type LineSink } from './screen';

export type { LineSink } from './screen';

/*
 * Turns a terminal byte stream (already decoded to text) into the lines a person would see: this file reads the
 * input (a fast path for whole plain lines, the character-by-character model for the rest, escape sequences split
 * across chunks); screen.ts is what the input does to the screen and when rows are emitted. The engine runs the
 * same model in WebAssembly (wasm/assembly/terminal.ts) when it can; this one is the reference it is tested against
 * and the fallback without WebAssembly.
 *
 * Written by hand because no library does this cheaply: strip-ansi-style regexes work per string and cannot handle
 * sequences split across chunks, `\r` rewrites, erase-line or cursor-up redraws; a full emulator (xterm-headless)
 * costs an order of magnitude more per byte than our throughput budget allows and keeps a whole screen buffer.
 */
export interface LineAssemblerOptions {
  /** Longest row kept; characters written past it are dropped. */
  maxLineLength?: number;
  /** Rows a cursor-up or absolute move can reach (the terminal's height). */
  screenRows?: number;
  /** Longest escape sequence kept while waiting for its end (an unterminated OSC stops being special after this). */
  maxSequenceLength?: number;
}

const ESC = 0x1b;
const LF = 0x0a;
const CR = 0x0d;
const BS = 0x08;
const TAB = 0x09;
const BEL = 0x07;
/** Any control character; a line still holding one after SGR removal needs the terminal model. */
const CONTROL = /[\x00-\x1f\x7f]/;
/** Erase the whole row, then back to its first column: nothing written on the row before shows any more. */
const ERASE_ROW_AND_RETURN = '\x1b[2K\r';
/** Lines shorter than this are emulated whole: looking for an erase would cost about as much. */
const MIN_ERASED_SKIP = 256;
/**
 * What may act beyond the cursor's row: any control but CR, and any escape sequence but a CSI that colours, erases
 * in the row or moves along it (m K G C D), or a private one (ignored by the model).
 */
const NON_LOCAL = /[\x00-\x0c\x0e-\x1a\x1c-\x1f\x7f]|\x1b(?!\[(?:[0-9;:]*[mKGCD]|[<=>?][0-9;:]*[\x40-\x7e]))/g;

export class LineAssembler extends Screen {
  private readonly maxSequenceLength: number;
  /** Start of an escape sequence that has not ended yet, kept for the next chunk. */
  private carry = '';
  /** `nextNonLocal`'s last answer: the first non-local character of `nonLocalText` at or after `nonLocalFrom`. */
  private nonLocalText = '';
  private nonLocalFrom = 0;
  private nonLocalAt = 0;

  constructor(sink: LineSink, options: LineAssemblerOptions = {}) {
    super(sink, options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH, Math.max(1, options.screenRows ?? 30));
    this.maxSequenceLength = options.maxSequenceLength ?? 4096;
  }

  /** Characters consumed so far. */
  get offset(): number {
    return this.base;
  }

  write(chunk: string): void {
    // this.base already stops before a carried sequence, so the joined text starts at this.base
    let text = chunk;
    const base = this.base;
    if (this.carry.length > 0) {
      text = this.carry + chunk;
      this.carry = '';
    }
    this.base = base + text.length;

    const n = text.length;
    let i = 0;
    while (i < n) {
      // Fast path, one whole line at a time with native scans: most lines are text, colour codes and \r\n.
      const lf = text.indexOf('\n', i);
      if (lf < 0) break;
      if (this.plainLine(text, i, lf, base)) {
        i = lf + 1;
        continue;
      }
      // This line needs the terminal model; it may also run past lf (an OSC string holding a newline).
      i = this.emulate(text, this.skipErased(text, i, lf), lf + 1, base);
      if (i < 0) return; // incomplete escape sequence kept for the next chunk
    }
    if (i < n) this.emulate(text, this.skipErased(text, i, n), n, base);
  }

  /**
   * Handles text[start, lf] as one line if, once colour (SGR) sequences and the \r before the newline are removed,
   * no control character is left. Returns false (having done nothing) otherwise.
   */
  private plainLine(text: string, start: number, lf: number, base: number): boolean {
    let end = lf;
    if (end > start && text.charCodeAt(end - 1) === CR) end--;
    let line = text.slice(start, end);
    if (line.indexOf('\x1b') >= 0) line = line.replace(SGR, '');
    if (CONTROL.test(line)) return false;
    if (line.length > 0) {
      if (this.col === 0 && this.rows[this.row].length === 0) {
        // the common case: a new line on an empty row
        this.rows[this.row] = line.length > this.maxLineLength ? line.slice(0, this.maxLineLength) : line;
        this.col = this.rows[this.row].length;
        this.dirty[this.row] = true;
      } else {
        this.put(line, 0, line.length);
      }
    }
    this.lineFeed(base + lf);
    return true;
  }

  /**
   * A line a progress display redraws in place ("10% building\x1b[2K\r11% building\x1b[2K\r…", tens of KB
   * before its newline) shows only what follows its last erase: when everything before that erase only writes and
   * erases on this row, the row is cleared and emulation starts after it. Returns where to start.
   */
  private skipErased(text: string, start: number, end: number): number {
    // short lines are cheap to emulate; the search runs inside the line only (a slice is a view, not a copy)
    if (end - start < MIN_ERASED_SKIP) return start;
    const found = text.slice(start, end).lastIndexOf(ERASE_ROW_AND_RETURN);
    const at = start + found;
    if (found <= 0 || this.nextNonLocal(text, start) < at) return start;
    this.rows[this.row] = '';
    this.dirty[this.row] = true;
    this.col = 0;
    return at + ERASE_ROW_AND_RETURN.length;
  }

  /** Index of the first character at or after `from` that may act beyond the cursor's row (cached per chunk). */
  private nextNonLocal(text: string, from: number): number {
    if (text !== this.nonLocalText || from < this.nonLocalFrom || (this.nonLocalAt < from && this.nonLocalAt >= 0)) {
      NON_LOCAL.lastIndex = from;
      const m = NON_LOCAL.exec(text);
      this.nonLocalText = text;
      this.nonLocalFrom = from;
      this.nonLocalAt = m ? m.index : text.length;
    }
    return this.nonLocalAt;
  }

  /**
   * The terminal model, character by character, over text[i, until). Returns where it stopped (at least `until`
   * unless a sequence ran past it), or -1 when the chunk ended inside an escape sequence (kept in `carry`).
   */
  private emulate(text: string, i: number, until: number, base: number): number {
    const n = text.length;
    let runStart = i;
    while (i < until) {
      const code = text.charCodeAt(i);
      if (code >= 0x20 && code !== 0x7f) {
        i++;
        continue;
      }
      if (i > runStart) this.put(text, runStart, i);
      switch (code) {
        case LF:
          this.lineFeed(base + i);
          i++;
          break;
        case CR:
          this.col = 0;
          i++;
          break;
        case BS:
          if (this.col > 0) this.col--;
          i++;
          break;
        case TAB:
          this.putSpaces(8 - (this.col % 8));
          i++;
          break;
        case ESC: {
          const end = this.escape(text, i, base);
          if (end < 0) {
            // incomplete sequence at the end of the chunk: keep it for the next one (bounded)
            const rest = n - i;
            if (rest <= this.maxSequenceLength) {
              this.carry = text.slice(i);
              this.base -= rest;
            }
            return -1;
          }
          i = end;
          if (i > until) until = Math.min(n, i);
          break;
        }
        default:
          // BEL, NUL and the other C0 controls draw nothing
          i++;
          break;
      }
      runStart = i;
    }
    if (i > runStart) this.put(text, runStart, i);
    return i;
  }

  /** End of stream: a dangling escape sequence is dropped, pending text is emitted. */
  end(): void {
    this.carry = '';
    this.flushPartial();
  }

  // ---- escape sequences -------------------------------------------------------------------------------------

  /** Handles the sequence starting at `i` (an ESC); returns the index after it, or -1 if it is incomplete. */
  private escape(text: string, i: number, base: number): number {
    const n = text.length;
    if (i + 1 >= n) return -1;
    const kind = text.charCodeAt(i + 1);
    switch (kind) {
      case 0x5b: // '[' CSI
        return this.csi(text, i + 2, base + i);
      case 0x5d: // ']' OSC
      case 0x50: // 'P' DCS
      case 0x5f: // '_' APC
      case 0x5e: // '^' PM
      case 0x58: // 'X' SOS
        return this.stringSequence(text, i + 2);
      case 0x63: // 'c' full reset
        this.clearScreen(base + i);
        return i + 2;
      case 0x37: // '7' save cursor
        this.savedRow = this.row;
        this.savedCol = this.col;
        return i + 2;
      case 0x38: // '8' restore cursor
        this.row = Math.min(this.savedRow, this.rows.length - 1);
        this.col = this.savedCol;
        return i + 2;
      case 0x4d: // 'M' reverse index
        this.cursorUp(1);
        return i + 2;
      case 0x44: // 'D' index
        this.moveToRow(this.row + 1);
        return i + 2;
      case 0x45: // 'E' next line
        this.lineFeed(base + i);
        return i + 2;
      default:
        if (kind >= 0x20 && kind <= 0x2f) {
          // ESC + intermediates + final, e.g. charset designation ESC ( B
          let j = i + 2;
          while (j < n && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
          return j < n ? j + 1 : -1;
        }
        return i + 2;
    }
  }

  /** OSC/DCS/APC/PM/SOS: skipped up to BEL or ST (ESC \). */
  private stringSequence(text: string, from: number): number {
    const n = text.length;
    for (let j = from; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === BEL) return j + 1;
      if (c === ESC) {
        if (j + 1 >= n) return -1;
        if (text.charCodeAt(j + 1) === 0x5c) return j + 2;
        // another ESC inside an unterminated string: the string ends here (xterm does the same)
        return j;
      }
    }
    return -1;
  }

  private csi(text: string, from: number, offset: number): number {
    const n = text.length;
    let j = from;
    let p0 = -1;
    let p1 = -1;
    let current = -1;
    let paramIndex = 0;
    let privateMarker = false;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c >= 0x30 && c <= 0x39) {
        current = (current < 0 ? 0 : current * 10) + (c - 0x30);
        if (current > 99999) current = 99999;
      } else if (c === 0x3b || c === 0x3a) {
        if (paramIndex === 0) p0 = current;
        else if (paramIndex === 1) p1 = current;
        paramIndex++;
        current = -1;
      } else if (c >= 0x3c && c <= 0x3f) {
        privateMarker = true;
      } else if (c >= 0x20 && c <= 0x2f) {
        // intermediate bytes
      } else if (c >= 0x40 && c <= 0x7e) {
        if (paramIndex === 0) p0 = current;
        else if (paramIndex === 1) p1 = current;
        if (!privateMarker) this.csiFinal(c, p0, p1, offset);
        return j + 1;
      } else {
        // a control character inside CSI aborts it; the control is processed normally
        return j;
      }
    }
    return -1;
  }

}
