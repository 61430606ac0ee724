/**
 * At most `capacity` holders per key at once; later callers wait in arrival order. In-process
 * only: it shapes the load one instance puts on a hot row, it guarantees nothing (the database's
 * locks and constraints do).
 */
export class KeyedSemaphore {
  private readonly keys = new Map<string, { holders: number; waiting: (() => void)[] }>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error('capacity must be >= 1');
  }

  /** Resolves with the release function once a slot for `key` is held. */
  async acquire(key: string): Promise<() => void> {
    let entry = this.keys.get(key);
    if (!entry) {
      entry = { holders: 0, waiting: [] };
      this.keys.set(key, entry);
    }
    if (entry.holders < this.capacity) entry.holders++;
    else {
      const queued = entry;
      await new Promise<void>((resolve) => queued.waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(key);
    };
  }

  /** Keys with a holder or a waiter (for tests). */
  get size(): number {
    return this.keys.size;
  }

  private release(key: string): void {
    const entry = this.keys.get(key);
    if (!entry) return;
    const next = entry.waiting.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else if (--entry.holders === 0) this.keys.delete(key);
  }
}
