import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { equityTerms, seedHolding, startHoldingsApp } from './support/holdings.js';
import type { TestApp } from './support/test-app.js';
import { verifiedUser } from './support/users.js';

/**
 * Issue 16, cursor pages on every list: the two lists added after the shared cursor landed, the
 * issuer's reports (the FINANCE claims list is walked in the RW-03 spec), walked page by page while rows are added between
 * reads (equal timestamps included): every row once, in order; a forged cursor is a 400.
 */
describe('cursor pages: issuer reports (issue 16)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startHoldingsApp();
  });
  afterAll(async () => {
    await t.close();
  });
  const sql = async (text: string, params: unknown[] = []) =>
    (await (await t.db.client()).query(text, params)).rows;

  /** Walks `path` 3 rows a page, calling `between` after each page; returns the ids seen. */
  const walk = async (path: string, token: string, between: () => Promise<void>) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { limit: '3', ...(cursor ? { cursor } : {}) };
      const res = await t.http.get(path).query(query).set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      seen.push(
        ...(res.body.items as { id?: string; pledgeId?: string }[]).map(
          (r) => r.id ?? r.pledgeId ?? '',
        ),
      );
      cursor = res.body.nextCursor as string | null;
      await between();
    } while (cursor);
    return seen;
  };

  it("an issuer's reports, newest first: each once while new ones are filed between pages", async () => {
    const founder = await verifiedUser(t, 'FOUNDER', 'ORGANIZATION');
    const id = (
      await t.http
        .post('/api/v1/campaigns')
        .set('authorization', `Bearer ${founder.token}`)
        .send(equityTerms(t))
    ).body.id as string;
    const holder = await verifiedUser(t, 'INVESTOR');
    await seedHolding(t, { campaignId: id, investorId: holder.id });
    const at = t.clock.now();
    const file = async (n: number, when: Date) =>
      sql(
        `INSERT INTO issuer_reports (id, campaign_id, kind, title, body, filed_by, filed_at)
         VALUES ($1, $2, 'MATERIAL_EVENT', $3, 'b', $4, $5)`,
        [randomUUID(), id, `r${n}`, founder.id, when],
      );
    for (let i = 0; i < 8; i++) await file(i, i < 4 ? at : new Date(at.getTime() - i * 1000)); // 4 equal
    const before = (
      await sql(
        `SELECT id FROM issuer_reports WHERE campaign_id = $1 ORDER BY filed_at DESC, id DESC`,
        [id],
      )
    ).map((r) => r.id as string);
    let n = 100;
    const seen = await walk(`/api/v1/campaigns/${id}/reports`, holder.token, async () => {
      await file(n++, new Date(at.getTime() + 60_000)); // newer: belongs before the walk's position
    });
    expect(seen).toEqual(before);
    const forged = await t.http
      .get(`/api/v1/campaigns/${id}/reports`)
      .query({ cursor: 'eyJ4IjoxfQ.AAAA' })
      .set('authorization', `Bearer ${holder.token}`);
    expect([forged.status, forged.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
