import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { KeyedSemaphore } from './keyed-semaphore.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedSemaphore', () => {
  it('never has more than `capacity` holders of a key, serves waiters in arrival order, and forgets idle keys', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 3 })), {
          minLength: 1,
          maxLength: 30,
        }),
        async (capacity, jobs) => {
          const semaphore = new KeyedSemaphore(capacity);
          const holding = new Map<string, number>();
          let maxSeen = 0;
          const order: Record<string, number[]> = { a: [], b: [] };
          await Promise.all(
            jobs.map(async ([key, ticks], i) => {
              const release = await semaphore.acquire(key);
              order[key].push(i);
              holding.set(key, (holding.get(key) ?? 0) + 1);
              maxSeen = Math.max(maxSeen, holding.get(key) ?? 0);
              for (let t = 0; t < ticks; t++) await tick();
              holding.set(key, (holding.get(key) ?? 0) - 1);
              release();
              release(); // a second release is a no-op
            }),
          );
          expect(maxSeen).toBeLessThanOrEqual(capacity);
          for (const key of ['a', 'b'] as const) {
            const arrived = jobs.flatMap(([k], i) => (k === key ? [i] : []));
            expect(order[key]).toEqual(arrived);
          }
          expect(semaphore.size).toBe(0);
        },
      ),
    );
  });

  it('refuses a capacity below 1', () => {
    expect(() => new KeyedSemaphore(0)).toThrow();
  });
});
