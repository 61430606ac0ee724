import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { PLATFORM_DISCLOSURE_V1 } from '../src/modules/risk-disclosure/platform-disclosure-v1.js';
import { RiskDisclosureService } from '../src/modules/risk-disclosure/risk-disclosure.service.js';
import { SpecialWarnings } from '../src/modules/risk-disclosure/special-warnings.service.js';
import {
  CURRENT_SPECIAL_WARNING_VERSION,
  STANDARD_CAMPAIGN_WARNINGS,
} from '../src/modules/risk-disclosure/risk-disclosure.texts.js';
import type { MaterialDisclosureChange } from '../src/modules/risk-disclosure/risk-disclosure.types.js';
import { startTestApp, TEST_START, type TestApp } from './support/test-app.js';
import { registerAndLogin, type TestUser } from './support/users.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('risk disclosure (CN-ECF-07, CN-ECF-10, CN-SUIT-11, CN-SUIT-15, CN-SUIT-16, CONV-05)', () => {
  let t: TestApp;
  let sql: pg.Client;
  let service: RiskDisclosureService;
  let warnings: SpecialWarnings;
  let founder: TestUser;
  const as = (token: string) => ({
    get: (path: string) => t.http.get(`/api/v1${path}`).set('authorization', `Bearer ${token}`),
    post: (path: string, body?: object) =>
      t.http
        .post(`/api/v1${path}`)
        .set('authorization', `Bearer ${token}`)
        .send(body ?? {}),
  });

  /** A LIVE DEBT campaign row, inserted around the campaign module. */
  const newCampaign = async (): Promise<string> => {
    const id = randomUUID();
    await sql.query(
      `INSERT INTO campaigns (id, founder_id, kind, offering, funding_model, title, summary, currency, target_amount, max_amount, min_pledge, deadline, risk_rating, fee_rate, status, committed, investor_count, created_at, updated_at)
       VALUES ($1, $2, 'DEBT', 'PUBLIC', 'ALL_OR_NOTHING', 't', 's', 'CNY', 1000, 2000, 10, now() + interval '30 days', 'R3', 0.03, 'LIVE', 0, 0, now(), now())`,
      [id, founder.id],
    );
    return id;
  };
  const publish = (campaignId: string, material = false, title = 'Financing plan') =>
    service.publishCampaignDisclosure(campaignId, 'DEBT', founder.id, {
      title,
      body: `Business model, management, finances and use of funds of ${campaignId}.`,
      material,
    });
  const auditActions = async (subjectId: string) =>
    (
      await sql.query<{ action: string; details: { rules: string[] } }>(
        `SELECT action, details FROM audit_events WHERE subject_id = $1 ORDER BY id`,
        [subjectId],
      )
    ).rows;

  beforeAll(async () => {
    t = await startTestApp({ PLATFORM_LINES: 'EQUITY,DEBT,REWARD,DONATION' }); // PLAT-07: EQUITY campaigns here
    sql = await t.db.client();
    service = t.app.get(RiskDisclosureService);
    warnings = t.app.get(SpecialWarnings);
    founder = await registerAndLogin(t, 'FOUNDER');
  });
  afterAll(async () => {
    await t.close();
  });

  describe('the platform disclosure (风险揭示书, CN-ECF-10)', () => {
    it('is served with the SHA-256 of its exact body, and is the seeded bilingual version 1', async () => {
      const investor = await registerAndLogin(t);
      const res = await as(investor.token).get('/platform-disclosure');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body as object).sort()).toEqual([
        'body',
        'sha256',
        'title',
        'version',
      ]);
      expect(res.body.sha256).toBe(sha256(res.body.body as string));
      expect(res.body).toMatchObject({
        version: 1,
        title: PLATFORM_DISCLOSURE_V1.title,
        body: PLATFORM_DISCLOSURE_V1.body,
      });
      for (const topic of ['本金', '流动性', '不保证收益', '稀释', '冷静期', '回访']) {
        expect(res.body.body).toContain(topic);
      }
      for (const topic of ['principal', 'Illiquidity', 'No guarantee', 'Dilution', 'Cooling-off']) {
        expect(res.body.body).toContain(topic);
      }
    });

    it('any authenticated user may read it; anonymous callers get 401', async () => {
      expect((await as(founder.token).get('/platform-disclosure')).status).toBe(200);
      const anonymous = await t.http.get('/api/v1/platform-disclosure');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('AUTH.UNAUTHENTICATED');
      const ack = await t.http.post('/api/v1/platform-disclosure/acknowledge').send({ version: 1 });
      expect(ack.status).toBe(401);
    });

    it('a FOUNDER cannot acknowledge it (403)', async () => {
      const res = await as(founder.token).post('/platform-disclosure/acknowledge', { version: 1 });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('AUTH.FORBIDDEN');
    });

    it('CN-SUIT-16: an acknowledgement returns a receipt with the hash, keeps IP and a truncated user agent, and is idempotent', async () => {
      const investor = await registerAndLogin(t);
      const current = (await as(investor.token).get('/platform-disclosure')).body as {
        sha256: string;
      };
      const longAgent = `Mozilla/5.0 ${'x'.repeat(600)}`;
      const first = await as(investor.token)
        .post('/platform-disclosure/acknowledge', { version: 1 })
        .set('user-agent', longAgent);
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        id: expect.any(String),
        version: 1,
        documentSha256: current.sha256,
        acknowledgedAt: TEST_START,
      });
      const row = (
        await sql.query<{ client_ip: string | null; user_agent: string; sha256: string }>(
          `SELECT client_ip, user_agent, sha256 FROM disclosure_acknowledgements WHERE id = $1`,
          [first.body.id],
        )
      ).rows[0];
      expect(row.sha256).toBe(current.sha256);
      expect(row.client_ip).toEqual(expect.any(String));
      expect(row.user_agent).toBe(longAgent.slice(0, 500));

      t.clock.advanceMs(60_000);
      try {
        const again = await as(investor.token).post('/platform-disclosure/acknowledge', {
          version: 1,
        });
        expect(again.status).toBe(201);
        expect(again.body).toEqual(first.body);
      } finally {
        t.clock.set(TEST_START);
      }
      const count = await sql.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM disclosure_acknowledgements WHERE user_id = $1`,
        [investor.id],
      );
      expect(count.rows[0].n).toBe('1');
      const events = await sql.query<{ details: { rules: string[]; acknowledgementId: string } }>(
        `SELECT details FROM audit_events WHERE action = 'disclosure.acknowledged' AND actor_id = $1`,
        [investor.id],
      );
      expect(events.rows).toHaveLength(1);
      expect(events.rows[0].details).toMatchObject({
        acknowledgementId: first.body.id,
        rules: expect.arrayContaining(['CN-ECF-10', 'CN-SUIT-16']),
      });
      expect(JSON.stringify(events.rows[0].details)).not.toContain('Mozilla');
    });

    it('a version that never existed is 404 NOT_FOUND and writes nothing', async () => {
      const investor = await registerAndLogin(t);
      const res = await as(investor.token).post('/platform-disclosure/acknowledge', {
        version: 2,
      });
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: { version: 2 } });
      const rows = await sql.query(`SELECT 1 FROM disclosure_acknowledgements WHERE user_id = $1`, [
        investor.id,
      ]);
      expect(rows.rowCount).toBe(0);
    });

    it.each([
      ['version 0', { version: 0 }],
      ['a string', { version: '1' }],
      ['a fraction', { version: 1.5 }],
      ['no version', {}],
    ])('%s is 400 VALIDATION_FAILED naming the field', async (_name, body) => {
      const investor = await registerAndLogin(t);
      const res = await as(investor.token).post('/platform-disclosure/acknowledge', body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields[0].field).toBe('version');
    });
  });

  describe('campaign disclosures (CN-ECF-07, CN-SUIT-15)', () => {
    it('the stored body is the founder text plus the standard warning for the kind, hashed exactly', async () => {
      const campaignId = await newCampaign();
      const published = await service.publishCampaignDisclosure(campaignId, 'DEBT', founder.id, {
        title: '融资计划 / Financing plan',
        body: '商业模式、管理团队、财务状况与资金用途。Business model and use of funds: 借款用于采购设备。',
        material: false,
      });
      expect(published.version).toBe(1);
      expect(published.body.startsWith('商业模式')).toBe(true);
      expect(published.body.endsWith(STANDARD_CAMPAIGN_WARNINGS.DEBT.text)).toBe(true);
      expect(published.body).toContain('CN-ECF-07');
      expect(published.sha256).toBe(sha256(published.body));

      const current = await service.currentCampaignDisclosure(campaignId);
      expect(current).toEqual(published);
      expect(current.sha256).toBe(sha256(current.body));
      expect(current.publishedAt).toBe(TEST_START);

      const audit = await auditActions(campaignId);
      expect(audit.map((a) => a.action)).toEqual(['disclosure.published']);
      expect(audit[0].details.rules).toEqual(expect.arrayContaining(['CN-ECF-07', 'CN-SUIT-15']));
    });

    it('each kind carries its own versioned warning (REWARD: delivery, DONATION: no return)', async () => {
      expect(STANDARD_CAMPAIGN_WARNINGS.EQUITY.text).toMatch(/dilute/);
      expect(STANDARD_CAMPAIGN_WARNINGS.REWARD.text).toMatch(/delivered late/);
      expect(STANDARD_CAMPAIGN_WARNINGS.DONATION.text).toMatch(/no financial return/);
      const campaignId = await newCampaign();
      const published = await service.publishCampaignDisclosure(campaignId, 'REWARD', founder.id, {
        title: 'Rewards',
        body: 'We ship in March.',
        material: false,
      });
      expect(published.body).toBe(`We ship in March.\n\n${STANDARD_CAMPAIGN_WARNINGS.REWARD.text}`);
    });

    it('a campaign without a disclosure is 404; an unknown campaign cannot get one', async () => {
      const campaignId = await newCampaign();
      await expect(service.currentCampaignDisclosure(campaignId)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(publish(randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        service.publishCampaignDisclosure(campaignId, 'DEBT', founder.id, {
          title: ' ',
          body: 'x\u0000y',
          material: false,
        }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [{ field: 'title' }, { field: 'body' }] },
      });
    });

    it('concurrent publications get consecutive versions, none lost', async () => {
      const campaignId = await newCampaign();
      const versions = await Promise.all(
        Array.from({ length: 6 }, (_, i) => publish(campaignId, false, `v${i}`)),
      );
      expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await service.currentCampaignDisclosure(campaignId)).version).toBe(6);
    });

    it('acknowledging a superseded version is 409 with the current version, one that never existed 404; the same version twice returns the original receipt', async () => {
      const investor = await registerAndLogin(t);
      const campaignId = await newCampaign();
      const v1 = await publish(campaignId);
      const receipt = await service.acknowledgeCampaign(investor.id, campaignId, 1, {
        ip: '203.0.113.7',
        userAgent: 'jest',
      });
      expect(receipt).toEqual({
        id: expect.any(String),
        version: 1,
        documentSha256: v1.sha256,
        acknowledgedAt: TEST_START,
      });
      expect(await service.acknowledgeCampaign(investor.id, campaignId, 1, {})).toEqual(receipt);

      const v2 = await publish(campaignId, false, 'Updated plan');
      await expect(
        service.acknowledgeCampaign(investor.id, campaignId, 1, {}),
      ).rejects.toMatchObject({
        code: 'DISCLOSURE.STALE_VERSION',
        kind: 'CONFLICT',
        details: { currentVersion: 2, currentSha256: v2.sha256 },
      });
      for (const version of [3, 0, -1]) {
        await expect(
          service.acknowledgeCampaign(investor.id, campaignId, version, {}),
        ).rejects.toMatchObject({ code: 'NOT_FOUND', kind: 'NOT_FOUND' });
      }
      await expect(
        service.acknowledgeCampaign(investor.id, await newCampaign(), 1, {}),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('GET /me/acknowledgements lists own receipts, flagging superseded ones', async () => {
      const investor = await registerAndLogin(t);
      const campaignId = await newCampaign();
      await publish(campaignId);
      const platform = await as(investor.token).post('/platform-disclosure/acknowledge', {
        version: 1,
      });
      const campaignReceipt = await service.acknowledgeCampaign(investor.id, campaignId, 1, {});
      await publish(campaignId);
      const res = await as(investor.token).get('/me/acknowledgements');
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(2);
      expect(res.body.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            id: platform.body.id,
            scope: 'PLATFORM',
            campaignId: null,
            version: 1,
            current: true,
          }),
          expect.objectContaining({
            id: campaignReceipt.id,
            scope: 'CAMPAIGN',
            campaignId,
            version: 1,
            documentSha256: campaignReceipt.documentSha256,
            current: false,
          }),
        ]),
      );
      const own = await as(founder.token).get('/me/acknowledgements');
      expect(own.status).toBe(200);
      expect(own.body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('requireCurrentAcknowledgements (CN-ECF-13 RISK_DISCLOSURE_SIGNED)', () => {
    it('throws ACKNOWLEDGEMENT_REQUIRED until both current versions are acknowledged, and again after a new version', async () => {
      const investor = await registerAndLogin(t);
      const campaignId = await newCampaign();
      const platformSha = sha256(PLATFORM_DISCLOSURE_V1.body);

      await expect(
        service.requireCurrentAcknowledgements(investor.id, campaignId),
      ).rejects.toMatchObject({
        code: 'DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED',
        kind: 'RULE_VIOLATION',
        details: {
          missing: [
            { scope: 'PLATFORM', campaignId: null, currentVersion: 1, currentSha256: platformSha },
            { scope: 'CAMPAIGN', campaignId, currentVersion: null, currentSha256: null },
          ],
        },
      });

      const v1 = await publish(campaignId);
      const platformReceipt = await service.acknowledgePlatform(investor.id, 1, {});
      await expect(
        service.requireCurrentAcknowledgements(investor.id, campaignId),
      ).rejects.toMatchObject({
        details: {
          missing: [{ scope: 'CAMPAIGN', campaignId, currentVersion: 1, currentSha256: v1.sha256 }],
        },
      });

      const campaignReceipt = await service.acknowledgeCampaign(investor.id, campaignId, 1, {});
      await expect(
        service.requireCurrentAcknowledgements(investor.id, campaignId),
      ).resolves.toEqual({
        platformReceiptId: platformReceipt.id,
        campaignReceiptId: campaignReceipt.id,
        leadMemoReceiptId: null,
      });

      const v2 = await publish(campaignId, true);
      await expect(
        service.requireCurrentAcknowledgements(investor.id, campaignId),
      ).rejects.toMatchObject({
        code: 'DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED',
        details: { missing: [{ scope: 'CAMPAIGN', currentVersion: 2, currentSha256: v2.sha256 }] },
      });
      const again = await service.acknowledgeCampaign(investor.id, campaignId, 2, {});
      await expect(
        service.requireCurrentAcknowledgements(investor.id, campaignId),
      ).resolves.toMatchObject({ campaignReceiptId: again.id });
    });

    it('another investor’s acknowledgements do not count', async () => {
      const [a, b] = [await registerAndLogin(t), await registerAndLogin(t)];
      const campaignId = await newCampaign();
      await publish(campaignId);
      await service.acknowledgePlatform(a.id, 1, {});
      await service.acknowledgeCampaign(a.id, campaignId, 1, {});
      await expect(service.requireCurrentAcknowledgements(a.id, campaignId)).resolves.toBeDefined();
      await expect(service.requireCurrentAcknowledgements(b.id, campaignId)).rejects.toMatchObject({
        details: { missing: [{ scope: 'PLATFORM' }, { scope: 'CAMPAIGN' }] },
      });
    });
  });

  describe('material changes (CN-SUIT-14 reconfirmation)', () => {
    it('a material version emits on materialChanges$ after commit; a non-material one does not', async () => {
      const campaignId = await newCampaign();
      const seen: MaterialDisclosureChange[] = [];
      const subscription = service.materialChanges$.subscribe((change) => {
        if (change.campaignId === campaignId) seen.push(change);
      });
      try {
        await publish(campaignId, false);
        expect(seen).toEqual([]);
        await publish(campaignId, true);
        expect(seen).toEqual([{ campaignId, version: 2, publishedAt: new Date(TEST_START) }]);
        await publish(campaignId, false);
        await expect(publish(randomUUID(), true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
        expect(seen).toHaveLength(1);
      } finally {
        subscription.unsubscribe();
      }
    });
  });

  describe('the database keeps published versions and evidence immutable', () => {
    let campaignId: string;
    let documentId: string;
    beforeAll(async () => {
      campaignId = await newCampaign();
      await publish(campaignId);
      documentId = (
        await sql.query<{ id: string }>(
          `SELECT id FROM disclosure_documents WHERE campaign_id = $1`,
          [campaignId],
        )
      ).rows[0].id;
    });

    it('UPDATE and DELETE on disclosure_versions are rejected by the trigger', async () => {
      await expect(
        sql.query(`UPDATE disclosure_versions SET body = 'changed' WHERE document_id = $1`, [
          documentId,
        ]),
      ).rejects.toThrow(/append-only/);
      await expect(
        sql.query(`UPDATE disclosure_versions SET material = true WHERE document_id = $1`, [
          documentId,
        ]),
      ).rejects.toThrow(/append-only/);
      await expect(
        sql.query(`DELETE FROM disclosure_versions WHERE document_id = $1`, [documentId]),
      ).rejects.toThrow(/append-only/);
      const platform = await sql
        .query(
          `DELETE FROM disclosure_versions WHERE document_id = (SELECT id FROM disclosure_documents WHERE scope = 'PLATFORM')`,
        )
        .catch((error: unknown) => error);
      expect(String(platform)).toMatch(/append-only/);
      expect((await service.currentCampaignDisclosure(campaignId)).version).toBe(1);
    });

    it('an INSERT whose sha256 is not the hash of its body fails the CHECK', async () => {
      const body = 'honest text';
      const insert = (sha: string) =>
        sql.query(
          `INSERT INTO disclosure_versions (document_id, version, title, body, sha256, material, published_by, published_at)
           VALUES ($1, 2, 't', $2, $3, false, NULL, now())`,
          [documentId, body, sha],
        );
      await expect(insert(sha256('another text'))).rejects.toMatchObject({
        code: '23514',
        constraint: 'disclosure_versions_sha256_body_check',
      });
      await expect(insert('A'.repeat(64))).rejects.toMatchObject({ code: '23514' });
      // The database computes the same hash as node:crypto, non-ASCII included.
      const unicode = '揭示书 ✓ émoji 🙂';
      await expect(
        sql.query(`SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex') AS h`, [unicode]),
      ).resolves.toMatchObject({ rows: [{ h: sha256(unicode) }] });
    });

    it('acknowledgements are append-only and must carry the hash of the version they name', async () => {
      const investor = await registerAndLogin(t);
      const receipt = await service.acknowledgeCampaign(investor.id, campaignId, 1, {});
      await expect(
        sql.query(`UPDATE disclosure_acknowledgements SET version = 1 WHERE id = $1`, [receipt.id]),
      ).rejects.toThrow(/append-only/);
      await expect(
        sql.query(`DELETE FROM disclosure_acknowledgements WHERE id = $1`, [receipt.id]),
      ).rejects.toThrow(/append-only/);
      const other = await registerAndLogin(t);
      await expect(
        sql.query(
          `INSERT INTO disclosure_acknowledgements (id, user_id, document_id, version, sha256, acknowledged_at)
           VALUES ($1, $2, $3, 1, $4, now())`,
          [randomUUID(), other.id, documentId, sha256('not the text')],
        ),
      ).rejects.toMatchObject({ code: '23514' });
      await expect(
        sql.query(
          `INSERT INTO disclosure_acknowledgements (id, user_id, document_id, version, sha256, acknowledged_at)
           VALUES ($1, $2, $3, 9, $4, now())`,
          [randomUUID(), other.id, documentId, receipt.documentSha256],
        ),
      ).rejects.toMatchObject({ code: '23514' });
    });

    it('a second PLATFORM document is rejected', async () => {
      await expect(
        sql.query(
          `INSERT INTO disclosure_documents (id, scope, campaign_id, created_at) VALUES ($1, 'PLATFORM', NULL, now())`,
          [randomUUID()],
        ),
      ).rejects.toMatchObject({ code: '23505', constraint: 'disclosure_documents_one_platform' });
      await expect(
        sql.query(
          `INSERT INTO disclosure_documents (id, scope, campaign_id, created_at) VALUES ($1, 'CAMPAIGN', NULL, now())`,
          [randomUUID()],
        ),
      ).rejects.toMatchObject({ code: '23514', constraint: 'disclosure_documents_campaign_check' });
    });
  });

  describe('special written risk warning (CN-SUIT-11)', () => {
    /** The warning as shown to the investor, accepted by its version and hash. */
    const shown = (c: 'C1' | 'C2' | 'C3' | 'C4' | 'C5', r: 'R1' | 'R2' | 'R3' | 'R4' | 'R5') => {
      const w = warnings.textFor(c, r);
      return { version: w.version, sha256: w.sha256, investorLevel: c, productLevel: r };
    };
    const unseen = (c: 'C1' | 'C2' | 'C3' | 'C4' | 'C5', r: 'R1' | 'R2' | 'R3' | 'R4' | 'R5') => ({
      version: CURRENT_SPECIAL_WARNING_VERSION,
      sha256: '0'.repeat(64),
      investorLevel: c,
      productLevel: r,
    });

    it('is stored with the versioned text and its hash, names both levels, and is append-only', async () => {
      const investor = await registerAndLogin(t);
      const campaignId = await newCampaign();
      const warning = await warnings.record(investor.id, campaignId, shown('C2', 'R4'), {
        ip: '198.51.100.4',
        userAgent: 'jest',
      });
      expect(warning).toMatchObject({
        userId: investor.id,
        campaignId,
        investorLevel: 'C2',
        productLevel: 'R4',
        textVersion: CURRENT_SPECIAL_WARNING_VERSION,
        acceptedAt: TEST_START,
      });
      expect(warning.textVersion).toBe('SW-2026.1');
      expect(warning.text).toContain('C2');
      expect(warning.text).toContain('R4');
      expect(warning.text).toContain('特别风险警示书');
      expect(warning.textSha256).toBe(sha256(warning.text));

      const row = (
        await sql.query<{ text_sha256: string; text_version: string; client_ip: string }>(
          `SELECT text_sha256, text_version, client_ip FROM special_warnings WHERE id = $1`,
          [warning.id],
        )
      ).rows[0];
      expect(row).toEqual({
        text_sha256: warning.textSha256,
        text_version: 'SW-2026.1',
        client_ip: '198.51.100.4',
      });
      expect(await warnings.listFor(investor.id, campaignId)).toEqual([warning]);
      const audit = await auditActions(campaignId);
      expect(audit.map((a) => a.action)).toEqual(['disclosure.special_warning_accepted']);
      expect(audit[0].details.rules).toContain('CN-SUIT-11');

      await expect(
        sql.query(`UPDATE special_warnings SET product_level = 'R5' WHERE id = $1`, [warning.id]),
      ).rejects.toThrow(/append-only/);
      await expect(
        sql.query(`DELETE FROM special_warnings WHERE id = $1`, [warning.id]),
      ).rejects.toThrow(/append-only/);
    });

    it('different levels give a different text and hash', async () => {
      const investor = await registerAndLogin(t);
      const campaignId = await newCampaign();
      const a = await warnings.record(investor.id, campaignId, shown('C3', 'R5'));
      const b = await warnings.record(investor.id, campaignId, shown('C2', 'R5'));
      expect(a.textSha256).not.toBe(b.textSha256);
    });

    it('is refused when the product is not above the tolerance, for bad levels and unknown campaigns', async () => {
      const investor = await registerAndLogin(t);
      const campaignId = await newCampaign();
      await expect(
        warnings.record(investor.id, campaignId, unseen('C4', 'R4')),
      ).rejects.toMatchObject({ code: 'DISCLOSURE.SPECIAL_WARNING_NOT_APPLICABLE' });
      await expect(
        warnings.record(investor.id, campaignId, unseen('C9' as 'C1', 'R5')),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(
        warnings.record(investor.id, randomUUID(), shown('C1', 'R5')),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // CN-SUIT-11: a warning not shown (a hash that is not the text's) is never recorded.
      await expect(
        warnings.record(investor.id, campaignId, unseen('C1', 'R5')),
      ).rejects.toMatchObject({ code: 'DISCLOSURE.STALE_VERSION' });
      const count = await sql.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM special_warnings WHERE user_id = $1`,
        [investor.id],
      );
      expect(count.rows[0].n).toBe('0');
    });
  });
});
