import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { LEAF_BYTES, merkleRoot, merkleRootOfLeaves } from './canonical.js';

/** The Merkle root exactly as documented (INV-11), written the plain way, to compare against. */
function documentedRoot(hexHashes: string[]): string {
  const sha = (b: Buffer | string) => createHash('sha256').update(b).digest();
  if (hexHashes.length === 0) return sha('').toString('hex');
  let level: Buffer[] = hexHashes.map((h) => Buffer.from(h, 'hex'));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(sha(Buffer.concat([level[i], level[i + 1] ?? level[i]])));
    level = next;
  }
  return level[0].toString('hex');
}

const leaf = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((b) => Buffer.from(b).toString('hex'));

describe('Merkle root over concatenated leaves (issue 18: verify without per-leaf garbage)', () => {
  it('equals the documented pairwise root for any number of leaves, odd levels included', () => {
    fc.assert(
      fc.property(fc.array(leaf, { maxLength: 70 }), (hashes) => {
        const documented = documentedRoot(hashes);
        expect(merkleRoot(hashes)).toBe(documented);
        expect(merkleRootOfLeaves(Buffer.from(hashes.join(''), 'hex'))).toBe(documented);
      }),
      { numRuns: 300 },
    );
  });

  it('one changed byte anywhere changes the root; a torn leaf is refused', () => {
    const hashes = Array.from({ length: 9 }, (_, i) =>
      createHash('sha256').update(String(i)).digest('hex'),
    );
    const leaves = Buffer.from(hashes.join(''), 'hex');
    const root = merkleRootOfLeaves(leaves);
    for (let i = 0; i < leaves.length; i += 7) {
      const changed = Buffer.from(leaves);
      changed[i] ^= 1;
      expect(merkleRootOfLeaves(changed)).not.toBe(root);
    }
    expect(() => merkleRootOfLeaves(leaves.subarray(0, LEAF_BYTES + 1))).toThrow('whole 32-byte');
  });
});
