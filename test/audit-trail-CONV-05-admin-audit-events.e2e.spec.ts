import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditService } from '../src/modules/audit/audit.service.js';
import type { AuditEvent } from '../src/modules/audit/audit.types.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import {
  acknowledgeCampaign,
  answers,
  debtTerms,
  liveCampaign,
  pledge,
  readyInvestor,
} from './support/pledging.js';
import { registerAndLogin, staffToken, type TestUser, verifiedUser } from './support/users.js';

/**
 * CONV-05: ADMIN and FINANCE read the audit trail, refusals included, at
 * GET /admin/audit-events?userId&campaignId&code&from&to&cursor&limit. On real Postgres: what each
 * filter matches, paging that stays stable while events are written, refusals of bad input that
 * write nothing, and who may read.
 */
const ROUTE = '/api/v1/admin/audit-events';
const T0 = Date.parse('2026-11-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

interface Page {
  events: {
    id: string;
    occurredAt: string;
    actorId: string | null;
    action: string;
    subjectType: string;
    subjectId: string;
    details: Record<string, unknown>;
  }[];
  nextCursor: string | null;
}

describe('audit trail (CONV-05): GET /admin/audit-events', () => {
  let t: TestApp;
  let audit: AuditService;
  let admin: { id: string; token: string };
  let finance: { id: string; token: string };
  let investor: TestUser;
  let founder: TestUser;

  const u = randomUUID();
  const other = randomUUID();
  const c = randomUUID();
  const c2 = randomUUID();
  /** Seeded events by name, with the id the trail gave each. */
  const seeded = new Map<string, string>();

  const read = async (query: Record<string, string | number>, token = admin.token) =>
    t.http.get(ROUTE).query(query).set('Authorization', `Bearer ${token}`);
  const names = (page: Page) =>
    page.events.map((e) => [...seeded].find(([, id]) => id === e.id)?.[0] ?? `other:${e.action}`);
  const sql = async <R>(text: string): Promise<R[]> =>
    (await (await t.db.client()).query(text)).rows as R[];
  const lastId = async () =>
    (await sql<{ id: string }>(`SELECT max(id)::text AS id FROM audit_events`))[0].id;
  const append = async (name: string, event: AuditEvent) => {
    await audit.append(event);
    seeded.set(name, await lastId());
  };

  beforeAll(async () => {
    t = await startTestApp();
    audit = t.app.get(AuditService);
    admin = await staffToken(t, 'ADMIN');
    finance = await staffToken(t, 'FINANCE');
    investor = await registerAndLogin(t, 'INVESTOR');
    founder = await registerAndLogin(t, 'FOUNDER');
    const event = (minutes: number, e: Omit<AuditEvent, 'occurredAt'>): AuditEvent => ({
      occurredAt: at(minutes),
      ...e,
    });
    // A refused pledge as the pledge module records it: the rule, the inputs, the campaign.
    await append(
      'e1',
      event(0, {
        actorId: u,
        action: 'pledge.refused',
        subjectType: 'user',
        subjectId: u,
        details: { code: 'PLEDGE.LIMIT_EXCEEDED', rule: 'CN-PF-02', campaignId: c },
      }),
    );
    await append(
      'e2',
      event(1, {
        actorId: other,
        action: 'campaign.approved',
        subjectType: 'campaign',
        subjectId: c,
      }),
    );
    await append(
      'e3',
      event(2, { actorId: null, action: 'user.created', subjectType: 'user', subjectId: u }),
    );
    await append(
      'e4',
      event(3, {
        actorId: u,
        action: 'disclosure.acknowledged',
        subjectType: 'acknowledgement',
        subjectId: randomUUID(),
        details: { campaignId: c2 },
      }),
    );
    await append(
      'e5',
      event(4, {
        actorId: other,
        action: 'suitability.blocked',
        subjectType: 'user',
        subjectId: other,
        details: { code: 'SUITABILITY.BLOCKED', rule: 'CN-SUIT-05', campaignId: c },
      }),
    );
    // About u only in its details, not as actor or subject: not one of u's events.
    await append(
      'e6',
      event(5, {
        actorId: other,
        action: 'credit.recorded',
        subjectType: 'credit-record',
        subjectId: randomUUID(),
        details: { userId: u },
      }),
    );
    await append(
      'e7',
      event(6, {
        actorId: other,
        action: 'pledge.refused',
        subjectType: 'campaign',
        subjectId: c2,
        details: { code: 'PLEDGE.HARD_CAP_EXCEEDED', campaignId: c2 },
      }),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('userId matches the actor or a `user` subject, newest first', async () => {
    const res = await read({ userId: u });
    expect(res.status).toBe(200);
    expect(names(res.body as Page)).toEqual(['e4', 'e3', 'e1']);
    // The same user written in capitals is the same user.
    expect(names((await read({ userId: u.toUpperCase() })).body as Page)).toEqual([
      'e4',
      'e3',
      'e1',
    ]);
  });

  it('campaignId matches a `campaign` subject or details.campaignId', async () => {
    expect(names((await read({ campaignId: c })).body as Page)).toEqual(['e5', 'e2', 'e1']);
    expect(names((await read({ campaignId: c2 })).body as Page)).toEqual(['e7', 'e4']);
  });

  it('code matches the action or a refusal code in details.code', async () => {
    expect(names((await read({ code: 'PLEDGE.LIMIT_EXCEEDED' })).body as Page)).toEqual(['e1']);
    expect(names((await read({ code: 'SUITABILITY.BLOCKED' })).body as Page)).toEqual(['e5']);
    expect(names((await read({ code: 'pledge.refused' })).body as Page)).toEqual(['e7', 'e1']);
  });

  it('filters combine (AND); from is inclusive and to exclusive', async () => {
    expect(names((await read({ userId: u, code: 'pledge.refused' })).body as Page)).toEqual(['e1']);
    expect(names((await read({ campaignId: c2, code: 'pledge.refused' })).body as Page)).toEqual([
      'e7',
    ]);
    const window = {
      campaignId: c,
      from: at(1).toISOString(),
      to: at(4).toISOString(),
    };
    expect(names((await read(window)).body as Page)).toEqual(['e2']);
    expect(
      names((await read({ ...window, to: '2026-11-01T08:04:00+08:00' })).body as Page),
    ).toEqual(['e2']);
    expect(names((await read({ ...window, to: at(5).toISOString() })).body as Page)).toEqual([
      'e5',
      'e2',
    ]);
  });

  it('returns each event in full, typed as the OpenAPI document says', async () => {
    const page = (await read({ code: 'PLEDGE.LIMIT_EXCEEDED' })).body as Page;
    expect(page).toEqual({
      events: [
        {
          id: seeded.get('e1'),
          occurredAt: at(0).toISOString(),
          actorId: u,
          action: 'pledge.refused',
          subjectType: 'user',
          subjectId: u,
          details: { code: 'PLEDGE.LIMIT_EXCEEDED', rule: 'CN-PF-02', campaignId: c },
        },
      ],
      nextCursor: null,
    });
    const doc = (await t.http.get('/docs-json')).body as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(JSON.stringify(doc.paths['/api/v1/admin/audit-events'].get.responses['200'])).toContain(
      'AuditEventPageDto',
    );
  });

  it('finds the events the application itself writes (a registration)', async () => {
    const page = (await read({ userId: investor.id }, finance.token)).body as Page;
    expect(page.events.map((e) => e.action)).toContain('user.created');
  });

  it('reads a real refusal: a suitability block the pledge module recorded (CN-SUIT-12(5))', async () => {
    const owner = await verifiedUser(t, 'FOUNDER');
    const campaign = await liveCampaign(t, owner, admin.token, debtTerms({ riskRating: 'R3' }));
    const lowest = await readyInvestor(t, { answers: answers({ q10: 'q10a' }) });
    await acknowledgeCampaign(t, lowest, campaign);
    const refused = await pledge(t, lowest, campaign, { amount: '100.00' });
    expect(refused.body.error.code).toBe('SUITABILITY.BLOCKED');
    for (const token of [admin.token, finance.token]) {
      const page = (await read({ campaignId: campaign, code: 'SUITABILITY.BLOCKED' }, token))
        .body as Page;
      expect(page.events).toEqual([
        expect.objectContaining({
          actorId: lowest.id,
          action: 'pledge.refused',
          details: expect.objectContaining({
            code: 'SUITABILITY.BLOCKED',
            campaignId: campaign,
            rules: expect.arrayContaining(['CN-SUIT-12(5)']),
          }),
        }),
      ]);
    }
    const mine = (await read({ userId: lowest.id, code: 'pledge.refused' })).body as Page;
    expect(mine.events.map((e) => e.details.code)).toEqual(['SUITABILITY.BLOCKED']);
  });

  it('pages newest first with a cursor that stays stable while events are written', async () => {
    const campaign = randomUUID();
    const write = async (n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        await audit.append({
          occurredAt: at(100 + i),
          actorId: null,
          action: 'campaign.updated',
          subjectType: 'campaign',
          subjectId: campaign,
        });
        ids.push(await lastId());
      }
      return ids;
    };
    const original = (await write(7)).reverse();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string | number> = { campaignId: campaign, limit: 3 };
      if (cursor) query.cursor = cursor;
      const res = await read(query, pages % 2 === 0 ? admin.token : finance.token);
      expect(res.status).toBe(200);
      const page = res.body as Page;
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
      pages++;
      await write(2); // newer events land while the walk goes on
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(original);
    // The events written meanwhile open the next walk.
    const fresh = (await read({ campaignId: campaign, limit: 6 })).body as Page;
    expect(fresh.events.map((e) => e.id).some((id) => original.includes(id))).toBe(false);
  });

  it('a cursor only continues the query it came from', async () => {
    const first = (await read({ campaignId: c, limit: 1 })).body as Page;
    expect(first.nextCursor).not.toBeNull();
    const next = await read({ campaignId: c, limit: 1, cursor: first.nextCursor! });
    expect(names(next.body as Page)).toEqual(['e2']);
    const elsewhere = await read({ campaignId: c2, limit: 1, cursor: first.nextCursor! });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('bad input is 400 VALIDATION_FAILED naming the field, and writes nothing', async () => {
    const issued = ((await read({ campaignId: c, limit: 1 })).body as Page).nextCursor!;
    const [text, mac] = issued.split('.');
    const forged = Buffer.from(
      JSON.stringify([1, '999999999', null, c, null, null, null]),
    ).toString('base64url');
    const cases: [Record<string, string>, string][] = [
      [{ userId: 'not-a-uuid' }, 'userId'],
      [{ userId: `${u}x` }, 'userId'],
      [{ campaignId: '12345' }, 'campaignId'],
      [{ code: 'has space' }, 'code'],
      [{ code: 'x'.repeat(101) }, 'code'],
      [{ from: '2026-13-01T00:00:00Z' }, 'from'],
      [{ from: '2026-11-28' }, 'from'],
      [{ to: 'yesterday' }, 'to'],
      [{ to: '2026-02-30T00:00:00Z' }, 'to'],
      [{ from: '0000-01-01T00:00:00Z' }, 'from'],
      [{ to: '0001-01-01T00:00:00+14:00' }, 'to'],
      [{ from: at(5).toISOString(), to: at(5).toISOString() }, 'to'],
      [{ from: at(6).toISOString(), to: at(5).toISOString() }, 'to'],
      [{ cursor: 'garbage' }, 'cursor'],
      [{ campaignId: c, cursor: `${text}.${mac.slice(1)}A` }, 'cursor'],
      [{ campaignId: c, cursor: `${forged}.${mac}` }, 'cursor'],
      [{ cursor: issued }, 'cursor'],
      [{ limit: '0' }, 'limit'],
      [{ limit: '201' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ limit: '1.5' }, 'limit'],
      [{ limit: '-1' }, 'limit'],
      [{ actor: u }, 'actor'],
    ];
    const count = async () =>
      (await sql<{ n: string }>(`SELECT count(*)::text AS n FROM audit_events`))[0].n;
    const before = await count();
    for (const [query, field] of cases) {
      const res = await read(query, finance.token);
      expect({ query, status: res.status, code: res.body.error?.code }).toEqual({
        query,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      const fields = (res.body.error.details.fields as { field: string }[]).map((f) => f.field);
      expect({ query, fields }).toEqual({ query, fields: expect.arrayContaining([field]) });
    }
    const repeated = await t.http
      .get(`${ROUTE}?userId=${u}&userId=${other}`)
      .set('Authorization', `Bearer ${admin.token}`);
    expect(repeated.status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('only ADMIN and FINANCE read it: anonymous 401, INVESTOR and FOUNDER 403', async () => {
    const anonymous = await t.http.get(ROUTE);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('AUTH.UNAUTHENTICATED');
    for (const user of [investor, founder]) {
      const res = await read({ userId: user.id }, user.token);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('AUTH.FORBIDDEN');
    }
    expect((await read({}, admin.token)).status).toBe(200);
    expect((await read({}, finance.token)).status).toBe(200);
  });
});
