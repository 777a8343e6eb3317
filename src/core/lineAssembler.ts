/**
 * Turns a terminal byte stream (already decoded to text) into the lines a person would see.
 *
 * Written by hand because no library does this cheaply: strip-ansi-style regexes work per string and cannot handle
 * sequences split across chunks, `\r` rewrites, erase-line or cursor-up redraws; a full emulator (xterm-headless)
 * costs an order of magnitude more per byte than our throughput budget allows and keeps a whole screen buffer.
 *
 * Model: a small window of the screen's last rows (as many as the terminal is tall), a cursor, and for each row the
 * text it last emitted. A row is emitted when the cursor leaves it by a newline, on a screen clear, or when
 * `flushPartial()` is called after an idle interval. A row that is redrawn with the same text is not emitted again.
 * Blank rows are never emitted. Characters are counted as one column each (wide characters are not measured).
 */
/** What the caller's prefilter (the WebAssembly line scanner) said of a line. */
export const enum Prefiltered {
  /** None of the needles is in the line. */
  Nothing = 0,
  /** A needle is in the line. */
  Found = 1,
  /** No verdict: no prefilter, or a line the terminal model had to emulate. */
  Unknown = 2,
}

export type LineSink = (text: string, offset: number, partial: boolean, prefiltered: Prefiltered) => void;

/** The prefilter's verdict for one chunk: a LINE_HIT | LINE_PLAIN byte per newline. */
export interface Candidates {
  flags: Uint8Array;
  lines: number;
}

const LINE_HIT = 1;
const LINE_PLAIN = 2;

/**
 * Lets the assembler skip a plain line the prefilter found nothing in, keeping only its raw text (visible text is
 * computed if something ever needs it): `canSkip` is asked per line, `skipped` receives the raw text.
 */
export interface SkipHooks {
  canSkip(): boolean;
  skipped(raw: string): void;
  /** How many of a run of skipped lines to keep (raw) at its end: lines nobody will look at are never cut out. */
  keep: number;
}

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
/** Colour and style sequences: by far the most common escapes, and they draw nothing. */
const SGR = /\x1b\[[0-9;:]*m/g;
/** Any control character; a line still holding one after SGR removal needs the terminal model. */
const CONTROL = /[\x00-\x1f\x7f]/;

/** True for an empty row or one that shows only spaces and tabs (checks the first characters only, as a rule). */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

export class LineAssembler {
  private readonly maxLineLength: number;
  private readonly maxSequenceLength: number;
  private screenRows: number;

  private rows: string[] = [''];
  private emitted: (string | undefined)[] = [undefined];
  private dirty: boolean[] = [false];
  private row = 0;
  private col = 0;
  private savedRow = 0;
  private savedCol = 0;
  /** Start of an escape sequence that has not ended yet, kept for the next chunk. */
  private carry = '';
  /** Offset of the start of the current chunk in the whole stream. */
  private base = 0;
  private flags: Uint8Array | undefined;
  /** Rows holding raw text (colour codes not yet removed) of lines that were skipped. */
  private lazy: boolean[] = [false];
  private newlines = 0;
  private candidate = Prefiltered.Unknown;
  private emittingRow = 0;
  /** The prefilter counted a different number of newlines than the terminal model (its verdicts are unusable). */
  candidatesMismatched = false;

  constructor(
    private readonly sink: LineSink,
    options: LineAssemblerOptions = {},
    private readonly skip?: SkipHooks,
  ) {
    this.maxLineLength = options.maxLineLength ?? 4096;
    this.screenRows = Math.max(1, options.screenRows ?? 30);
    this.maxSequenceLength = options.maxSequenceLength ?? 4096;
  }

  /** Characters consumed so far. */
  get offset(): number {
    return this.base;
  }

  /** True when the cursor's row holds visible text not emitted yet (other rows are checked by flushPartial). */
  get hasPending(): boolean {
    return this.dirty[this.row] && this.rows[this.row].length > 0;
  }

  resize(screenRows: number): void {
    this.screenRows = Math.max(1, screenRows);
  }

  write(chunk: string, candidates?: Candidates): void {
    this.flags = candidates?.flags;
    this.newlines = 0;
    this.writeText(chunk);
    this.candidate = Prefiltered.Unknown;
    if (candidates && this.newlines !== candidates.lines) this.candidatesMismatched = true;
    this.flags = undefined;
  }

  private writeText(chunk: string): void {
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
      const after = this.skipPlainRun(text, i, lf);
      if (after >= 0) {
        i = after;
        continue;
      }
      if (this.plainLine(text, i, lf, base)) {
        i = lf + 1;
        continue;
      }
      // This line needs the terminal model; it may also run past lf (an OSC string holding a newline).
      i = this.emulate(text, i, lf + 1, base);
      if (i < 0) return; // incomplete escape sequence kept for the next chunk
    }
    if (i < n) this.emulate(text, i, n, base);
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
    this.candidate = this.takeCandidate();
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
    this.candidate = Prefiltered.Unknown;
    return true;
  }

  /** Counts one newline and returns the prefilter's verdict on the line it ends. */
  private takeCandidate(): Prefiltered {
    const flags = this.flags;
    const index = this.newlines++;
    if (!flags || index >= flags.length) return Prefiltered.Unknown;
    return (flags[index] & LINE_HIT) !== 0 ? Prefiltered.Found : Prefiltered.Nothing;
  }

  /**
   * The cheapest path: a run of plain lines (text and colour codes only) in which the prefilter found no needle,
   * starting on an empty row. The last `keep` of them are stored raw (cleaned only if a redraw or the tail needs
   * them); the ones before are passed over with one native newline search each. Returns where the run ends, or -1.
   */
  private skipPlainRun(text: string, start: number, lf: number): number {
    const flags = this.flags;
    const skip = this.skip;
    if (!flags || !skip || flags[this.newlines] !== LINE_PLAIN || this.col !== 0 || this.rows[this.row].length !== 0) return -1;
    if (!skip.canSkip()) return -1;
    let run = 1;
    while (this.newlines + run < flags.length && flags[this.newlines + run] === LINE_PLAIN) run++;
    let i = start;
    let next = lf;
    const pass = run - Math.min(run, Math.max(skip.keep, this.screenRows));
    if (pass > 0) {
      // these lines scroll out of reach before anyone could look at them: only count them
      for (let k = 0; k < pass; k++) {
        i = next + 1;
        next = k + 1 < pass || run > pass ? text.indexOf('\n', i) : next;
      }
      this.newlines += pass;
      // every row above is out of reach now: the same as a cleared screen
      this.clearScreen(this.base);
    }
    for (let k = pass; k < run; k++) {
      this.skipPlainLine(text, i, next);
      i = next + 1;
      if (k + 1 < run) next = text.indexOf('\n', i);
    }
    return i;
  }

  private skipPlainLine(text: string, start: number, lf: number): void {
    const skip = this.skip!;
    this.newlines++;
    let end = lf;
    if (end > start && text.charCodeAt(end - 1) === CR) end--;
    if (end > start) {
      const raw = text.slice(start, Math.min(end, start + this.maxLineLength * 4));
      this.rows[this.row] = raw;
      this.lazy[this.row] = true;
      this.dirty[this.row] = false;
      skip.skipped(raw);
    }
    this.moveToRow(this.row + 1);
  }

  /** Turns a skipped row's raw text into its visible text (colour codes removed), counted as already emitted. */
  private resolve(r: number): void {
    if (!this.lazy[r]) return;
    this.lazy[r] = false;
    const visible = this.rows[r].replace(SGR, '');
    this.rows[r] = visible.length > this.maxLineLength ? visible.slice(0, this.maxLineLength) : visible;
    this.emitted[r] = this.rows[r];
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
          this.newlines++;
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

  /** Emits every row with unemitted visible text (after an idle interval, or at the end of the stream). */
  flushPartial(): void {
    for (let r = 0; r < this.rows.length; r++) this.emitRow(r, this.base, true);
  }

  /** End of stream: a dangling escape sequence is dropped, pending text is emitted. */
  end(): void {
    this.carry = '';
    this.flushPartial();
  }

  // ---- text -------------------------------------------------------------------------------------------------

  private put(text: string, start: number, end: number): void {
    this.resolve(this.row);
    const row = this.rows[this.row];
    const col = this.col;
    const max = this.maxLineLength;
    if (col >= max) return;
    let piece = start === 0 && end === text.length ? text : text.slice(start, end);
    if (col + piece.length > max) piece = piece.slice(0, max - col);
    if (col === row.length) {
      this.rows[this.row] = row + piece;
    } else if (col > row.length) {
      this.rows[this.row] = row + ' '.repeat(col - row.length) + piece;
    } else {
      this.rows[this.row] = row.slice(0, col) + piece + row.slice(col + piece.length);
    }
    this.col = col + piece.length;
    this.dirty[this.row] = true;
  }

  private putSpaces(count: number): void {
    const s = ' '.repeat(count);
    this.put(s, 0, s.length);
  }

  // ---- rows -------------------------------------------------------------------------------------------------

  /** The visible text of the row above the one being emitted (what a code frame's caret points at). */
  rowAbove(): string {
    const r = this.emittingRow - 1;
    if (r < 0 || r >= this.rows.length) return '';
    this.resolve(r);
    return this.rows[r];
  }

  private emitRow(r: number, offset: number, partial: boolean): void {
    if (!this.dirty[r] || this.lazy[r]) return;
    this.emittingRow = r;
    this.dirty[r] = false;
    const text = this.rows[r];
    if (text === this.emitted[r] || isBlank(text)) return;
    this.emitted[r] = text;
    this.sink(text, offset, partial, partial ? Prefiltered.Unknown : this.candidate);
  }

  private lineFeed(offset: number): void {
    this.emitRow(this.row, offset + 1, false);
    this.col = 0;
    this.moveToRow(this.row + 1);
  }

  /** Moves the cursor to row `r` of the window, creating rows below and dropping rows that scroll out of reach. */
  private moveToRow(r: number): void {
    while (r >= this.rows.length) {
      this.rows.push('');
      this.emitted.push(undefined);
      this.dirty.push(false);
      this.lazy.push(false);
    }
    this.row = r;
    // Amortised trim: keep at most twice the screen height, dropping rows nobody can move back to.
    if (this.rows.length > this.screenRows * 2 + 8) {
      const drop = this.rows.length - this.screenRows;
      for (let k = 0; k < drop; k++) this.emitRow(k, this.base, true);
      this.rows.splice(0, drop);
      this.emitted.splice(0, drop);
      this.dirty.splice(0, drop);
      this.lazy.splice(0, drop);
      this.row -= drop;
      this.savedRow = Math.max(0, this.savedRow - drop);
    }
  }

  private screenTop(): number {
    return Math.max(0, this.rows.length - this.screenRows);
  }

  private cursorUp(count: number): void {
    this.row = Math.max(this.screenTop(), this.row - count);
  }

  private clearScreen(offset: number): void {
    for (let r = 0; r < this.rows.length; r++) this.emitRow(r, offset, true);
    this.rows = [''];
    this.emitted = [undefined];
    this.dirty = [false];
    this.lazy = [false];
    this.row = 0;
    this.col = 0;
    this.savedRow = 0;
    this.savedCol = 0;
  }

  private eraseInLine(mode: number): void {
    this.resolve(this.row);
    const row = this.rows[this.row];
    if (mode === 0) {
      if (this.col < row.length) this.rows[this.row] = row.slice(0, this.col);
    } else if (mode === 1) {
      const upTo = Math.min(row.length, this.col + 1);
      this.rows[this.row] = ' '.repeat(upTo) + row.slice(upTo);
    } else {
      this.rows[this.row] = '';
    }
    this.dirty[this.row] = true;
  }

  private eraseInDisplay(mode: number, offset: number): void {
    if (mode === 2 || mode === 3) {
      this.clearScreen(offset);
      return;
    }
    if (mode === 0) {
      this.eraseInLine(0);
      for (let r = this.row + 1; r < this.rows.length; r++) this.emitRow(r, offset, true);
      this.rows.length = this.emitted.length = this.dirty.length = this.lazy.length = this.row + 1;
    } else if (mode === 1) {
      for (let r = 0; r < this.row; r++) {
        this.emitRow(r, offset, true);
        this.rows[r] = '';
        this.emitted[r] = undefined;
        this.lazy[r] = false;
      }
      this.eraseInLine(1);
    }
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

  private csiFinal(final: number, p0: number, p1: number, offset: number): void {
    const count = p0 > 0 ? p0 : 1;
    if (final === 0x50 || final === 0x58 || final === 0x40) this.resolve(this.row);
    switch (final) {
      case 0x6d: // 'm' SGR: colours, the most common by far
        return;
      case 0x4b: // 'K' erase in line
        this.eraseInLine(p0 < 0 ? 0 : p0);
        return;
      case 0x4a: // 'J' erase in display
        this.eraseInDisplay(p0 < 0 ? 0 : p0, offset);
        return;
      case 0x41: // 'A' cursor up
        this.cursorUp(count);
        return;
      case 0x46: // 'F' cursor previous line
        this.cursorUp(count);
        this.col = 0;
        return;
      case 0x42: // 'B' cursor down
        this.moveToRow(this.row + count);
        return;
      case 0x45: // 'E' cursor next line
        this.moveToRow(this.row + count);
        this.col = 0;
        return;
      case 0x43: // 'C' cursor forward
        this.col = Math.min(this.maxLineLength, this.col + count);
        return;
      case 0x44: // 'D' cursor back
        this.col = Math.max(0, this.col - count);
        return;
      case 0x47: // 'G' cursor horizontal absolute
      case 0x60: // '`'
        this.col = Math.min(this.maxLineLength, count - 1);
        return;
      case 0x48: // 'H' cursor position
      case 0x66: {
        // 'f'
        const target = this.screenTop() + (p0 > 0 ? p0 : 1) - 1;
        this.moveToRow(target);
        this.col = Math.min(this.maxLineLength, (p1 > 0 ? p1 : 1) - 1);
        return;
      }
      case 0x64: // 'd' line position absolute
        this.moveToRow(this.screenTop() + count - 1);
        return;
      case 0x50: {
        // 'P' delete characters
        const row = this.rows[this.row];
        if (this.col < row.length) {
          this.rows[this.row] = row.slice(0, this.col) + row.slice(this.col + count);
          this.dirty[this.row] = true;
        }
        return;
      }
      case 0x58: {
        // 'X' erase characters
        const row = this.rows[this.row];
        if (this.col < row.length) {
          const end = Math.min(row.length, this.col + count);
          this.rows[this.row] = row.slice(0, this.col) + ' '.repeat(end - this.col) + row.slice(end);
          this.dirty[this.row] = true;
        }
        return;
      }
      case 0x40: {
        // '@' insert blank characters
        const row = this.rows[this.row];
        if (this.col < row.length) {
          const next = row.slice(0, this.col) + ' '.repeat(count) + row.slice(this.col);
          this.rows[this.row] = next.length > this.maxLineLength ? next.slice(0, this.maxLineLength) : next;
          this.dirty[this.row] = true;
        }
        return;
      }
      case 0x73: // 's' save cursor
        this.savedRow = this.row;
        this.savedCol = this.col;
        return;
      case 0x75: // 'u' restore cursor
        this.row = Math.min(this.savedRow, this.rows.length - 1);
        this.col = this.savedCol;
        return;
      default:
        return;
    }
  }
}
