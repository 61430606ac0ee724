import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { decodeCursor, encodeCursor, type StatementCursor } from './statement-cursor.js';

const KEY = Buffer.alloc(32, 1);
const OTHER = Buffer.alloc(32, 2);
const sign = (text: string) =>
  `${text}.${createHmac('sha256', KEY).update(text).digest().toString('base64url')}`;
import { applyRow, runningBalance } from './statement.service.js';

const amount = fc
  .bigInt({ min: 0n, max: 10n ** 15n })
  .map((fen) => `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`);

const cursor = fc.record<StatementCursor>({
  accountId: fc.uuid(),
  from: fc.option(
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    { nil: null },
  ),
  to: fc.constant(null),
  horizon: fc.bigInt({ min: 1n, max: 2n ** 63n }).map(String),
  txId: fc.bigInt({ min: 1n, max: 2n ** 63n }).map(String),
  seq: fc.bigInt({ min: 1n, max: 2n ** 63n }).map(String),
  counters: fc.record({
    debitsPosted: amount,
    creditsPosted: amount,
    debitsPending: amount,
    creditsPending: amount,
  }),
});

describe('statement cursor', () => {
  it('round-trips exactly (property)', () => {
    fc.assert(
      fc.property(cursor, (c) => expect(decodeCursor(encodeCursor(c, KEY), KEY)).toEqual(c)),
    );
  });

  it('refuses anything it did not issue with FINANCE.INVALID_CURSOR', () => {
    const bad = [
      'x',
      Buffer.from('{}').toString('base64url'),
      Buffer.from(
        JSON.stringify([
          1,
          'not-a-uuid',
          null,
          null,
          '1',
          '1',
          '1',
          '0.00',
          '0.00',
          '0.00',
          '0.00',
        ]),
      ).toString('base64url'),
      Buffer.from(
        JSON.stringify([
          2,
          '00000000-0000-4000-8000-000000000000',
          null,
          null,
          '1',
          '1',
          '1',
          '0.00',
          '0.00',
          '0.00',
          '0.00',
        ]),
      ).toString('base64url'),
      Buffer.from(
        JSON.stringify([
          1,
          '00000000-0000-4000-8000-000000000000',
          null,
          null,
          '1',
          '1',
          '1',
          '1e3',
          '0.00',
          '0.00',
          '0.00',
        ]),
      ).toString('base64url'),
    ];
    // Signed with the right key, so the shape checks themselves are what refuses them.
    for (const text of bad)
      expect(() => decodeCursor(sign(text), KEY)).toThrow(
        expect.objectContaining({ code: 'FINANCE.INVALID_CURSOR' }),
      );
  });

  it('refuses a cursor that is unsigned, signed with another key, or altered after signing', () => {
    const good = encodeCursor(
      {
        accountId: '00000000-0000-4000-8000-000000000000',
        from: null,
        to: null,
        horizon: '10',
        txId: '5',
        seq: '7',
        counters: {
          debitsPosted: '0.00',
          creditsPosted: '100.00',
          debitsPending: '0.00',
          creditsPending: '0.00',
        },
      },
      KEY,
    );
    const [payload, mac] = good.split('.');
    const forged = Buffer.from(
      Buffer.from(payload, 'base64url').toString('utf8').replace('100.00', '900.00'),
    ).toString('base64url');
    for (const text of [
      payload,
      `${payload}.`,
      encodeCursor(decodeCursor(good, KEY), OTHER),
      `${forged}.${mac}`,
    ])
      expect(() => decodeCursor(text, KEY)).toThrow(
        expect.objectContaining({ code: 'FINANCE.INVALID_CURSOR' }),
      );
  });
});

describe('running balance (the ledger trigger, replayed row by row)', () => {
  const zero = {
    debitsPosted: '0.00',
    creditsPosted: '0.00',
    debitsPending: '0.00',
    creditsPending: '0.00',
  };

  it('a hold, its post and a void on a credit-normal account', () => {
    let c = applyRow(zero, { status: 'POSTED', direction: 'CREDIT', amount: '100.00' });
    c = applyRow(c, { status: 'PENDING', direction: 'DEBIT', amount: '30.00' });
    expect(runningBalance('LIABILITY', c)).toEqual({
      balance: '100.00',
      available: '70.00',
      pendingDebits: '30.00',
      pendingCredits: '0.00',
    });
    c = applyRow(c, { status: 'POST', direction: 'DEBIT', amount: '30.00' });
    expect(runningBalance('LIABILITY', c)).toEqual({
      balance: '70.00',
      available: '70.00',
      pendingDebits: '0.00',
      pendingCredits: '0.00',
    });
    c = applyRow(c, { status: 'PENDING', direction: 'DEBIT', amount: '0.01' });
    c = applyRow(c, { status: 'VOID', direction: 'DEBIT', amount: '0.01' });
    expect(runningBalance('LIABILITY', c).available).toBe('70.00');
  });

  it('an asset is debit-normal: credits pending reduce what is available', () => {
    let c = applyRow(zero, { status: 'POSTED', direction: 'DEBIT', amount: '50.00' });
    c = applyRow(c, { status: 'PENDING', direction: 'CREDIT', amount: '20.00' });
    expect(runningBalance('ASSET', c)).toEqual({
      balance: '50.00',
      available: '30.00',
      pendingDebits: '0.00',
      pendingCredits: '20.00',
    });
  });

  it('posting or voiding every hold leaves nothing pending (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(amount, fc.boolean(), fc.boolean()), { maxLength: 30 }),
        (holds) => {
          let c = zero;
          for (const [a, debit] of holds)
            c = applyRow(c, {
              status: 'PENDING',
              direction: debit ? 'DEBIT' : 'CREDIT',
              amount: a,
            });
          for (const [a, debit, post] of holds)
            c = applyRow(c, {
              status: post ? 'POST' : 'VOID',
              direction: debit ? 'DEBIT' : 'CREDIT',
              amount: a,
            });
          expect([c.debitsPending, c.creditsPending]).toEqual(['0.00', '0.00']);
        },
      ),
    );
  });
});
