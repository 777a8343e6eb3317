/**
 * The screen half of the line assembler: a window of the terminal's last rows, the cursor, and which rows have
 * been reported. `LineAssembler` (input, fast paths, escape parsing) drives it; this file is what those inputs do
 * to the screen.
 *
 * A row is emitted when the cursor leaves it by a newline, on a screen clear, or when `flushPartial()` is called
 * after an idle interval. A row that is redrawn with the same text is not emitted again. Blank rows are never
 * emitted. Characters are counted as one column each (wide characters are not measured).
 */

export type LineSink = (text: string, offset: number, partial: boolean) => void;

/** Colour and style sequences: by far the most common escapes, and they draw nothing. */
export const SGR = /\x1b\[[0-9;:]*m/g;

/** Longest row kept unless the caller says otherwise. */
export const DEFAULT_MAX_LINE_LENGTH = 4096;

/** True for an empty row or one that shows only spaces and tabs. */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) return false;
  }
  return true;
}

export abstract class Screen {
  protected rows: string[] = [''];
  protected emitted: (string | undefined)[] = [undefined];
  protected dirty: boolean[] = [false];
  protected row = 0;
  protected col = 0;
  protected savedRow = 0;
  protected savedCol = 0;
  /** Offset of the start of the current chunk in the whole stream. */
  protected base = 0;
  private emittingRow = 0;

  protected constructor(
    private readonly sink: LineSink,
    protected readonly maxLineLength: number,
    protected screenRows: number,
  ) {}

  /** True when the cursor's row holds visible text not emitted yet (other rows are checked by flushPartial). */
  get hasPending(): boolean {
    return this.dirty[this.row] && this.rows[this.row].length > 0;
  }

  resize(screenRows: number): void {
    this.screenRows = Math.max(1, screenRows);
  }

  /** Emits every row with unemitted visible text (after an idle interval, or at the end of the stream). */
  flushPartial(): void {
    for (let r = 0; r < this.rows.length; r++) this.emitRow(r, this.base, true);
  }

  protected put(text: string, start: number, end: number): void {
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

  protected putSpaces(count: number): void {
    const s = ' '.repeat(count);
    this.put(s, 0, s.length);
  }

  /** The visible text of the row above the one being emitted (what a code frame's caret points at). */
  rowAbove(): string {
    const r = this.emittingRow - 1;
    if (r < 0 || r >= this.rows.length) return '';
    return this.rows[r];
  }

  protected emitRow(r: number, offset: number, partial: boolean): void {
    if (!this.dirty[r]) return;
    this.emittingRow = r;
    this.dirty[r] = false;
    const text = this.rows[r];
    if (text === this.emitted[r] || isBlank(text)) return;
    this.emitted[r] = text;
    this.sink(text, offset, partial);
  }

  protected lineFeed(offset: number): void {
    this.emitRow(this.row, offset + 1, false);
    this.col = 0;
    this.moveToRow(this.row + 1);
  }

  /** Moves the cursor to row `r` of the window, creating rows below and dropping rows that scroll out of reach. */
  protected moveToRow(r: number): void {
    while (r >= this.rows.length) {
      this.rows.push('');
      this.emitted.push(undefined);
      this.dirty.push(false);
    }
    this.row = r;
    // Amortised trim: keep at most twice the screen height, dropping rows nobody can move back to.
    if (this.rows.length > this.screenRows * 2 + 8) {
      const drop = this.rows.length - this.screenRows;
      for (let k = 0; k < drop; k++) this.emitRow(k, this.base, true);
      this.rows.splice(0, drop);
      this.emitted.splice(0, drop);
      this.dirty.splice(0, drop);
      this.row -= drop;
      this.savedRow = Math.max(0, this.savedRow - drop);
    }
  }

  protected screenTop(): number {
    return Math.max(0, this.rows.length - this.screenRows);
  }

  protected cursorUp(count: number): void {
    this.row = Math.max(this.screenTop(), this.row - count);
  }

  protected clearScreen(offset: number): void {
    for (let r = 0; r < this.rows.length; r++) this.emitRow(r, offset, true);
    this.rows = [''];
    this.emitted = [undefined];
    this.dirty = [false];
    this.row = 0;
    this.col = 0;
    this.savedRow = 0;
    this.savedCol = 0;
  }

  protected eraseInLine(mode: number): void {
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

  protected eraseInDisplay(mode: number, offset: number): void {
    if (mode === 2 || mode === 3) {
      this.clearScreen(offset);
      return;
    }
    if (mode === 0) {
      this.eraseInLine(0);
      for (let r = this.row + 1; r < this.rows.length; r++) this.emitRow(r, offset, true);
      this.rows.length = this.emitted.length = this.dirty.length = this.row + 1;
    } else if (mode === 1) {
      for (let r = 0; r < this.row; r++) {
        this.emitRow(r, offset, true);
        this.rows[r] = '';
        this.emitted[r] = undefined;
      }
      this.eraseInLine(1);
    }
  }

  protected csiFinal(final: number, p0: number, p1: number, offset: number): void {
    const count = p0 > 0 ? p0 : 1;
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
