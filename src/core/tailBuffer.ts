/** A fixed-size ring of the most recent lines: what a build showed last, in bounded memory. */
export class TailBuffer {
  private readonly items: string[];
  private next = 0;
  private size = 0;

  constructor(capacity: number) {
    this.items = new Array<string>(Math.max(1, capacity));
  }

  push(line: string): void {
    this.items[this.next] = line;
    this.next = (this.next + 1) % this.items.length;
    if (this.size < this.items.length) this.size++;
  }

  /** The last `count` lines (all kept lines by default), oldest first. */
  lines(count = this.size): string[] {
    const n = Math.min(count, this.size);
    const out: string[] = [];
    for (let k = n; k > 0; k--) out.push(this.items[(this.next - k + this.items.length) % this.items.length]);
    return out;
  }
}
