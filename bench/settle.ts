import { createHmac, randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type pg from 'pg';
import { Money } from '../src/common/money/money.js';
import type { AppConfig } from '../src/config/app-config.js';
import { TransactionRunner } from '../src/database/transaction.js';
import { LedgerService } from '../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../src/modules/escrow-ledger/ledger.types.js';
import { addMonths, utcDate } from '../src/modules/lending/loan-dates.js';
import { computeSchedule, splitSchedule } from '../src/modules/lending/loan-schedule.js';
import { LoansRepository } from '../src/modules/lending/loans.repository.js';
import { EmailDispatcher } from '../src/modules/notifications/email-dispatcher.service.js';
import { SettlementService } from '../src/modules/settlement/settlement.service.js';
import { type Call, LOAN_TERMS } from './pledge-setup.js';
import { timeOrderedUuidSql, transferIdSql } from './ids-sql.js';
import { pledgeEvidenceSql } from './pledge-history.js';
import { statementStats } from './statement-stats.js';

/**
 * Settling a campaign of `pledges` ACTIVE pledges (1.00 each, spread over the bench's investors,
 * seeded in SQL with their holds, their ids made as the application makes them) past its deadline: one `SettlementService.runOnce()`, timed.
 * The campaign is a DEBT one with loan terms, so settling it also originates its loan.
 */
export async function timeSettlement(
  app: NestFastifyApplication,
  pool: pg.Pool,
  call: Call,
  founder: string,
  terms: Record<string, unknown>,
  pledges: number,
): Promise<{
  pledges: number;
  milliseconds: number;
  campaignStatus: string;
  report: unknown;
  walMiB: number;
  checkpoints: number;
  buffers: SettleBuffers;
  wal: SettleWal;
}> {
  // Its target is met (all or nothing: a missed target would refund instead of settling).
  const target = `${Math.max(1, Math.min(pledges, 1000))}.00`;
  const campaign = (
    await call('POST', '/campaigns', founder, { ...terms, title: 'Settle', targetAmount: target })
  ).id as string;
  await call('PUT', `/campaigns/${campaign}/loan-terms`, founder, LOAN_TERMS);
  const escrow = AccountCodes.campaignEscrow(campaign);
  await app.get(LedgerService).openAccount(escrow, 'LIABILITY');
  const investors = Number(
    (
      await pool.query<{ n: string }>(
        `WITH investors AS (
           SELECT u.id AS user_id, a.id AS account, row_number() OVER () AS rn FROM users u
           JOIN ledger_accounts a ON a.code = 'investor:' || u.id || ':available'
           WHERE u.role = 'INVESTOR' AND u.email LIKE 'inv-%'),
         picks AS (
           SELECT g, (SELECT count(*) FROM investors) AS total, ${timeOrderedUuidSql('clock_timestamp()')} AS pledge_id
             FROM generate_series(1, $3) g),
         holds AS (
           INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
           SELECT ${transferIdSql(`'pledge:' || p.pledge_id`)}, 'PLEDGE', 'PENDING', i.account,
                  (SELECT id FROM ledger_accounts WHERE code = $2), 1, 'CNY', 'pledge:' || p.pledge_id, now()
           FROM picks p JOIN investors i ON i.rn = 1 + (p.g % p.total)
           RETURNING id, reference, debit_account_id),
         pledged AS (
           INSERT INTO pledges (id, campaign_id, investor_id, amount, currency, status, hold_transfer_id, confirmation_required, created_at, updated_at, financial)
           SELECT substr(h.reference, 8)::uuid, $1, i.user_id, 1, 'CNY', 'ACTIVE', h.id, false,
                  now(), now(), true
             FROM holds h JOIN investors i ON i.account = h.debit_account_id
           RETURNING id, investor_id),
         evidenced AS (
           INSERT INTO pledge_evidence (pledge_id, evidence)
           SELECT id, ${pledgeEvidenceSql('now()')} FROM pledged)
         SELECT count(DISTINCT investor_id) AS n FROM pledged`,
        [campaign, escrow, pledges],
      )
    ).rows[0].n,
  );
  await pool.query(
    `UPDATE campaigns SET status = 'LIVE', risk_rating = 'R1', committed = $2, investor_count = $3,
       deadline = now() - interval '1 second' WHERE id = $1`,
    [campaign, pledges, investors],
  );
  await pool.query('VACUUM ANALYZE');
  const stats = await statementStats(pool); // BENCH_PG_STAT_STATEMENTS=1: where its time goes
  const before = await walAndBuffers(pool);
  const t0 = performance.now();
  const report = await stats.around('settle', () => app.get(SettlementService).runOnce());
  const milliseconds = Math.round(performance.now() - t0);
  const after = await walAndBuffers(pool);
  const [row] = (await pool.query(`SELECT status FROM campaigns WHERE id = $1`, [campaign]))
    .rows as { status: string }[];
  return {
    pledges,
    milliseconds,
    campaignStatus: row.status,
    report,
    // What the settle wrote to the WAL, the checkpoints that began while it ran, and its buffers.
    walMiB: Number(((after.lsn - before.lsn) / 2 ** 20).toFixed(1)),
    checkpoints: after.checkpoints - before.checkpoints,
    buffers: {
      allocated: after.allocated - before.allocated,
      writtenByBackends: after.writtenByBackends - before.writtenByBackends,
      writtenByCheckpointer: after.writtenByCheckpointer - before.writtenByCheckpointer,
      writtenByBgwriter: after.writtenByBgwriter - before.writtenByBgwriter,
    },
    wal: {
      writes: after.walWrites - before.walWrites,
      syncs: after.walSyncs - before.walSyncs,
      buffersFull: after.walBuffersFull - before.walBuffersFull,
      fullPageImages: after.walFpi - before.walFpi,
    },
    ...(stats.byRun.settle ? { statements: stats.byRun.settle } : {}),
  };
}

/**
 * Where the settle's pages went (8 KiB each): buffers of Postgres's shared buffers (128 MB by
 * default) allocated to pages read or added, and pages written out, by the backends themselves (to
 * make room for another), by the checkpointer or by the background writer (`pg_stat_bgwriter`).
 */
export interface SettleBuffers {
  allocated: number;
  writtenByBackends: number;
  writtenByCheckpointer: number;
  writtenByBgwriter: number;
}

/**
 * The settle's WAL traffic (`pg_stat_wal`, server-wide): writes of WAL to the kernel, flushes of it
 * to disk (a commit's, or a backend's that had to evict a page newer than the flushed WAL), writes
 * forced because the WAL buffers (`wal_buffers`) were full, and full-page images.
 */
export interface SettleWal {
  writes: number;
  syncs: number;
  buffersFull: number;
  fullPageImages: number;
}

type WalCounters = { walWrites: number; walSyncs: number; walBuffersFull: number; walFpi: number };

/** The server's WAL position and counters, checkpoints begun and buffer counters, now. */
async function walAndBuffers(
  pool: pg.Pool,
): Promise<SettleBuffers & WalCounters & { lsn: number; checkpoints: number }> {
  const { rows } = await pool.query<
    Record<keyof SettleBuffers | keyof WalCounters | 'lsn' | 'checkpoints', string>
  >(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS lsn,
            (checkpoints_timed + checkpoints_req)::text AS checkpoints,
            buffers_alloc::text AS allocated, buffers_backend::text AS "writtenByBackends",
            buffers_checkpoint::text AS "writtenByCheckpointer", buffers_clean::text AS "writtenByBgwriter",
            w.wal_write::text AS "walWrites", w.wal_sync::text AS "walSyncs",
            w.wal_buffers_full::text AS "walBuffersFull", w.wal_fpi::text AS "walFpi"
       FROM pg_stat_bgwriter, pg_stat_wal w`,
  );
  const r = rows[0];
  return {
    walWrites: Number(r.walWrites),
    walSyncs: Number(r.walSyncs),
    walBuffersFull: Number(r.walBuffersFull),
    walFpi: Number(r.walFpi),
    lsn: Number(r.lsn),
    checkpoints: Number(r.checkpoints),
    allocated: Number(r.allocated),
    writtenByBackends: Number(r.writtenByBackends),
    writtenByCheckpointer: Number(r.writtenByCheckpointer),
    writtenByBgwriter: Number(r.writtenByBgwriter),
  };
}

/**
 * One repayment of a loan with `lenders` lenders (issue 14): the loan is seeded straight into the
 * lending tables as origination writes it (as test/support/lending.ts `seedLoan` does), its first
 * instalment due today; then a signed custody REPAYMENT notice for that instalment goes through
 * the in-process app's route, which applies it and pays every lender their share in one ledger
 * batch. Timed from the request to its answer.
 */
export async function timeRepayment(
  app: NestFastifyApplication,
  config: AppConfig,
  pool: pg.Pool,
  call: Call,
  founder: string,
  founderId: string,
  terms: Record<string, unknown>,
  lenders: number,
): Promise<{ lenders: number; milliseconds: number; status: number; payouts: number }> {
  const campaign = (await call('POST', '/campaigns', founder, { ...terms, title: 'Loan' }))
    .id as string;
  let seed = 7;
  const claims = Array.from({ length: lenders }, () => {
    seed = (seed * 48271) % 2147483647;
    return { id: randomUUID(), claim: Money.fromFen(BigInt(100 + (seed % 900_000)), 'CNY') };
  });
  await pool.query(
    `INSERT INTO users (id, email, password_hash, role, kind, created_at)
     SELECT id, id::text || '@lenders.bench.example', 'not-a-hash', 'INVESTOR', 'PERSON', now()
       FROM unnest($1::uuid[]) AS u(id)`,
    [claims.map((l) => l.id)],
  );
  const ledger = app.get(LedgerService);
  const today = utcDate(new Date());
  // The first instalment falls due today (or, at a month's end, a day or two ago: within grace).
  const startDate = addMonths(today, -1);
  const annualRate = '0.0975';
  const termMonths = 7;
  const method = 'EQUAL_PRINCIPAL';
  const principal = Money.sum(
    claims.map((l) => l.claim),
    'CNY',
  );
  const schedule = computeSchedule({ principal, annualRate, termMonths, method });
  const shares = splitSchedule(
    schedule,
    claims.map((l) => l.claim),
  );
  const loanId = randomUUID();
  for (const l of claims)
    await ledger.openAccount(AccountCodes.investorAvailable(l.id), 'LIABILITY');
  await ledger.openAccount(AccountCodes.loanRepayment(loanId), 'LIABILITY');
  const now = new Date();
  await app.get(TransactionRunner).run((tx) =>
    app.get(LoansRepository).insertLoan(
      {
        id: loanId,
        campaignId: campaign,
        borrowerId: founderId,
        currency: 'CNY',
        principal: principal.toString(),
        annualRate,
        termMonths,
        method,
        graceDays: 3,
        penaltyAnnualRate: '0.1800',
        dayCountBasis: 365,
        serviceFeeRate: '0.1000',
        earlyRepaymentFeeRate: '0.0100',
        defaultAfterDays: 90,
        status: 'ACTIVE',
        startDate,
        borrowerCredit: '0.00',
        overdueRecordedAt: null,
        createdAt: now,
        closedAt: null,
      },
      claims.map((l) => ({ lenderId: l.id, principal: l.claim.toString(), interest: '0.00' })),
      schedule.map((i) => ({
        loanId,
        number: i.number,
        dueDate: addMonths(startDate, i.number),
        principal: i.principal.toString(),
        interest: i.interest.toString(),
        interestWaived: '0.00',
        penalty: '0.00',
        principalPaid: '0.00',
        interestPaid: '0.00',
        penaltyPaid: '0.00',
        penaltyThrough: addMonths(startDate, i.number),
        status: 'SCHEDULED',
        overdueSince: null,
        paidAt: null,
      })),
      shares.flatMap((row, k) =>
        row.map((s, i) => ({
          number: k + 1,
          lenderId: claims[i].id,
          principal: s.principal.toString(),
          interest: s.interest.toString(),
        })),
      ),
      tx,
    ),
  );
  const first = schedule[0];
  const raw = JSON.stringify({
    type: 'REPAYMENT',
    bankReference: `rep-${randomUUID()}`,
    loanId,
    amount: first.principal.plus(first.interest).toString(),
    currency: 'CNY',
    occurredAt: new Date().toISOString(),
  });
  const signature = createHmac('sha256', config.ledger.custodyWebhookSecret)
    .update(raw)
    .digest('hex');
  const t0 = performance.now();
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/custody/notifications',
    headers: { 'content-type': 'application/json', 'x-custody-signature': `sha256=${signature}` },
    payload: raw,
  });
  const milliseconds = Math.round(performance.now() - t0);
  if (res.statusCode !== 200) throw new Error(`repayment: ${res.statusCode} ${res.body}`);
  const payouts = Number(
    (
      await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM ledger_transfers t JOIN ledger_accounts d ON d.id = t.debit_account_id
         WHERE d.code = $1`,
        [AccountCodes.loanRepayment(loanId)],
      )
    ).rows[0].n,
  );
  return { lenders, milliseconds, status: res.statusCode, payouts };
}

/**
 * Sends every e-mail the runs left in the outbox (one per pledge, references included) through the
 * in-process app's dispatcher, as its background job would, timed: e-mails per second.
 */
export async function drainEmails(
  app: NestFastifyApplication,
): Promise<{ emails: number; seconds: number; perSecond: number }> {
  const dispatcher = app.get(EmailDispatcher);
  const t0 = performance.now();
  let emails = 0;
  for (;;) {
    const report = await dispatcher.runOnce();
    const handled = report.sent + report.failed + report.skipped;
    emails += report.sent;
    if (handled === 0) break;
  }
  const seconds = Number(((performance.now() - t0) / 1000).toFixed(2));
  return { emails, seconds, perSecond: Math.round(emails / Math.max(seconds, 0.001)) };
}
