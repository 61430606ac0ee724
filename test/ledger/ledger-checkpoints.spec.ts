import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LedgerVerifierService } from '../../src/modules/escrow-ledger/ledger-verifier.service.js';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../../src/modules/escrow-ledger/ledger.types.js';
import { LedgerAsOfRepository } from '../../src/modules/finance/ledger-as-of.repository.js';
import { cny, fundedAccount, sealEverything } from '../support/ledger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The reads as they were before checkpoints: every transfer up to the moment, summed. */
const SCAN_SUMS = `
  coalesce(sum(amount) FILTER (WHERE is_debit AND status IN ('POSTED', 'POST')), 0)::numeric(20,2)::text AS dp,
  coalesce(sum(amount) FILTER (WHERE NOT is_debit AND status IN ('POSTED', 'POST')), 0)::numeric(20,2)::text AS cp,
  coalesce(sum(CASE status WHEN 'PENDING' THEN amount ELSE -amount END) FILTER (WHERE is_debit AND status <> 'POSTED'), 0)::numeric(20,2)::text AS dq,
  coalesce(sum(CASE status WHEN 'PENDING' THEN amount ELSE -amount END) FILTER (WHERE NOT is_debit AND status <> 'POSTED'), 0)::numeric(20,2)::text AS cq`;

/**
 * Issue 18: balance checkpoints per sealed block make the trial balance `asOf` and a statement's
 * opening balance cost only the transfers after the nearest checkpoint. They must give exactly what
 * summing every transfer gives, at every moment, with created_at out of tx order across blocks and
 * an unsealed tail; and verify recomputes them like the blocks (INV-3).
 */
describe('ledger balance checkpoints (issue 18, INV-3)', () => {
  let t: TestApp;
  const moments: Date[] = [];

  beforeAll(async () => {
    t = await startTestApp({ SEAL_MAX_TRANSFERS: '4' });
    const ledger = t.app.get(LedgerService);
    const sql = await t.db.client();
    const escrow = AccountCodes.campaignEscrow('cp-camp');
    await ledger.openAccount(escrow, 'LIABILITY');
    const wallets: string[] = [];
    for (let i = 0; i < 4; i++) wallets.push(await fundedAccount(t, `cp-${i}`, '500.00'));
    // Writes with created_at moved back and forth (a late commit of an early transaction), sealed
    // in several rounds so blocks mix early and late times; the last round stays unsealed.
    const ids = async (code: string) =>
      (await sql.query<{ id: string }>(`SELECT id FROM ledger_accounts WHERE code = $1`, [code]))
        .rows[0].id;
    const cash = await ids(AccountCodes.custodyCash);
    const base = Date.parse('2026-11-28T02:00:00.000Z');
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 4; i++) {
        const hold = await ledger.hold({
          idempotencyKey: `cp-h-${round}-${i}`,
          kind: 'PLEDGE',
          debitAccount: wallets[i],
          creditAccount: escrow,
          amount: cny(`${round + 1}.${10 + i}`),
        });
        if ((round + i) % 3 === 0) await ledger.post({ pendingId: hold.id });
        else if ((round + i) % 3 === 1) await ledger.void({ pendingId: hold.id });
      }
      for (const skew of [-3_600_000 * (round + 1), 1_000 * round, 7_200_000 * round]) {
        await sql.query(
          `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
           VALUES ($1, 'DEPOSIT', 'POSTED', $2, $3, 3.33, 'CNY', NULL, $4)`,
          [randomUUID(), cash, await ids(wallets[round % 4]), new Date(base + skew)],
        );
      }
      if (round < 3) await sealEverything(t);
    }
    const times = (
      await sql.query<{ at: Date }>(`SELECT DISTINCT created_at AS at FROM ledger_transfers`)
    ).rows.map((r) => r.at.getTime());
    for (const at of new Set([
      ...times,
      ...times.map((x) => x - 1),
      ...times.map((x) => x + 1),
      Math.min(...times) - 86_400_000,
      Math.max(...times) + 1,
    ]))
      moments.push(new Date(at));
  });
  afterAll(() => t.close());

  it('the blocks are checkpointed as they are sealed; the tail is not', async () => {
    const sql = await t.db.client();
    const [r] = (
      await sql.query<{ blocks: number; checkpoints: number; tail: number }>(
        `SELECT (SELECT count(*)::int FROM ledger_blocks) AS blocks,
                (SELECT count(*)::int FROM ledger_block_checkpoints) AS checkpoints,
                (SELECT count(*)::int FROM ledger_transfers WHERE tx_id >= (SELECT max(to_tx_id) FROM ledger_blocks)) AS tail`,
      )
    ).rows;
    expect(r.blocks).toBeGreaterThanOrEqual(6);
    expect(r.checkpoints).toBe(r.blocks);
    expect(r.tail).toBeGreaterThan(0);
  });

  it('the trial balance as of every moment equals the sum of every transfer up to it', async () => {
    const asOf = t.app.get(LedgerAsOfRepository);
    const sql = await t.db.client();
    expect(moments.length).toBeGreaterThan(20);
    for (const at of moments) {
      const scanned = (
        await sql.query(
          `WITH sides AS (
             SELECT debit_account_id AS account_id, true AS is_debit, status, amount FROM ledger_transfers WHERE created_at <= $1
             UNION ALL SELECT credit_account_id, false, status, amount FROM ledger_transfers WHERE created_at <= $1
           ), sums AS (SELECT account_id, ${SCAN_SUMS} FROM sides GROUP BY account_id)
           SELECT a.code, coalesce(s.dp, '0.00') AS dp, coalesce(s.cp, '0.00') AS cp,
                  coalesce(s.dq, '0.00') AS dq, coalesce(s.cq, '0.00') AS cq
           FROM ledger_accounts a LEFT JOIN sums s ON s.account_id = a.id
           WHERE a.created_at <= $1 OR s.account_id IS NOT NULL ORDER BY a.code`,
          [at],
        )
      ).rows.map((r: Record<string, string>) => [r.code, r.dp, r.cp, r.dq, r.cq]);
      const checkpointed = (await asOf.accountsAsOf(at)).map((a) => [
        a.code,
        a.debitsPosted,
        a.creditsPosted,
        a.debitsPending,
        a.creditsPending,
      ]);
      expect([at.toISOString(), checkpointed]).toEqual([at.toISOString(), scanned]);
    }
  });

  it("each account's opening balance before every moment equals the sum of its earlier transfers", async () => {
    const asOf = t.app.get(LedgerAsOfRepository);
    const sql = await t.db.client();
    const accounts = (
      await sql.query<{ id: string; code: string }>(`SELECT id, code FROM ledger_accounts`)
    ).rows;
    const [{ horizon }] = (
      await sql.query<{ horizon: string }>(
        `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon`,
      )
    ).rows;
    for (const account of accounts) {
      for (const from of moments) {
        const [scanned] = (
          await sql.query<Record<string, string>>(
            `WITH sides AS (
               SELECT true AS is_debit, status, amount FROM ledger_transfers
               WHERE debit_account_id = $1 AND tx_id < $2::xid8 AND created_at < $3
               UNION ALL SELECT false, status, amount FROM ledger_transfers
               WHERE credit_account_id = $1 AND tx_id < $2::xid8 AND created_at < $3
             ) SELECT ${SCAN_SUMS} FROM sides`,
            [account.id, horizon, from],
          )
        ).rows;
        const opening = await asOf.openingCounters({
          accountId: account.id,
          horizon,
          from,
          to: null,
        });
        expect([account.code, from.toISOString(), opening]).toEqual([
          account.code,
          from.toISOString(),
          {
            debitsPosted: scanned.dp,
            creditsPosted: scanned.cp,
            debitsPending: scanned.dq,
            creditsPending: scanned.cq,
          },
        ]);
      }
    }
  });

  it('verify recomputes the checkpoints: an altered one is named with its block and account', async () => {
    const verifier = t.app.get(LedgerVerifierService);
    await sealEverything(t);
    expect((await verifier.verify()).problems).toEqual([]);
    const sql = await t.db.client();
    const [victim] = (
      await sql.query<{ height: string; account_id: string; code: string }>(
        `SELECT k.height::text AS height, k.account_id, a.code FROM ledger_account_checkpoints k
         JOIN ledger_accounts a ON a.id = k.account_id ORDER BY k.height LIMIT 1`,
      )
    ).rows;
    await sql.query(`SET session_replication_role = replica`); // a superuser bypassing the triggers
    await sql.query(
      `UPDATE ledger_account_checkpoints SET credits_posted = credits_posted + 1
       WHERE height = $1 AND account_id = $2`,
      [victim.height, victim.account_id],
    );
    await sql.query(`SET session_replication_role = DEFAULT`);
    const report = await verifier.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          invariant: 'INV-3',
          code: 'CHECKPOINT_MISMATCH',
          block: Number(victim.height),
          account: victim.code,
          field: 'creditsPosted',
        }),
      ]),
    );
  });

  it("verify recomputes a block's time bounds and pending sums from its transfers (issue 18: one scan)", async () => {
    const verifier = t.app.get(LedgerVerifierService);
    await sealEverything(t);
    const sql = await t.db.client();
    const [block] = (
      await sql.query<{ height: string }>(
        `SELECT height::text AS height FROM ledger_block_checkpoints ORDER BY height DESC LIMIT 1`,
      )
    ).rows;
    const [pending] = (
      await sql.query<{ height: string; account_id: string; code: string }>(
        `SELECT k.height::text AS height, k.account_id, a.code FROM ledger_account_checkpoints k
         JOIN ledger_accounts a ON a.id = k.account_id WHERE k.debits_pending > 0
         ORDER BY k.height LIMIT 1`,
      )
    ).rows;
    expect(pending).toBeDefined(); // the file's ledger holds funds, so a checkpoint has some
    await sql.query(`SET session_replication_role = replica`);
    try {
      await sql.query(
        `UPDATE ledger_block_checkpoints SET max_created_at = max_created_at + interval '1 ms'
         WHERE height = $1`,
        [block.height],
      );
      await sql.query(
        `UPDATE ledger_account_checkpoints SET debits_pending = debits_pending - 0.01
         WHERE height = $1 AND account_id = $2`,
        [pending.height, pending.account_id],
      );
      const report = await verifier.verify();
      expect(report.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            code: 'CHECKPOINT_MISMATCH',
            block: Number(block.height),
            account: null,
            field: 'createdAtBounds',
          }),
          expect.objectContaining({
            code: 'CHECKPOINT_MISMATCH',
            block: Number(pending.height),
            account: pending.code,
            field: 'debitsPending',
          }),
        ]),
      );
    } finally {
      await sql.query(
        `UPDATE ledger_block_checkpoints SET max_created_at = max_created_at - interval '1 ms'
         WHERE height = $1`,
        [block.height],
      );
      await sql.query(
        `UPDATE ledger_account_checkpoints SET debits_pending = debits_pending + 0.01
         WHERE height = $1 AND account_id = $2`,
        [pending.height, pending.account_id],
      );
      await sql.query(`SET session_replication_role = DEFAULT`);
    }
  });

  it('checkpoints are append-only', async () => {
    const sql = await t.db.client();
    await expect(sql.query(`DELETE FROM ledger_account_checkpoints`)).rejects.toThrow();
    await expect(
      sql.query(`UPDATE ledger_block_checkpoints SET accounts_touched = 0`),
    ).rejects.toThrow();
    await expect(sql.query(`TRUNCATE ledger_block_checkpoints CASCADE`)).rejects.toThrow();
  });
});
