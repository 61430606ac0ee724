import { randomUUID } from 'node:crypto';
import { custodyNotice } from './lending.js';
import { debtTerms } from './pledging.js';
import { startTestApp, type TestApp } from './test-app.js';
import type { TestUser } from './users.js';

/** PLAT-07: every kind enabled, so EQUITY and DEBT money sit in wallets of their own. */
export const ALL_LINES = 'EQUITY,DEBT,REWARD,DONATION';

/**
 * A test app for line separation: the given lines, settlement at the deadline (no cooling-off,
 * no confirmation call) and public equity allowed, so an ordinary investor may buy equity.
 */
export const startLinesApp = (
  lines: string,
  options: Parameters<typeof startTestApp>[1] = {},
): Promise<TestApp> =>
  startTestApp(
    {
      PLATFORM_LINES: lines,
      RULE_PACK_OVERRIDES: JSON.stringify({
        coolingOffHours: 0,
        confirmationCallRequired: false,
        publicEquityAllowed: true,
      }),
    },
    options,
  );

export const equityTerms = (over: Record<string, unknown> = {}) =>
  debtTerms({ kind: 'EQUITY', offering: 'PUBLIC', unitPrice: '10.00', riskRating: 'R3', ...over });

/** A signed custody DEPOSIT notice for `userId`, naming `line` when given. */
export function deposit(
  t: TestApp,
  userId: string,
  amount: string,
  line?: string,
  bankReference = `dep-${randomUUID()}`,
) {
  return custodyNotice(t, {
    type: 'DEPOSIT',
    bankReference,
    userId,
    amount,
    ...(line === undefined ? {} : { line }),
  });
}

/** POST /wallet/transfers between the investor's own wallets. */
export const transfer = (
  t: TestApp,
  investor: TestUser,
  body: { from: string; to: string; amount: string },
  key: string = randomUUID(),
) =>
  t.http
    .post('/api/v1/wallet/transfers')
    .set('authorization', `Bearer ${investor.token}`)
    .set('idempotency-key', key)
    .send(body);

/** Each wallet's available balance by line, from GET /wallet. */
export async function walletsOf(t: TestApp, investor: TestUser): Promise<Record<string, string>> {
  const res = await t.http.get('/api/v1/wallet').set('authorization', `Bearer ${investor.token}`);
  if (res.status !== 200) throw new Error(`wallet: ${res.status} ${res.text}`);
  const wallets = (res.body.wallets ?? [{ line: 'GENERAL', ...res.body }]) as {
    line: string;
    available: string;
  }[];
  return Object.fromEntries(wallets.map((w) => [w.line, w.available]));
}

/** Rows written so far to the tables a refused request must leave alone. */
export async function writes(t: TestApp): Promise<Record<string, string>> {
  const sql = await t.db.client();
  const r = await sql.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM ledger_transfers)::text AS transfers,
            (SELECT count(*) FROM ledger_accounts)::text AS accounts,
            (SELECT count(*) FROM custody_notifications)::text AS notices,
            (SELECT count(*) FROM campaigns)::text AS campaigns,
            (SELECT count(*) FROM audit_events WHERE action LIKE 'WALLET%')::text AS audited`,
  );
  return r.rows[0];
}
