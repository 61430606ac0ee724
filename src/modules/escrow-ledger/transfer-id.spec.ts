import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { v4, v7, version } from 'uuid';
import { transferIdFor } from './ledger.service.js';

/** The derivation every transfer id had before issue 18's time-ordered ids (version 8). */
function hashOnlyId(key: string): string {
  const h = createHash('sha256').update(`zc-ledger:${key}`).digest();
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const timeOf = (id: string) => id.replace(/-/g, '').slice(0, 12);

describe('transfer ids derived from idempotency keys (issue 18)', () => {
  it('a key without a time-ordered UUID at its end keeps its version 8 id, unchanged', () => {
    fc.assert(
      fc.property(fc.string(), fc.uuid({ version: 4 }), (text, id) => {
        for (const key of [text, `deposit:${text}`, `pledge:${id}`, `post:${hashOnlyId(text)}`]) {
          expect(transferIdFor(key)).toBe(hashOnlyId(key));
          expect(version(transferIdFor(key))).toBe(8);
        }
      }),
    );
  });

  it("a pledge's hold and the hold's post or void carry the pledge id's time (version 7)", () => {
    const pledgeId = v7();
    const hold = transferIdFor(`pledge:${pledgeId}`);
    const post = transferIdFor(`post:${hold}`);
    const voided = transferIdFor(`void:${hold}`);
    for (const id of [hold, post, voided]) {
      expect(version(id)).toBe(7);
      expect(timeOf(id)).toBe(timeOf(pledgeId));
    }
    expect(new Set([pledgeId, hold, post, voided]).size).toBe(4);
    // Same key, same id: a replay finds the transfer it made.
    expect(transferIdFor(`pledge:${pledgeId}`)).toBe(hold);
    expect(transferIdFor(`post:${hold}`)).toBe(post);
  });

  it('ids anchored later sort after ids anchored earlier; one anchor, distinct keys, distinct ids', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 47 }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        (t, dt) => {
          const early = v7({ msecs: t });
          const late = v7({ msecs: t + dt });
          const a = transferIdFor(`pledge:${early}`);
          const b = transferIdFor(`pledge:${late}`);
          expect(a < b).toBe(true);
          expect(transferIdFor(`post:${early}`)).not.toBe(a);
        },
      ),
    );
  });

  it('only a version 7 UUID at the very end anchors the id', () => {
    const id = v7();
    expect(version(transferIdFor(`${id}:pledge`))).toBe(8);
    expect(version(transferIdFor(`pledge:${v4()}`))).toBe(8);
    expect(version(transferIdFor(`pledge:${id.toUpperCase()}`))).toBe(7);
  });
});
