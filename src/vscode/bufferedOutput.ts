/** At most this much output is held while nobody consumes it yet (then the oldest is dropped). */
const MAX_HELD_CHARS = 1 << 20;

/**
 * A shell-integration output stream read from its first chunk on (VS Code only delivers data from the first read()),
 * held in memory until a consumer attaches, then passed straight through. Never written anywhere.
 */
export class BufferedOutput {
  private held: string[] = [];
  private heldChars = 0;
  private consumer: ((data: string) => void) | undefined;
  readonly done: Promise<void>;

  constructor(stream: AsyncIterable<string>) {
    this.done = (async () => {
      for await (const data of stream) {
        if (this.consumer) {
          this.consumer(data);
        } else {
          this.held.push(data);
          this.heldChars += data.length;
          while (this.heldChars > MAX_HELD_CHARS && this.held.length > 1) this.heldChars -= this.held.shift()!.length;
        }
      }
    })().catch(() => undefined);
  }

  /** Replays what was held, then delivers the rest as it comes. */
  attach(consumer: (data: string) => void): void {
    const held = this.held;
    this.held = [];
    this.heldChars = 0;
    for (const data of held) consumer(data);
    this.consumer = consumer;
  }

  /** Nobody will consume it: drop what is held and what comes. */
  discard(): void {
    this.held = [];
    this.heldChars = 0;
    this.consumer = () => undefined;
  }
}
