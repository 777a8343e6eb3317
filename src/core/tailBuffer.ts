import { DEFAULT_MAX_LINE_LENGTH, visibleText } from './screen';

/**
 * A fixed-size ring of the most recent lines: what a build showed last, in bounded memory. Lines the engine skipped
 * are kept raw (with their colour codes) and cleaned only when read, to what the terminal model would have emitted.
 */
export class TailBuffer {
  private readonly items: string[];
  private readonly raw: boolean[];
  private next = 0;
  private size = 0;

  constructor(
    capacity: number,
    private readonly maxLineLength = DEFAULT_MAX_LINE_LENGTH,
  ) {
    this.items = new Array<string>(Math.max(1, capacity));
    this.raw = new Array<boolean>(this.items.length).fill(false);
  }

  push(line: string): void {
    this.add(line, false);
  }

  /**
   * A line as it came, text and colour codes only. One that shows nothing but spaces is dropped, as the terminal
   * model never emits a blank row; only a line starting with a space or a colour code can be one.
   */
  pushRaw(line: string): void {
    if (this.showsNothing(line)) return;
    this.add(line, true);
  }

  /**
   * `isBlank(visibleText(line))` without building the visible text: most lines answer at their first visible
   * character (the regex would cost more than the rest of a skipped line).
   */
  private showsNothing(line: string): boolean {
    let visible = 0;
    for (let i = 0; i < line.length && visible < this.maxLineLength; i++) {
      const c = line.charCodeAt(i);
      if (c === 0x20 || c === 0x09) {
        visible++;
        continue;
      }
      if (c !== 0x1b || line.charCodeAt(i + 1) !== 0x5b) return false;
      // a colour code, ESC [ digits ; : m, shows nothing; anything else after ESC [ is not removed, so it shows
      let j = i + 2;
      while (j < line.length && isSgrParameter(line.charCodeAt(j))) j++;
      if (line.charCodeAt(j) !== 0x6d) return false;
      i = j;
    }
    return true;
  }

  /** The last `count` lines (all kept lines by default), oldest first. */
  lines(count = this.size): string[] {
    const n = Math.min(count, this.size);
    const out: string[] = [];
    for (let k = n; k > 0; k--) {
      const at = (this.next - k + this.items.length) % this.items.length;
      out.push(this.raw[at] ? visibleText(this.items[at], this.maxLineLength) : this.items[at]);
    }
    return out;
  }

  private add(line: string, raw: boolean): void {
    this.items[this.next] = line;
    this.raw[this.next] = raw;
    this.next = (this.next + 1) % this.items.length;
    if (this.size < this.items.length) this.size++;
  }
}

function isSgrParameter(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x3b || c === 0x3a;
}
