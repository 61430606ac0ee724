import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { IssuerReports } from '../src/modules/holdings/index.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import { equityTerms, qualifiedInvestor, startHoldingsApp } from './support/holdings.js';
import { acknowledgeCampaign, type Investor, liveCampaign, pledge } from './support/pledging.js';
import type { TestApp } from './support/test-app.js';
import { staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * Issue 15, issuer reporting (CN-ECF-07; US-CF-20 analogue): the issuer files annual and
 * material-event reports to its holders, each of whom is told; a missing annual report 120 days
 * after the (Beijing) fiscal year end is noticed once: every holder is told and the founder gets a
 * credit WARNING.
 */
describe('issuer reports to holders (issue 15, CN-ECF-07)', () => {
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

  /** An equity campaign settled now with `n` holders. */
  const settledEquity = async (
    n: number,
  ): Promise<{ founder: TestUser; id: string; holders: Investor[] }> => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const id = await liveCampaign(t, founder, admin, equityTerms(t));
    const holders: Investor[] = [];
    for (let i = 0; i < n; i++) {
      const inv = await qualifiedInvestor(t);
      await acknowledgeCampaign(t, inv, id);
      expect((await pledge(t, inv, id, { amount: '100.00' })).status).toBe(201);
      holders.push(inv);
    }
    t.clock.set(new Date(t.clock.now().getTime() + 2.01 * 86_400_000).toISOString());
    await t.app.get(SettlementService).runOnce();
    await t.app.get(SettlementService).runOnce();
    return { founder, id, holders };
  };
  const file = (token: string, id: string, body: object) =>
    t.http.post(`/api/v1/campaigns/${id}/reports`).set(auth(token)).send(body);
  const notices = async (type: string, recipients: readonly TestUser[]) =>
    (
      await sql(
        `SELECT count(*)::int AS n FROM notifications WHERE type = $1 AND recipient_id = ANY($2)`,
        [type, recipients.map((r) => r.id)],
      )
    )[0].n as number;

  it('reports go to the holders; a missing annual report is noticed once, with a credit warning', async () => {
    const late = await settledEquity(2); // settles in fiscal 2026 (the test clock starts 2026-11-28)
    const onTime = await settledEquity(1);
    expect(
      (
        await file(late.founder.token, late.id, {
          kind: 'MATERIAL_EVENT',
          fiscalYear: 2026,
          title: 'x',
          body: 'y',
        })
      ).body.error.code,
    ).toBe('HOLDINGS.FISCAL_YEAR');
    const open = await file(late.founder.token, late.id, {
      kind: 'ANNUAL',
      fiscalYear: 2026,
      title: 'FY2026',
      body: 'Accounts.',
    });
    expect([open.status, open.body.error.code]).toEqual([422, 'HOLDINGS.FISCAL_YEAR']); // not ended yet
    expect(
      (await file(late.founder.token, late.id, { kind: 'ANNUAL', title: ' ', body: 'b' })).status,
    ).toBe(400);
    const stranger = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    expect(
      (await file(stranger.token, late.id, { kind: 'MATERIAL_EVENT', title: 'x', body: 'y' }))
        .status,
    ).toBe(404);
    expect(await sql(`SELECT 1 FROM issuer_reports WHERE campaign_id = $1`, [late.id])).toEqual([]);

    const event = await file(late.founder.token, late.id, {
      kind: 'MATERIAL_EVENT',
      title: 'New CEO',
      body: 'The board appointed a new chief executive.',
    });
    expect(event.status).toBe(201);
    expect(await notices('holdings.report_filed', late.holders)).toBe(2);
    const read = (token: string, id: string) =>
      t.http.get(`/api/v1/campaigns/${id}/reports`).set(auth(token));
    expect((await read(late.holders[0].token, late.id)).body.items).toEqual([
      expect.objectContaining({ kind: 'MATERIAL_EVENT', title: 'New CEO', fiscalYear: null }),
    ]);
    const outsider = await qualifiedInvestor(t);
    expect((await read(outsider.token, late.id)).status).toBe(404);
    expect((await read(onTime.holders[0].token, late.id)).status).toBe(404);

    // January 2027: the on-time issuer files fiscal 2026.
    t.clock.set('2027-01-15T02:00:00.000Z');
    expect(
      (
        await file(onTime.founder.token, onTime.id, {
          kind: 'ANNUAL',
          fiscalYear: 2026,
          title: 'FY2026',
          body: 'Accounts.',
        })
      ).status,
    ).toBe(201);
    const sweep = () => t.app.get(IssuerReports).noticeOverdue();
    // Just before the due date (2027-05-01 00:00 Beijing): nothing is overdue.
    t.clock.set('2027-04-30T15:59:00.000Z');
    expect(await sweep()).toBe(0);
    // After it, two sweeps at once notice the late issuer once.
    t.clock.set('2027-05-01T01:00:00.000Z');
    const [a, b] = await Promise.all([sweep(), sweep()]);
    expect(a + b).toBe(1);
    expect(await sweep()).toBe(0);
    expect(
      await sql(`SELECT fiscal_year, holders FROM issuer_report_overdue WHERE campaign_id = $1`, [
        late.id,
      ]),
    ).toEqual([{ fiscal_year: 2026, holders: 2 }]);
    expect(
      await sql(`SELECT 1 FROM issuer_report_overdue WHERE campaign_id = $1`, [onTime.id]),
    ).toEqual([]);
    const records = await sql(`SELECT severity, source FROM credit_records WHERE user_id = $1`, [
      late.founder.id,
    ]);
    expect(records).toEqual([{ severity: 'WARNING', source: 'holdings:annual-report' }]);
    expect(await notices('holdings.annual_report_overdue', late.holders)).toBe(2);
    expect(await notices('holdings.annual_report_overdue', onTime.holders)).toBe(0);

    // Filed late, it is still taken, once; a second annual report of the year is refused.
    const filed = await file(late.founder.token, late.id, {
      kind: 'ANNUAL',
      fiscalYear: 2026,
      title: 'FY2026',
      body: 'Accounts, late.',
    });
    expect(filed.status).toBe(201);
    const again = await file(late.founder.token, late.id, {
      kind: 'ANNUAL',
      fiscalYear: 2026,
      title: 'FY2026 again',
      body: 'x',
    });
    expect([again.status, again.body.error.code]).toEqual([409, 'HOLDINGS.REPORT_EXISTS']);
  });
});
