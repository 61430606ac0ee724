import 'reflect-metadata';
import fc from 'fast-check';
import { CompiledBodyPipe } from '../../../common/http/compiled-body.pipe.js';
import { validateInput } from '../../../common/http/validation.js';
import { PLEDGE_REQUEST_SCHEMA, PledgeRequestDto } from './pledge.dto.js';

/** What class-validator says of a body: accepted, or the field problems it names. */
async function dtoVerdict(body: unknown): Promise<unknown> {
  try {
    await validateInput(PledgeRequestDto, body);
    return 'accepted';
  } catch (error) {
    return (error as { details?: unknown }).details ?? error;
  }
}

// Values near every edge the DTO draws, and arbitrary ones.
const amount = fc.oneof(
  fc.constantFrom('1.00', '0', '0.0', '0.00', '0.01', '00.10', '1.', '.5', '1.234', '-1.00', '1e3'),
  fc.constantFrom('9999999999999999.99', '10000000000000000', ' 1.00', '1.00\n', '１.00'),
  fc
    .tuple(fc.stringMatching(/^\d{1,18}$/), fc.option(fc.stringMatching(/^\d{0,3}$/)))
    .map(([i, d]) => (d === null ? i : `${i}.${d}`)),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.constant(null),
);
const uuid = fc.oneof(
  fc.uuid(),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.constantFrom(
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '01234567-89ab-9def-8123-456789abcdef', // version 9
    '01234567-89ab-4def-c123-456789abcdef', // variant c
  ),
  fc.string(),
  fc.constant(null),
  fc.integer(),
);
const version = fc.oneof(
  fc.string({ minLength: 0, maxLength: 45 }),
  fc.string({ unit: 'grapheme', minLength: 15, maxLength: 25 }), // astral: two units each
  fc.integer(),
);
const sha = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{64}$/),
  fc.stringMatching(/^[0-9a-fA-F]{63,65}$/),
  fc.string(),
);
const warning = fc.oneof(
  fc.record({ version, sha256: sha }, { requiredKeys: [] }),
  fc.record({ version, sha256: sha, extra: fc.string() }),
  fc.constant(null),
  fc.string(),
  fc.array(fc.string()),
);
const body = fc.oneof(
  fc.record({ amount, rewardTierId: uuid, specialWarning: warning }, { requiredKeys: ['amount'] }),
  fc.record(
    { amount, rewardTierId: uuid, specialWarning: warning, other: fc.jsonValue() },
    { requiredKeys: [] },
  ),
  fc.jsonValue(),
);

describe('PLEDGE_REQUEST_SCHEMA (issue 18: the pledge body checked by a compiled schema)', () => {
  const pipe = new CompiledBodyPipe(PledgeRequestDto, PLEDGE_REQUEST_SCHEMA);
  const accepts = (value: unknown) =>
    (pipe as unknown as { accepts: (v: unknown) => boolean }).accepts(value);

  it('accepts only bodies PledgeRequestDto accepts (INV-7 amounts, CN-SUIT-11 warnings)', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        if (accepts(b)) expect(await dtoVerdict(b)).toBe('accepted');
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the fast path for the bodies callers send', () => {
    expect(accepts({ amount: '1.00' })).toBe(true);
    expect(accepts({ amount: '9999999999999999.99' })).toBe(true);
    expect(
      accepts({
        amount: '100',
        rewardTierId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
        specialWarning: { version: 'SW-2026.1', sha256: 'a'.repeat(64) },
      }),
    ).toBe(true);
  });

  it('leaves what it refuses to the DTO: the same verdict and messages as before', async () => {
    for (const refused of [
      { amount: 100 },
      { amount: '0.00' },
      { amount: '1.00', extra: true },
      { amount: '1.00', specialWarning: { version: 'x'.repeat(41), sha256: 'a'.repeat(64) } },
      {},
    ]) {
      expect(accepts(refused)).toBe(false);
      const verdict = await dtoVerdict(refused);
      expect(verdict).not.toBe('accepted');
      await expect(pipe.transform(refused)).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: verdict,
      });
    }
    // Where the schema is stricter than the DTO, the DTO decides: null where IsOptional allows it,
    // a version of 21 astral characters (42 UTF-16 units; validator's isLength counts 21).
    for (const lenient of [
      { amount: '1.00', rewardTierId: null },
      { amount: '1.00', specialWarning: { version: '😀'.repeat(21), sha256: 'a'.repeat(64) } },
    ]) {
      expect(accepts(lenient)).toBe(false);
      await expect(pipe.transform(lenient)).resolves.toMatchObject({ amount: '1.00' });
    }
  });
});
