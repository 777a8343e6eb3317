/** A disposable resource; the same shape as vscode.Disposable so adapters can hand these straight to VS Code. */
export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (value: T) => void;
export type Event<T> = (listener: Listener<T>) => Disposable;

/**
 * A minimal typed event emitter (the `vscode.EventEmitter` shape without importing vscode).
 * Listeners are kept in an array copied on write so firing never allocates.
 */
export class Emitter<T> implements Disposable {
  private listeners: ReadonlyArray<Listener<T>> = [];

  readonly event: Event<T> = (listener) => {
    this.listeners = [...this.listeners, listener];
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  };

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  fire(value: T): void {
    const current = this.listeners;
    for (let i = 0; i < current.length; i++) current[i](value);
  }

  dispose(): void {
    this.listeners = [];
  }
}

/** Collects disposables and disposes them together, last added first. */
export class DisposableStore implements Disposable {
  private items: Disposable[] = [];
  private disposed = false;

  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  dispose(): void {
    this.disposed = true;
    const items = this.items;
    this.items = [];
    for (let i = items.length - 1; i >= 0; i--) {
      try {
        items[i].dispose();
      } catch {
        // one failing disposable must not keep the others alive
      }
    }
  }
}
