import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { PAGE_MAX } from '../src/common/pagination/page-query.dto.js';
import { statusesFor } from '../src/modules/pledge/pledge.state.js';
import {
  acknowledgeCampaign,
  type Investor,
  liveCampaign,
  pledge,
  readyInvestor,
  rewardTerms,
} from './support/pledging.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import {
  registerAndLogin,
  type StaffUser,
  staffToken,
  type TestUser,
  verifiedUser,
} from './support/users.js';

/**
 * Issue 16, "cursor pagination on every list route": the list routes that answered everything
 * (or only `limit` rows) now page by a signed keyset cursor, `{items, nextCursor}`. For each one,
 * on real Postgres: a walk of small pages shows every row that was there when it began exactly
 * once and in the list's order, although rows share their timestamp (the clock stands still; some
 * rows differ by a microsecond only) and new rows arrive between page reads; a garbage, altered
 * or foreign cursor is 400 VALIDATION_FAILED naming `cursor` and writes nothing; a limit above
 * the maximum is refused, not clamped.
 */

type Item = Record<string, unknown>;

interface ListCase {
  route: string;
  path: () => string;
  token: () => string;
  /** The ids the list holds now, in its order, read straight from the tables. */
  ids: () => Promise<string[]>;
  /** Adds `n` rows at the clock's (frozen) time. */
  add: (n: number) => Promise<void>;
  idOf: (item: Item) => string;
  /** The page's keys when it carries more than `items` and `nextCursor` (the loan book's totals). */
  keys?: string[];
}

describe('cursor pagination on every list route (issue 16)', () => {
  let t: TestApp;
  let db: pg.Client;
  let admin: StaffUser;
  let founder: TestUser;
  let investor: Investor;
  /** Donor, lender and holder of the rows added for the later lists (its own INV-9 room). */
  let donor: Investor;
  let finance: StaffUser;
  let bystander: TestUser;
  let campaignId: string;
  let documentId: string;
  let endpointId: string;
  /** A valid cursor of each list, from its walk, to hand to another list. */
  const issued = new Map<string, string>();
  let serial = 0;

  const get = (path: string, token: string, query: Record<string, string> = {}) =>
    t.http.get(`/api/v1${path}`).query(query).set('authorization', `Bearer ${token}`);
  const rows = async (sql: string, params: unknown[] = []) =>
    (await db.query<{ id: string }>(sql, params)).rows.map((r) => r.id);
  /** The clock's time plus 0, 1 or 2 microseconds: equal keys and keys closer than a millisecond. */
  const at = () => ({
    sql: `($1::timestamptz + make_interval(secs => ${serial++ % 3} / 1000000.0))`,
    now: t.clock.now(),
  });
  const times = async (n: number, add: () => Promise<unknown>) => {
    for (let i = 0; i < n; i++) await add();
  };

  beforeAll(async () => {
    t = await startTestApp();
    db = new pg.Client({ connectionString: t.db.url });
    await db.connect();
    admin = await staffToken(t, 'ADMIN');
    founder = await verifiedUser(t, 'FOUNDER');
    bystander = await registerAndLogin(t, 'INVESTOR');
    investor = await readyInvestor(t);
    campaignId = await liveCampaign(t, founder, admin.token, rewardTerms());
    await acknowledgeCampaign(t, investor, campaignId);
    // Acknowledgements to add come from versions of a draft's own disclosure, not the live one.
    const draft = await t.http
      .post('/api/v1/campaigns')
      .set('authorization', `Bearer ${founder.token}`)
      .send(rewardTerms({ title: 'Draft' }));
    await t.http
      .post(`/api/v1/campaigns/${draft.body.id as string}/disclosures`)
      .set('authorization', `Bearer ${founder.token}`)
      .send({ title: 'Plan', body: 'Draft plan.', material: false });
    [documentId] = await rows(`SELECT id FROM disclosure_documents WHERE campaign_id = $1`, [
      draft.body.id,
    ]);
    const hook = await t.http
      .post('/api/v1/me/webhooks')
      .set('authorization', `Bearer ${founder.token}`)
      .send({ url: 'https://hooks.example.com/zc' });
    endpointId = hook.body.id as string;
    finance = await staffToken(t, 'FINANCE');
    donor = await readyInvestor(t);
    await acknowledgeCampaign(t, donor, campaignId);
    // The founder stands in for a charity (receipts) and an issuer (register, distributions).
    await db.query(
      `INSERT INTO donation_receipt_counters (charity_id, year, last_number) VALUES ($1, 2026, 0)`,
      [founder.id],
    );
    await db.query(
      `INSERT INTO holding_certificate_counters (campaign_id, last_number) VALUES ($1, 0)`,
      [campaignId],
    );
  });
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  /** A notice to the founder; with `channel` EMAIL it is an e-mail given up. */
  const notice = async (emailFailed: boolean): Promise<string> => {
    const { sql, now } = at();
    const [id] = await rows(
      `INSERT INTO notifications (id, recipient_id, type, params, created_at, email_status,
              email_attempts, email_next_attempt_at, email_last_attempt_at, email_last_error)
       VALUES (gen_random_uuid(), $2, 'campaign.updated', '{}', $1, $3, $4, $1, ${sql}, $5)
       RETURNING id`,
      [now, founder.id, emailFailed ? 'FAILED' : 'SKIPPED', emailFailed ? 3 : 0, 'test'],
    );
    return id;
  };
  const delivery = async (status: 'PENDING' | 'FAILED') => {
    const notificationId = await notice(false);
    const { sql, now } = at();
    await db.query(
      `INSERT INTO webhook_deliveries (id, endpoint_id, notification_id, status, attempts,
              next_attempt_at, last_attempt_at, created_at)
       VALUES (gen_random_uuid(), $2, $3, $4, 1, $1, ${sql}, ${sql})`,
      [now, endpointId, notificationId, status],
    );
  };

  /** A pledge of the donor's, placed through the API (receipts and calls need a real one). */
  const donorPledge = async (): Promise<string> =>
    (await pledge(t, donor, campaignId, { amount: '10.00' }).expect(201)).body.id as string;
  /** A receipt to the donor from the founder's "charity", numbered next. */
  const receipt = async () => {
    const pledgeId = await donorPledge();
    const { sql, now } = at();
    await db.query(
      `INSERT INTO donation_receipts (id, receipt_no, charity_id, year, number, pledge_id, campaign_id,
              donor_id, donor_name_masked, amount, currency, donated_at, charity_name, charity_uscc, issued_at)
       SELECT gen_random_uuid(), 'T-2026-' || n, $2, 2026, n, $3, $4, $5, '测*', 10, 'CNY', $1, 'Charity',
              'T', ${sql}
         FROM (SELECT coalesce(max(number), 0) + 1 AS n FROM donation_receipts WHERE charity_id = $2) x`,
      [now, founder.id, pledgeId, campaignId, donor.id],
    );
  };
  /** A loan of the founder's, made now; with `lender`, the donor holds a claim on it. */
  const loan = async (lender: boolean) => {
    const { sql, now } = at();
    const [loanId] = await rows(
      `INSERT INTO loans (id, campaign_id, borrower_id, currency, principal, annual_rate, term_months,
              method, grace_days, penalty_annual_rate, day_count_basis, service_fee_rate,
              early_repayment_fee_rate, default_after_days, status, start_date, created_at)
       VALUES (gen_random_uuid(), gen_random_uuid(), $2, 'CNY', 100, 0.08, 12, 'EQUAL_INSTALLMENT', 3,
              0.12, 365, 0.01, 0.01, 90, 'ACTIVE', $1::date, ${sql})
       RETURNING id`,
      [now, founder.id],
    );
    if (lender)
      await db.query(
        `INSERT INTO loan_claims (loan_id, lender_id, principal) VALUES ($1, $2, 100)`,
        [loanId, donor.id],
      );
  };
  /** A distribution of the founder's campaign; with `paid`, a payment to the donor. */
  const distribution = async (paid: boolean) => {
    const { sql, now } = at();
    const [id] = await rows(
      `INSERT INTO distributions (id, campaign_id, kind, amount, currency, withholding_rate, status,
              announced_by, announced_at)
       VALUES (gen_random_uuid(), $2, 'DIVIDEND', 10, 'CNY', 0.2, 'ANNOUNCED', $3, ${sql}) RETURNING id`,
      [now, campaignId, founder.id],
    );
    if (paid) {
      const { sql: paidSql } = at();
      await db.query(
        `INSERT INTO distribution_payments (distribution_id, investor_id, units, gross, tax, net, paid_at)
         VALUES ($2, $3, 1, 10, 2, 8, ${paidSql})`,
        [now, id, donor.id],
      );
    }
  };

  const cases: ListCase[] = [
    {
      route: 'GET /campaigns/:id/updates',
      path: () => `/campaigns/${campaignId}/updates`,
      token: () => investor.token,
      ids: () =>
        rows(
          `SELECT id FROM campaign_updates WHERE campaign_id = $1 ORDER BY created_at DESC, id DESC`,
          [campaignId],
        ),
      add: (n) =>
        times(n, () =>
          t.http
            .post(`/api/v1/campaigns/${campaignId}/updates`)
            .set('authorization', `Bearer ${founder.token}`)
            .send({ title: 'Kiln', body: 'Fired.' })
            .expect(201),
        ),
      idOf: (item) => item.id as string,
    },
    {
      route: 'GET /campaigns/:id/transitions',
      path: () => `/campaigns/${campaignId}/transitions`,
      token: () => founder.token,
      // A transition has no public id: its from, to and reason name it here (reasons are unique).
      ids: () =>
        rows(
          `SELECT concat_ws('|', coalesce(from_status, '-'), to_status, coalesce(reason, '-')) AS id
             FROM campaign_transitions t WHERE campaign_id = $1 ORDER BY t.id`,
          [campaignId],
        ),
      add: (n) =>
        times(n, () =>
          db.query(
            `INSERT INTO campaign_transitions (campaign_id, from_status, to_status, reason, details, occurred_at)
             VALUES ($2, 'LIVE', 'LIVE', $3, '{}', $1)`,
            [t.clock.now(), campaignId, `tour ${randomUUID()}`],
          ),
        ),
      idOf: (item) => [item.from ?? '-', item.to, item.reason ?? '-'].join('|'),
    },
    {
      route: 'GET /pledges',
      path: () => '/pledges',
      token: () => investor.token,
      ids: () =>
        rows(`SELECT id FROM pledges WHERE investor_id = $1 ORDER BY created_at DESC, id DESC`, [
          investor.id,
        ]),
      add: (n) => times(n, () => pledge(t, investor, campaignId, { amount: '10.00' }).expect(201)),
      idOf: (item) => item.id as string,
    },
    {
      route: 'GET /admin/applications',
      path: () => '/admin/applications',
      token: () => admin.token,
      ids: () => rows(`SELECT id FROM classification_applications ORDER BY submitted_at, id`),
      add: (n) =>
        times(n, () => {
          const { sql, now } = at();
          return db.query(
            `INSERT INTO classification_applications
                    (id, user_id, type, status, evidence, submitted_at, decided_at, decided_by, reason)
             VALUES (gen_random_uuid(), $2, 'QUALIFIED', 'REJECTED', '[]', ${sql}, $1, $3, 'test')`,
            [now, bystander.id, admin.id],
          );
        }),
      idOf: (item) => item.id as string,
    },
    {
      route: 'GET /me/acknowledgements',
      path: () => '/me/acknowledgements',
      token: () => investor.token,
      ids: () =>
        rows(
          `SELECT id FROM disclosure_acknowledgements WHERE user_id = $1
            ORDER BY acknowledged_at DESC, id DESC`,
          [investor.id],
        ),
      add: (n) =>
        times(n, async () => {
          const { sql, now } = at();
          const body = `Version ${randomUUID()}`;
          await db.query(
            `WITH v AS (
               INSERT INTO disclosure_versions (document_id, version, title, body, sha256, material, published_at)
               SELECT $2, coalesce(max(version), 0) + 1, 'Plan', $3,
                      encode(sha256(convert_to($3, 'UTF8')), 'hex'), false, $1
                 FROM disclosure_versions WHERE document_id = $2
               RETURNING document_id, version, sha256)
             INSERT INTO disclosure_acknowledgements (id, user_id, document_id, version, sha256, acknowledged_at)
             SELECT gen_random_uuid(), $4, document_id, version, sha256, ${sql} FROM v`,
            [now, documentId, body, investor.id],
          );
        }),
      idOf: (item) => item.id as string,
    },
    {
      route: 'GET /admin/credit-records',
      path: () => '/admin/credit-records',
      token: () => admin.token,
      ids: () => rows(`SELECT id FROM credit_records ORDER BY created_at DESC, id DESC`),
      add: (n) =>
        times(n, () =>
          t.http
            .post('/api/v1/admin/credit-records')
            .set('authorization', `Bearer ${admin.token}`)
            .send({
              userId: bystander.id,
              kind: 'OTHER',
              severity: 'WARNING',
              source: 'PLATFORM',
              note: 'Paging test.',
            })
            .expect(201),
        ),
      idOf: (item) => item.id as string,
    },
    {
      route: 'GET /me/webhooks/:id/deliveries',
      path: () => `/me/webhooks/${endpointId}/deliveries`,
      token: () => founder.token,
      ids: () =>
        rows(
          `SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC, id DESC`,
          [endpointId],
        ),
      add: (n) => times(n, () => delivery('PENDING')),
      idOf: (item) => item.id as string,
    },
    {
      route: 'GET /admin/notifications/failed',
      path: () => '/admin/notifications/failed',
      token: () => admin.token,
      // Both channels in one order: the last try newest first (none: as of the epoch), then id.
      ids: () =>
        rows(
          `SELECT id FROM (
             SELECT id, coalesce(email_last_attempt_at, 'epoch') AS at FROM notifications
              WHERE email_status = 'FAILED'
             UNION ALL
             SELECT id, coalesce(last_attempt_at, 'epoch') FROM webhook_deliveries WHERE status = 'FAILED'
           ) f ORDER BY at DESC, id DESC`,
        ),
      add: (n) => times(n, () => (serial % 2 === 0 ? notice(true) : delivery('FAILED'))),
      idOf: (item) => item.id as string,
    },
    {
      route: 'GET /donations/receipts',
      path: () => '/donations/receipts',
      token: () => donor.token,
      ids: () =>
        rows(
          `SELECT id FROM donation_receipts WHERE donor_id = $1 ORDER BY issued_at DESC, id DESC`,
          [donor.id],
        ),
      add: (n) => times(n, receipt),
      idOf: (item) => item.id as string,
    },
    {
      route: 'GET /campaigns/:id/receipts',
      path: () => `/campaigns/${campaignId}/receipts`,
      token: () => founder.token,
      ids: () =>
        rows(`SELECT id FROM donation_receipts WHERE campaign_id = $1 ORDER BY number, id`, [
          campaignId,
        ]),
      add: (n) => times(n, receipt),
      idOf: (item) => item.id as string,
    },
    {
      route: 'GET /me/claims',
      path: () => '/me/claims',
      token: () => donor.token,
      ids: () =>
        rows(
          `SELECT l.id FROM loan_claims c JOIN loans l ON l.id = c.loan_id WHERE c.lender_id = $1
            ORDER BY l.created_at, l.id`,
          [donor.id],
        ),
      add: (n) => times(n, () => loan(true)),
      idOf: (item) => item.loanId as string,
    },
    {
      route: 'GET /me/loans',
      path: () => '/me/loans',
      token: () => founder.token,
      ids: () =>
        rows(`SELECT id FROM loans WHERE borrower_id = $1 ORDER BY created_at, id`, [founder.id]),
      add: (n) => times(n, () => loan(false)),
      idOf: (item) => item.id as string,
    },
    {
      route: 'GET /finance/loans',
      path: () => '/finance/loans',
      token: () => finance.token,
      ids: () => rows(`SELECT id FROM loans ORDER BY created_at, id`),
      add: (n) => times(n, () => loan(false)),
      idOf: (item) => item.id as string,
      keys: ['M1', 'M2', 'M3_PLUS', 'items', 'nextCursor', 'outstandingPrincipal'],
    },
    {
      route: 'GET /admin/confirmation-calls',
      path: () => '/admin/confirmation-calls',
      token: () => admin.token,
      ids: () =>
        rows(
          `SELECT id FROM pledges WHERE confirmation_required AND cooling_off_ends_at IS NOT NULL
              AND status = ANY($1::text[]) ORDER BY cooling_off_ends_at, id`,
          [statusesFor('CALL_CONFIRMED')],
        ),
      // A pledge that needs its call (a reward pledge made into one: in cooling-off, the call
      // required), its cooling-off ending at the (frozen) clock's time.
      add: (n) =>
        times(n, async () => {
          const id = await donorPledge();
          const { sql, now } = at();
          await db.query(
            `UPDATE pledges SET status = 'COOLING_OFF', confirmation_required = true,
                    cooling_off_ends_at = ${sql} WHERE id = $2`,
            [now, id],
          );
        }),
      idOf: (item) => item.pledgeId as string,
    },
    {
      route: 'GET /me/holdings',
      path: () => '/me/holdings',
      token: () => donor.token,
      ids: () =>
        rows(
          `SELECT id FROM holdings h WHERE investor_id = $1
              AND NOT EXISTS (SELECT 1 FROM holdings c WHERE c.corrects_id = h.id)
            ORDER BY issued_at DESC, id DESC`,
          [donor.id],
        ),
      add: (n) =>
        times(n, () => {
          const { sql, now } = at();
          return db.query(
            `INSERT INTO holdings (id, campaign_id, certificate_no, investor_id, units, unit_price, cost,
                    currency, share_class, vehicle, entry, issued_at)
             SELECT gen_random_uuid(), $2, n, $3, 1, 10, 10, 'CNY', 'ORDINARY', 'DIRECT', 'ISSUE', ${sql}
               FROM (SELECT coalesce(max(certificate_no), 0) + 1 AS n FROM holdings
                      WHERE campaign_id = $2) x`,
            [now, campaignId, donor.id],
          );
        }),
      idOf: (item) => item.id as string,
    },
    {
      route: 'GET /me/distributions',
      path: () => '/me/distributions',
      token: () => donor.token,
      ids: () =>
        rows(
          `SELECT distribution_id AS id FROM distribution_payments WHERE investor_id = $1
            ORDER BY paid_at DESC, distribution_id DESC`,
          [donor.id],
        ),
      add: (n) => times(n, () => distribution(true)),
      idOf: (item) => item.distributionId as string,
    },
    {
      route: 'GET /campaigns/:id/distributions',
      path: () => `/campaigns/${campaignId}/distributions`,
      token: () => founder.token,
      ids: () =>
        rows(
          `SELECT id FROM distributions WHERE campaign_id = $1 ORDER BY announced_at DESC, id DESC`,
          [campaignId],
        ),
      add: (n) => times(n, () => distribution(false)),
      idOf: (item) => item.id as string,
    },
    {
      route: 'GET /finance/payouts',
      path: () => '/finance/payouts',
      token: () => finance.token,
      ids: () =>
        rows(`SELECT id FROM payouts WHERE status = 'REQUESTED' ORDER BY requested_at, id`),
      // A payout request on a draft of the founder's (one payout per campaign).
      add: (n) =>
        times(n, async () => {
          const draft = await t.http
            .post('/api/v1/campaigns')
            .set('authorization', `Bearer ${founder.token}`)
            .send(rewardTerms({ title: 'Payout' }))
            .expect(201);
          const { sql, now } = at();
          await db.query(
            `INSERT INTO payouts (id, campaign_id, founder_id, amount, currency, status, requested_at)
             VALUES (gen_random_uuid(), $2, $3, 10, 'CNY', 'REQUESTED', ${sql})`,
            [now, draft.body.id, founder.id],
          );
        }),
      idOf: (item) => item.id as string,
    },
  ];

  describe.each(cases)('$route', (list) => {
    it('a walk by cursor shows every row once, in order, while rows arrive between pages (equal timestamps)', async () => {
      await list.add(5); // the clock stands still: equal timestamps (and 1-2 µs apart)
      t.clock.advanceMs(1000);
      await list.add(3);
      const before = await list.ids();
      expect(before.length).toBeGreaterThanOrEqual(8);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await get(list.path(), list.token(), {
          limit: '3',
          ...(cursor ? { cursor } : {}),
        });
        expect(res.status).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(list.keys ?? ['items', 'nextCursor']);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...(res.body.items as Item[]).map(list.idOf));
        cursor = res.body.nextCursor as string | null;
        if (cursor) issued.set(list.route, cursor);
        await list.add(2); // new rows, at the same instant as the newest ones
        pages++;
      } while (cursor && pages < 50);

      expect(cursor).toBeNull();
      expect(new Set(seen).size).toBe(seen.length); // nothing twice
      expect(seen.filter((id) => before.includes(id))).toEqual(before); // all, in order
      const after = await list.ids();
      expect(seen).toEqual(after.filter((id) => seen.includes(id))); // newcomers in order too
      expect(issued.has(list.route)).toBe(true);
    });
  });

  describe.each(cases)('$route refusals', (list) => {
    // The finance office's read log records every FINANCE request, refusals included (by design:
    // finance-audit.interceptor); it is not a write of the list's.
    const countWrites = async () =>
      (
        await db.query<{ n: string }>(
          `SELECT (SELECT count(*) FROM audit_events WHERE action <> 'finance.request')
                  + (SELECT count(*) FROM notifications)
                  + (SELECT count(*) FROM credit_records) AS n`,
        )
      ).rows[0].n;

    it('a garbage, altered or foreign cursor is 400 VALIDATION_FAILED on `cursor`, and writes nothing', async () => {
      const own = issued.get(list.route) as string;
      const [text, mac] = own.split('.');
      const payload = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
      // A position of the client's making (another id), signed with the old signature.
      const forged = `${Buffer.from(JSON.stringify([...payload.slice(0, 3), randomUUID()])).toString('base64url')}.${mac}`;
      const foreign = [...issued.entries()].find(([route]) => route !== list.route)?.[1] as string;
      const flipped = `${text}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`;
      const before = await countWrites();
      for (const cursor of ['garbage', `${text}.`, text, forged, flipped, foreign, `${own}.x`]) {
        const res = await get(list.path(), list.token(), { cursor });
        expect({ cursor, status: res.status }).toEqual({ cursor, status: 400 });
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
        expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([
          'cursor',
        ]);
      }
      expect(await countWrites()).toBe(before);
      // The genuine cursor still reads.
      expect((await get(list.path(), list.token(), { cursor: own })).status).toBe(200);
    });

    it(`a limit above ${PAGE_MAX} (or below 1, or not a whole number) is refused, not clamped`, async () => {
      for (const limit of [String(PAGE_MAX + 1), '0', '-1', '2.5', 'ten']) {
        const res = await get(list.path(), list.token(), { limit });
        expect({ limit, status: res.status }).toEqual({ limit, status: 400 });
        expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([
          'limit',
        ]);
      }
      const full = await get(list.path(), list.token(), { limit: String(PAGE_MAX) });
      expect(full.status).toBe(200);
      expect((await get(list.path(), list.token())).body.items.length).toBeLessThanOrEqual(50);
    });
  });

  it('GET /finance/loans: the totals are over every loan of the filter, not the page; the CSV holds them all', async () => {
    // The newest loan (last in the book's order) is 10 days overdue: M1, not on page one.
    t.clock.advanceMs(1000);
    await loan(false);
    const [late] = await rows(`SELECT id FROM loans ORDER BY created_at DESC, id DESC LIMIT 1`);
    await db.query(
      `INSERT INTO loan_instalments (loan_id, number, due_date, principal, interest, penalty_through, status)
       VALUES ($1, 1, ($2::timestamptz - interval '10 days')::date, 50, 1,
               ($2::timestamptz - interval '10 days')::date, 'OVERDUE')`,
      [late, t.clock.now()],
    );
    const fin = (query: Record<string, string>) => get('/finance/loans', finance.token, query);
    const one = await fin({ limit: '1', status: 'ACTIVE' });
    const all = await fin({ limit: String(PAGE_MAX), status: 'ACTIVE' });
    expect(one.status).toBe(200);
    expect(one.body.items.map((l: Item) => l.id)).not.toContain(late);
    expect(one.body.nextCursor).toEqual(expect.any(String));
    expect(all.body.items.map((l: Item) => l.id)).toContain(late);
    expect(one.body.M1.loans).toBe(1);
    for (const key of ['outstandingPrincipal', 'M1', 'M2', 'M3_PLUS'])
      expect({ key, value: one.body[key] }).toEqual({ key, value: all.body[key] });
    const [n] = await rows(`SELECT count(*)::text AS id FROM loans WHERE status = 'ACTIVE'`);
    const csv = await t.http
      .get('/api/v1/finance/loans/export.csv?status=ACTIVE')
      .set('authorization', `Bearer ${finance.token}`);
    expect(csv.status).toBe(200);
    expect(csv.text.trim().split('\n')).toHaveLength(Number(n) + 1); // header and every loan
  });
});
