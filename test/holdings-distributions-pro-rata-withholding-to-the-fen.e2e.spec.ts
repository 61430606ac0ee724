import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Money } from '../src/common/money/money.js';
import { walletAccount } from '../src/modules/escrow-ledger/wallet-lines.js';
import { splitDistribution } from '../src/modules/holdings/index.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import {
  equityTerms,
  fundDistribution,
  qualifiedInvestor,
  seedRegister,
  startHoldingsApp,
} from './support/holdings.js';
import { counters, ledgerProblems, sealEverything } from './support/ledger.js';
import { acknowledgeCampaign, type Investor, liveCampaign, pledge } from './support/pledging.js';
import type { TestApp } from './support/test-app.js';
import { staffToken, verifiedUser } from './support/users.js';

/**
 * Issue 15, distributions: the issuer announces one and funds it through the custodian (a signed
 * DISTRIBUTION notice, idempotent by bank reference); it is split to the holders pro rata to units
 * (largest remainder), the pack's withholding tax (CN 20 %) is kept from each share half-up, and
 * the nets go to the wallets in one ledger batch, exact to the fen, with a statement per holder.
 */
describe('distributions to holders (issue 15)', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startHoldingsApp();
    admin = (await staffToken(t, 'ADMIN')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;
  const fen = (v: string) => Money.fromDecimalString(v, 'CNY').fen;
  const available = async (code: string) => {
    const c = await counters(t, code);
    return fen(c.credits_posted) - fen(c.debits_posted);
  };

  it('a settled register paid a dividend: 20 % withheld, nets to wallets, once however often the bank retries', async () => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const id = await liveCampaign(t, founder, admin, equityTerms(t, { targetAmount: '500.00' }));
    const investors: Investor[] = [];
    for (const amount of ['50.00', '100.00', '200.00', '350.00']) {
      const inv = await qualifiedInvestor(t);
      await acknowledgeCampaign(t, inv, id);
      expect((await pledge(t, inv, id, { amount })).status).toBe(201);
      investors.push(inv);
    }
    const stranger = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const announce = (token: string, body: object) =>
      t.http.post(`/api/v1/campaigns/${id}/distributions`).set(auth(token)).send(body);
    // Before settlement there is no register to pay.
    const early = await announce(founder.token, { kind: 'DIVIDEND', amount: '100.00' });
    expect([early.status, early.body.error.code]).toEqual([422, 'HOLDINGS.NO_REGISTER']);
    t.clock.set(new Date(t.clock.now().getTime() + 2.01 * 86_400_000).toISOString());
    await t.app.get(SettlementService).runOnce();
    await t.app.get(SettlementService).runOnce();

    expect((await announce(stranger.token, { kind: 'DIVIDEND', amount: '1.00' })).status).toBe(404);
    expect((await announce(founder.token, { kind: 'DIVIDEND', amount: 1000 })).status).toBe(400);
    expect((await announce(founder.token, { kind: 'BONUS', amount: '1.00' })).status).toBe(400);
    expect(await sql(`SELECT 1 FROM distributions WHERE campaign_id = $1`, [id])).toEqual([]);
    const made = await announce(founder.token, {
      kind: 'DIVIDEND',
      amount: '1000.01',
      note: 'FY2026 dividend',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      status: 'ANNOUNCED',
      withholdingRate: '0.2000',
      fundingAccount: `distribution:${made.body.id}:funding`,
    });
    const distributionId = made.body.id as string;
    const before = await Promise.all(investors.map((i) => available(i.wallet)));

    // A notice for another amount is refused and moves nothing.
    const wrong = await fundDistribution(t, distributionId, '1000.00');
    expect([wrong.status, wrong.body.error.code]).toEqual([422, 'CUSTODY.MISMATCH']);
    // The same notice delivered six times at once applies once.
    const reference = `dist-ref-${distributionId}`;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => fundDistribution(t, distributionId, '1000.01', reference)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.body.replayed === false)).toHaveLength(1);
    const again = await fundDistribution(t, distributionId, '1000.01');
    expect([again.status, again.body.error.code]).toEqual([422, 'HOLDINGS.DISTRIBUTION_PAID']);

    // Units 1, 2, 4, 7 of 14: hand-computed split of 1000.01 and 20 % half-up withholding.
    const expected = splitDistribution(
      Money.fromDecimalString('1000.01', 'CNY'),
      investors.map((inv, i) => ({ investorId: inv.id, units: ['1', '2', '4', '7'][i] })),
      '0.2',
    );
    expect(expected.map((p) => p.gross.toString())).toEqual([
      '71.43',
      '142.86',
      '285.72',
      '500.00',
    ]);
    expect(expected.map((p) => p.tax.toString())).toEqual(['14.29', '28.57', '57.14', '100.00']);
    const after = await Promise.all(investors.map((i) => available(i.wallet)));
    expect(after.map((a, i) => a - before[i])).toEqual(expected.map((p) => p.net.fen));
    expect(await available('tax:withheld')).toBeGreaterThanOrEqual(fen('199.99'));
    expect(await available(`distribution:${distributionId}:funding`)).toBe(0n);

    const detail = await t.http
      .get(`/api/v1/distributions/${distributionId}`)
      .set(auth(founder.token));
    expect(detail.body).toMatchObject({ status: 'PAID', holders: 4, taxWithheld: '200.00' });
    const sum = (k: 'net' | 'tax') =>
      detail.body.payments.reduce((s: bigint, p: Record<string, string>) => s + fen(p[k]), 0n);
    expect(sum('net') + sum('tax')).toBe(fen('1000.01'));
    const statements = await t.http.get('/api/v1/me/distributions').set(auth(investors[3].token));
    expect(statements.body.nextCursor).toBeNull();
    expect(statements.body.items).toEqual([
      expect.objectContaining({
        distributionId,
        campaignId: id,
        units: '7',
        gross: '500.00',
        tax: '100.00',
        net: '400.00',
      }),
    ]);
    const told = await sql(
      `SELECT count(*)::int AS n FROM notifications WHERE type = 'holdings.distribution_paid'
         AND recipient_id = ANY($1)`,
      [investors.map((i) => i.id)],
    );
    expect(told[0].n).toBe(4);
    await sealEverything(t);
    expect(await ledgerProblems(t)).toEqual([]);
  });

  it('a distribution over 4,999 holders sums to the fen in one batch', async () => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const draft = await t.http
      .post('/api/v1/campaigns')
      .set(auth(founder.token))
      .send(equityTerms(t));
    const campaignId = draft.body.id as string;
    let seed = 11;
    const units = Array.from({ length: 4999 }, () => {
      seed = (seed * 48271) % 2147483647;
      return BigInt(1 + (seed % 2000));
    });
    const holders = await seedRegister(t, campaignId, units);
    const made = await t.http
      .post(`/api/v1/campaigns/${campaignId}/distributions`)
      .set(auth(founder.token))
      .send({ kind: 'EXIT_PROCEEDS', amount: '7654321.09' });
    expect(made.status).toBe(201);
    const started = Date.now();
    const funded = await fundDistribution(t, made.body.id as string, '7654321.09');
    const ms = Date.now() - started;
    expect(funded.status).toBe(200);
    process.stderr.write(`\n[distribution] 4,999 holders paid in ${ms} ms\n`);
    const rows = await sql(
      `SELECT sum(net)::text AS net, sum(tax)::text AS tax, sum(gross)::text AS gross, count(*)::int AS n
         FROM distribution_payments WHERE distribution_id = $1`,
      [made.body.id],
    );
    expect(rows[0]).toMatchObject({ gross: '7654321.09', n: 4999 });
    expect(fen(rows[0].net) + fen(rows[0].tax)).toBe(fen('7654321.09'));
    const moved = await sql(
      `SELECT count(*)::int AS n, sum(amount)::text AS total FROM ledger_transfers
        WHERE reference = $1 AND kind = 'DISTRIBUTION'`,
      [`distribution:${made.body.id}`],
    );
    expect(moved[0]).toMatchObject({ n: 5000, total: '7654321.09' }); // 4,999 nets + the tax
    const sample = await available(walletAccount(holders[4998], 'EQUITY')); // PLAT-07: equity wallet
    const row = await sql(
      `SELECT net::text AS net FROM distribution_payments WHERE distribution_id = $1 AND investor_id = $2`,
      [made.body.id, holders[4998]],
    );
    expect(sample).toBe(fen(row[0].net));
    await sealEverything(t, 60_000);
    expect(await ledgerProblems(t)).toEqual([]);
  }, 120_000);

  it('rule flip: a pack without withholding pays the holders the whole distribution', async () => {
    const untaxed = await startHoldingsApp({ distributionWithholdingRate: 0 });
    try {
      const founder = await verifiedUser(untaxed, 'FOUNDER', 'ORGANIZATION');
      const draft = await untaxed.http
        .post('/api/v1/campaigns')
        .set(auth(founder.token))
        .send(equityTerms(untaxed));
      const [holder] = await seedRegister(untaxed, draft.body.id as string, [3n]);
      const made = await untaxed.http
        .post(`/api/v1/campaigns/${draft.body.id as string}/distributions`)
        .set(auth(founder.token))
        .send({ kind: 'DIVIDEND', amount: '99.99' });
      expect(made.body).toMatchObject({ withholdingRate: '0.0000' });
      expect((await fundDistribution(untaxed, made.body.id as string, '99.99')).status).toBe(200);
      const paid = await (
        await untaxed.db.client()
      ).query(
        `SELECT gross::text, tax::text, net::text FROM distribution_payments WHERE investor_id = $1`,
        [holder],
      );
      expect(paid.rows).toEqual([{ gross: '99.99', tax: '0.00', net: '99.99' }]);
    } finally {
      await untaxed.close();
    }
  });
});
