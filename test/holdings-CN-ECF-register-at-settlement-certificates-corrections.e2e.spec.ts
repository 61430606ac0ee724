import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { CertificateSigner, type HoldingView } from '../src/modules/holdings/index.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import { findChromium } from './console/console-scenario.js';
import { ledgerProblems, sealEverything } from './support/ledger.js';
import {
  equityCampaignWithTerms,
  equityTerms,
  qualifiedInvestor,
  startHoldingsApp,
} from './support/holdings.js';
import { acknowledgeCampaign, liveCampaign, pledge } from './support/pledging.js';
import type { TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * Issue 15, the holdings register: at settlement of an EQUITY campaign, in the same transaction,
 * one holding per investor (units = settled amount / unit price), certificate numbers 1..n per
 * campaign without a gap (also when sweeps settle several campaigns at once), the share class and
 * vehicle of the campaign's equity terms; the register is append-only (corrections are new entries),
 * readable by its issuer and staff, exported as CSV, and each holding has a signed certificate.
 */
describe('the holdings register (issue 15, CN-ECF-01, CN-ECF-04)', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startHoldingsApp(); // all lines; no cooling-off or call: settles at its deadline
    admin = (await staffToken(t, 'ADMIN')).token;
  });
  afterAll(async () => {
    await t.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;

  /** A LIVE private EQUITY campaign at 50.00 a unit (default equity terms), target 500.00. */
  const liveEquity = (founder: TestUser) =>
    liveCampaign(t, founder, admin, equityTerms(t, { targetAmount: '500.00' }));

  const settle = async (days: number) => {
    t.clock.set(new Date(t.clock.now().getTime() + days * 86_400_000).toISOString());
    const sweeps = t.app.get(SettlementService);
    await Promise.all([sweeps.runOnce(), sweeps.runOnce()]); // two sweepers race (SKIP LOCKED)
    await sweeps.runOnce();
  };

  it('terms are set on a DRAFT only; the register equals the settled pledges unit for unit', async () => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    // Equity terms change only while the campaign is a DRAFT of kind EQUITY.
    const draft = await t.http
      .post('/api/v1/campaigns')
      .set(auth(founder.token))
      .send(equityTerms(t));
    const put = (id: string, body: object) =>
      t.http.put(`/api/v1/campaigns/${id}/equity-terms`).set(auth(founder.token)).send(body);
    expect((await put(draft.body.id, { shareClass: 'A', vehicle: 'NOMINEE' })).status).toBe(400);
    expect((await put(draft.body.id, { shareClass: ' ', vehicle: 'DIRECT' })).status).toBe(400);
    expect(await sql(`SELECT 1 FROM equity_terms WHERE campaign_id = $1`, [draft.body.id])).toEqual(
      [],
    );
    const set = await put(draft.body.id, {
      shareClass: 'Series A preferred',
      vehicle: 'NOMINEE',
      nomineeName: '杭州众投一号合伙企业',
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ vehicle: 'NOMINEE', nomineeName: '杭州众投一号合伙企业' });

    const id = await liveEquity(founder);
    const locked = await put(id, { shareClass: 'B', vehicle: 'DIRECT' });
    expect([locked.status, locked.body.error.code]).toEqual([409, 'HOLDINGS.TERMS_LOCKED']);
    const publicTerms = await t.http.get(`/api/v1/campaigns/${id}/equity-terms`);
    expect(publicTerms.status).toBe(401); // equity is for real-name verified users (PLAT-01)

    const investors = [
      await qualifiedInvestor(t),
      await qualifiedInvestor(t),
      await qualifiedInvestor(t),
      await qualifiedInvestor(t),
    ];
    const amounts = [['150.00', '100.00'], ['50.00'], ['1000.00'], ['450.00']];
    for (const [i, inv] of investors.entries()) {
      await acknowledgeCampaign(t, inv, id);
      for (const amount of amounts[i])
        expect((await pledge(t, inv, id, { amount })).status).toBe(201);
    }
    const seen = await t.http
      .get(`/api/v1/campaigns/${id}/equity-terms`)
      .set(auth(investors[0].token));
    expect(seen.body).toMatchObject({ shareClass: 'ORDINARY', vehicle: 'DIRECT' }); // defaults
    await settle(2.01);
    expect((await sql(`SELECT status FROM campaigns WHERE id = $1`, [id]))[0].status).toBe(
      'SETTLED',
    );

    const register = await t.http.get(`/api/v1/campaigns/${id}/register`).set(auth(founder.token));
    expect(register.status).toBe(200);
    const settled = await sql(
      // per investor, in the order of each one's first settled pledge (created_at, then id)
      `SELECT f.investor_id, s.cost FROM
         (SELECT DISTINCT ON (investor_id) investor_id, created_at, id FROM pledges
           WHERE campaign_id = $1 AND status = 'SETTLED' ORDER BY investor_id, created_at, id) f
         JOIN (SELECT investor_id, sum(amount)::text AS cost FROM pledges
           WHERE campaign_id = $1 AND status = 'SETTLED' GROUP BY investor_id) s USING (investor_id)
        ORDER BY f.created_at, f.id`,
      [id],
    );
    expect(settled).toHaveLength(4);
    expect(
      register.body.holdings.map((h: HoldingView) => [
        h.investorId,
        h.cost,
        h.units,
        h.certificateNo,
      ]),
    ).toEqual(
      settled.map((s, i) => [
        s.investor_id,
        s.cost,
        String(Math.round(Number(s.cost) * 100) / 5000),
        i + 1,
      ]),
    );
    expect(register.body).toMatchObject({
      holders: 4,
      totalUnits: '35',
      totalCost: '1750.00',
      unitPrice: '50.00',
      shareClass: 'ORDINARY',
      vehicle: 'DIRECT',
    });

    // The investor sees their own; nobody else sees a register or a holding.
    const mine = await t.http.get('/api/v1/me/holdings').set(auth(investors[0].token));
    expect(mine.body.nextCursor).toBeNull();
    expect(mine.body.items).toEqual([
      expect.objectContaining({
        campaignId: id,
        units: '5',
        cost: '250.00',
        certificateNo: register.body.holdings.find(
          (h: HoldingView) => h.investorId === investors[0].id,
        ).certificateNo,
      }),
    ]);
    const stranger = await verifiedUser(t, 'FOUNDER');
    const holdingId = mine.body.items[0].id as string;
    for (const [path, token] of [
      [`/api/v1/campaigns/${id}/register`, stranger.token],
      [`/api/v1/holdings/${holdingId}`, investors[1].token],
      [`/api/v1/holdings/${holdingId}/certificate`, investors[1].token],
    ] as const)
      expect((await t.http.get(path).set(auth(token))).status).toBe(404);
    const finance = await staffToken(t, 'FINANCE');
    expect(
      (await t.http.get(`/api/v1/campaigns/${id}/register`).set(auth(finance.token))).status,
    ).toBe(200);

    // CSV for the issuer's books: a header and one row per holding, the same numbers.
    const csv = await t.http.get(`/api/v1/campaigns/${id}/register.csv`).set(auth(founder.token));
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = parse<Record<string, string>>(csv.text, { columns: true });
    expect(rows.map((r) => [r.certificateNo, r.investorId, r.units, r.cost])).toEqual(
      register.body.holdings.map((h: HoldingView) => [
        String(h.certificateNo),
        h.investorId,
        h.units,
        h.cost,
      ]),
    );

    await sealEverything(t);
    expect(await ledgerProblems(t)).toEqual([]);
  });

  it('NOMINEE terms: the register names the legal holder behind every beneficial owner', async () => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const id = await equityCampaignWithTerms(
      t,
      founder,
      admin,
      { maxAmount: '1000.00' },
      {
        shareClass: 'A',
        vehicle: 'NOMINEE',
        nomineeName: 'SPV One LP',
      },
    );
    const a = await qualifiedInvestor(t);
    const b = await qualifiedInvestor(t);
    for (const inv of [a, b]) {
      await acknowledgeCampaign(t, inv, id);
      expect((await pledge(t, inv, id, { amount: '100.00' })).status).toBe(201);
    }
    await settle(2.01);
    const register = await t.http.get(`/api/v1/campaigns/${id}/register`).set(auth(admin));
    expect(register.body).toMatchObject({
      vehicle: 'NOMINEE',
      nomineeName: 'SPV One LP',
      holders: 2,
    });
    expect(register.body.holdings.map((h: HoldingView) => [h.legalHolder, h.shareClass])).toEqual([
      ['SPV One LP', 'A'],
      ['SPV One LP', 'A'],
    ]);
  });

  it('CN-ECF-04 look-through: behind a nominee the beneficial owners count against the cap, also at once', async () => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const id = await equityCampaignWithTerms(
      t,
      founder,
      admin,
      { investorCap: 3, maxAmount: '10000.00' },
      { shareClass: 'A', vehicle: 'NOMINEE', nomineeName: 'SPV Two LP' },
    );
    const six = [];
    for (let i = 0; i < 6; i++) {
      const inv = await qualifiedInvestor(t);
      await acknowledgeCampaign(t, inv, id);
      six.push(inv);
    }
    const answers = await Promise.all(six.map((inv) => pledge(t, inv, id, { amount: '100.00' })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 422, 422, 422]);
    expect(answers.find((a) => a.status === 422)!.body.error.code).toBe(
      'PLEDGE.INVESTOR_CAP_REACHED',
    );
    await settle(2.01);
    const register = await t.http.get(`/api/v1/campaigns/${id}/register`).set(auth(admin));
    expect(register.body).toMatchObject({ vehicle: 'NOMINEE', holders: 3 });
    expect(new Set(register.body.holdings.map((h: HoldingView) => h.legalHolder))).toEqual(
      new Set(['SPV Two LP']),
    );
  });

  it('certificate numbers are 1..n per campaign when racing sweeps settle several campaigns at once', async () => {
    const founders = [
      await verifiedUser(t, 'FOUNDER', 'ORGANIZATION'),
      await verifiedUser(t, 'FOUNDER', 'ORGANIZATION'),
      await verifiedUser(t, 'FOUNDER', 'ORGANIZATION'),
    ];
    const ids = [];
    for (const f of founders) ids.push(await liveEquity(f));
    const counts = [5, 3, 7];
    for (const [i, id] of ids.entries()) {
      for (let k = 0; k < counts[i]; k++) {
        const inv = await qualifiedInvestor(t);
        await acknowledgeCampaign(t, inv, id);
        expect((await pledge(t, inv, id, { amount: '500.00' })).status).toBe(201);
      }
    }
    await settle(2.01);
    for (const [i, id] of ids.entries()) {
      const numbers = await sql(
        `SELECT certificate_no AS n FROM holdings WHERE campaign_id = $1 ORDER BY 1`,
        [id],
      );
      expect(numbers.map((r) => r.n)).toEqual(Array.from({ length: counts[i] }, (_, k) => k + 1));
      expect(
        (
          await sql(`SELECT last_number FROM holding_certificate_counters WHERE campaign_id = $1`, [
            id,
          ])
        )[0].last_number,
      ).toBe(counts[i]);
    }
    // Append-only: the application's role may not change or remove a holding.
    const app = new pg.Client({ connectionString: t.db.appUrl });
    await app.connect();
    try {
      await expect(app.query(`UPDATE holdings SET units = units + 1`)).rejects.toThrow();
      await expect(app.query(`DELETE FROM holdings`)).rejects.toThrow();
    } finally {
      await app.end();
    }
  });

  it('an ADMIN correction is a new entry with the next number; concurrent corrections apply once', async () => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const id = await liveEquity(founder);
    const inv = [await qualifiedInvestor(t), await qualifiedInvestor(t)];
    for (const i of inv) {
      await acknowledgeCampaign(t, i, id);
      expect((await pledge(t, i, id, { amount: '300.00' })).status).toBe(201);
    }
    await settle(2.01);
    const [first] = (await t.http.get('/api/v1/me/holdings').set(auth(inv[0].token))).body.items;
    const correct = (holdingId: string, body: object) =>
      t.http.post(`/api/v1/admin/holdings/${holdingId}/corrections`).set(auth(admin)).send(body);
    const bad = await correct(first.id, { units: 5, reason: 'typo' });
    expect(bad.status).toBe(400);
    const answers = await Promise.all(
      [1, 2, 3, 4].map((n) => correct(first.id, { units: String(n), reason: 'Share split error' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    const made = answers.find((a) => a.status === 201)!.body;
    expect(made).toMatchObject({ entry: 'CORRECTION', correctsId: first.id, certificateNo: 3 });
    expect(made.cost).toBe(`${Number(made.units) * 50}.00`);
    expect(answers.find((a) => a.status === 409)!.body.error.code).toBe('HOLDINGS.SUPERSEDED');
    const register = await t.http.get(`/api/v1/campaigns/${id}/register`).set(auth(founder.token));
    const other = 3 - (first.certificateNo as number); // the other investor's certificate, 1 or 2
    expect(register.body.holdings.map((h: HoldingView) => h.certificateNo)).toEqual([other, 3]);
    const all = await t.http
      .get(`/api/v1/campaigns/${id}/register?all=true`)
      .set(auth(founder.token));
    expect(all.body.holdings.map((h: HoldingView) => h.certificateNo)).toEqual([1, 2, 3]);
    expect(all.body.totalUnits).toBe(String(6 + Number(made.units)));
    const events = await sql(
      `SELECT action FROM audit_events WHERE subject_id = $1 AND action = 'holdings.corrected'`,
      [first.id],
    );
    expect(events).toHaveLength(1);
  });

  it('the signed certificate opens as a document showing the numbers; a changed number fails the signature', async () => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const id = await liveEquity(founder);
    const inv = await qualifiedInvestor(t);
    await acknowledgeCampaign(t, inv, id);
    expect((await pledge(t, inv, id, { amount: '750.00' })).status).toBe(201);
    await settle(2.01);
    const [holding] = (await t.http.get('/api/v1/me/holdings').set(auth(inv.token))).body.items;
    const doc = await t.http.get(`/api/v1/holdings/${holding.id}/certificate`).set(auth(inv.token));
    expect(doc.status).toBe(200);
    expect(doc.headers['content-type']).toContain('text/html');
    const html = doc.text;
    const signature = /data-field="signature">([0-9a-f]{64})</.exec(html)?.[1] ?? '';
    const signer = t.app.get(CertificateSigner);
    const view = (await t.http.get(`/api/v1/holdings/${holding.id}`).set(auth(inv.token))).body;
    expect(signer.verify(view, signature)).toBe(true);
    expect(signer.verify({ ...view, units: '16' }, signature)).toBe(false);
    expect(signer.verify({ ...view, investorId: founder.id }, signature)).toBe(false);

    const chromium = findChromium();
    if (!chromium) {
      process.stderr.write('\n[skip] no Chromium: the certificate was checked as text only\n');
      expect(html).toContain('<td data-field="units">15</td>');
      return;
    }
    const { chromium: driver } = await import('playwright-core');
    const browser = await driver.launch({
      executablePath: chromium,
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
    try {
      const page = await browser.newPage();
      await page.setContent(html);
      const field = (name: string) => page.locator(`[data-field="${name}"]`).innerText();
      expect(await page.title()).toBe(`持股凭证 Holding certificate No. ${holding.certificateNo}`);
      expect(await field('units')).toBe('15');
      expect(await field('cost')).toBe('750.00 CNY');
      expect(await field('certificateNo')).toBe(String(holding.certificateNo));
      expect(await field('signature')).toBe(signature);
    } finally {
      await browser.close();
    }
  });
});
