/**
 * Time source for the engine. Injected so that replays run on the recording's own clock (instantly) and tests are
 * deterministic, while live builds use the system clock.
 */
export interface Clock {
  /** Milliseconds; only differences matter. */
  now(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer: (callback, delayMs) => {
    const handle = setTimeout(callback, delayMs);
    // a pending flush must never keep a CLI process alive
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface VirtualTimer {
  due: number;
  seq: number;
  callback: () => void;
}

/** A clock that only moves when told to; timers fire in due order as it advances. */
export class VirtualClock implements Clock {
  private current: number;
  private timers: VirtualTimer[] = [];
  private seq = 0;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, delayMs: number): unknown {
    const timer: VirtualTimer = { due: this.current + Math.max(0, delayMs), seq: this.seq++, callback };
    this.timers.push(timer);
    return timer;
  }

  clearTimer(handle: unknown): void {
    const index = this.timers.indexOf(handle as VirtualTimer);
    if (index >= 0) this.timers.splice(index, 1);
  }

  /** Moves time forward to `time`, firing every timer due on the way at its own due time. */
  advanceTo(time: number): void {
    for (;;) {
      let next: VirtualTimer | undefined;
      for (const t of this.timers) {
        if (t.due <= time && (!next || t.due < next.due || (t.due === next.due && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.current = Math.max(this.current, next.due);
      next.callback();
    }
    this.current = Math.max(this.current, time);
  }
}
