import { describe, expect, it } from '@jest/globals';
import { buildNotification, custodySignature, SimulatorUsageError } from './custody-simulator.js';

const defaults = { currency: 'CNY', now: new Date('2026-11-28T02:00:00.000Z') };
const user = '6f1c1b8e-2b7a-4f7e-9a55-0a0d5b0d8c11';

describe('custody:simulate builds what the custodian bank sends (DESIGN §7)', () => {
  it('signs as the bank does: sha256=<hex HMAC-SHA256(raw body, secret)> (RFC 4231 test case 2)', () => {
    expect(custodySignature('what do ya want for nothing?', 'Jefe')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('a deposit names the user; the pack currency and now are the defaults', () => {
    const n = buildNotification(
      { notice: 'deposit', userId: user, amount: '1000.00', bankReference: 'B-1' },
      defaults,
    );
    expect(n).toEqual({
      type: 'DEPOSIT',
      bankReference: 'B-1',
      userId: user,
      amount: '1000.00',
      currency: 'CNY',
      occurredAt: '2026-11-28T02:00:00.000Z',
    });
  });

  it('PLAT-07: a deposit may name the wallet line it credits', () => {
    const n = buildNotification(
      { notice: 'deposit', userId: user, amount: '9.00', line: 'DEBT' },
      defaults,
    );
    expect(n).toMatchObject({ type: 'DEPOSIT', userId: user, line: 'DEBT' });
  });

  it.each([
    ['withdrawal-settled', 'WITHDRAWAL_SETTLED'],
    ['withdrawal-failed', 'WITHDRAWAL_FAILED'],
    ['payout-settled', 'PAYOUT_SETTLED'],
    ['payout-failed', 'PAYOUT_FAILED'],
  ])('%s sends %s naming the held transfer, not a user', (notice, type) => {
    const n = buildNotification({ notice, transferId: user, amount: '5.00' }, defaults);
    expect(n).toMatchObject({ type, transferId: user });
    expect(n).not.toHaveProperty('userId');
    expect(n.bankReference).toMatch(/^SIM-[0-9a-f-]{36}$/);
  });

  it('a repayment names the loan repaid, not a user or a transfer (issue 14)', () => {
    const n = buildNotification({ notice: 'repayment', loanId: user, amount: '8698.84' }, defaults);
    expect(n).toMatchObject({ type: 'REPAYMENT', loanId: user, amount: '8698.84' });
    expect(n).not.toHaveProperty('userId');
    expect(n).not.toHaveProperty('transferId');
  });

  it('a distribution names the announced distribution (issue 15)', () => {
    const n = buildNotification(
      { notice: 'distribution', distributionId: user, amount: '1000.00' },
      defaults,
    );
    expect(n).toMatchObject({ type: 'DISTRIBUTION', distributionId: user });
    expect(n).not.toHaveProperty('loanId');
  });

  it.each([
    [{ notice: 'distribution', loanId: user, amount: '1.00' }],
    [{ notice: 'repayment', amount: '1.00' }],
    [{ notice: 'repayment', loanId: user, userId: user, amount: '1.00' }],
    [{ notice: 'deposit', loanId: user, amount: '1.00' }],
    [{ notice: 'deposit', amount: '1.00' }],
    [{ notice: 'deposit', userId: user, transferId: user, amount: '1.00' }],
    [{ notice: 'payout-settled', userId: user, transferId: user, amount: '1.00' }],
    [{ notice: 'deposit', userId: user, amount: '0.00' }],
    [{ notice: 'deposit', userId: user, amount: '1.005' }],
    [{ notice: 'deposit', userId: user, amount: '1.00', occurredAt: 'yesterday' }],
    [{ notice: 'DEPOSIT', userId: user, amount: '1.00' }],
    [{ notice: 'constructor', transferId: user, amount: '1.00' }],
    [{ notice: undefined, userId: user, amount: '1.00' }],
    [{ notice: 'deposit', userId: user, amount: '1.00', line: 'CASH' }],
    [{ notice: 'withdrawal-settled', transferId: user, amount: '1.00', line: 'DEBT' }],
  ])('refuses %j before sending anything', (options) => {
    expect(() => buildNotification(options, defaults)).toThrow(SimulatorUsageError);
  });
});
