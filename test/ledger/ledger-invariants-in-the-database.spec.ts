import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../../src/modules/escrow-ledger/ledger.types.js';
import { cny, counters, fundedAccount, sealEverything } from '../support/ledger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The database itself refuses to break the money invariants, even when the application is
 * bypassed: every statement here is raw SQL, as a buggy service or a careless operator would run it.
 */
describe('ledger invariants enforced by Postgres (INV-1, INV-2, INV-5, INV-6)', () => {
  let t: TestApp;
  let sql: pg.Client;
  let alice: string;
  let aliceId: string;
  let escrowId: string;
  let custodyId: string;
  let holdId: string;

  const insert = (values: {
    id?: string;
    status: string;
    debit: string;
    credit: string;
    amount: string;
    currency?: string;
    pendingId?: string | null;
  }) =>
    sql.query(
      `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, pending_id, created_at)
       VALUES ($1, 'ADJUSTMENT', $2, $3, $4, $5, $6, $7, now())`,
      [
        values.id ?? randomUUID(),
        values.status,
        values.debit,
        values.credit,
        values.amount,
        values.currency ?? 'CNY',
        values.pendingId ?? null,
      ],
    );

  beforeAll(async () => {
    t = await startTestApp();
    sql = await t.db.client();
    alice = await fundedAccount(t, 'alice', '100.00');
    const ledger = t.app.get(LedgerService);
    await ledger.openAccount(AccountCodes.campaignEscrow('c1'), 'LIABILITY');
    const ids = await sql.query<{ code: string; id: string }>(
      `SELECT code, id FROM ledger_accounts`,
    );
    const idOf = (code: string) => ids.rows.find((r) => r.code === code)!.id;
    aliceId = idOf(alice);
    escrowId = idOf(AccountCodes.campaignEscrow('c1'));
    custodyId = idOf(AccountCodes.custodyCash);
    holdId = (
      await ledger.hold({
        idempotencyKey: 'hold-1',
        kind: 'PLEDGE',
        debitAccount: alice,
        creditAccount: AccountCodes.campaignEscrow('c1'),
        amount: cny('30.00'),
      })
    ).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('INV-2: UPDATE, DELETE and TRUNCATE of transfers are refused', async () => {
    await expect(
      sql.query(`UPDATE ledger_transfers SET amount = 1 WHERE id = $1`, [holdId]),
    ).rejects.toThrow(/append-only/);
    await expect(sql.query(`DELETE FROM ledger_transfers WHERE id = $1`, [holdId])).rejects.toThrow(
      /append-only/,
    );
    await expect(sql.query(`TRUNCATE ledger_transfers CASCADE`)).rejects.toThrow(/append-only/);
  });

  it('INV-2: sealed blocks cannot be changed or removed', async () => {
    await sealEverything(t);
    expect((await sql.query('SELECT 1 FROM ledger_blocks')).rowCount).toBeGreaterThan(0);
    await expect(sql.query(`UPDATE ledger_blocks SET hash = repeat('0', 64)`)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql.query(`DELETE FROM ledger_blocks`)).rejects.toThrow(/append-only/);
  });

  it('INV-3: account counters cannot be set directly, accounts cannot be deleted', async () => {
    await expect(
      sql.query(`UPDATE ledger_accounts SET credits_posted = 1000000 WHERE id = $1`, [aliceId]),
    ).rejects.toThrow(/only through transfers/);
    // Refused per statement (issue 18: a statement trigger), whichever rows it would touch.
    await expect(
      sql.query(`UPDATE ledger_accounts SET debits_pending = debits_pending WHERE false`),
    ).rejects.toThrow(/only through transfers/);
    await expect(sql.query(`DELETE FROM ledger_accounts WHERE id = $1`, [aliceId])).rejects.toThrow(
      /append-only/,
    );
  });

  it("INV-3: an account's identity cannot change, even from inside a trigger", async () => {
    // A trigger's UPDATE passes the statement check (as the transfers' trigger does); the row
    // check then refuses a new code, kind or currency, and lets the counters' own update through.
    await sql.query('BEGIN');
    try {
      await sql.query(`CREATE TEMP TABLE account_edits (statement text) ON COMMIT DROP`);
      await sql.query(`
        CREATE FUNCTION pg_temp.apply_account_edit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN EXECUTE NEW.statement; RETURN NULL; END $$`);
      await sql.query(`
        CREATE TRIGGER account_edits_apply AFTER INSERT ON account_edits
        FOR EACH ROW EXECUTE FUNCTION pg_temp.apply_account_edit()`);
      const edit = (statement: string) =>
        sql.query(`INSERT INTO account_edits VALUES ($1)`, [
          statement.replace('$id', `'${aliceId}'`),
        ]);
      await edit(`UPDATE ledger_accounts SET code = code, kind = kind WHERE id = $id`);
      for (const change of [`code = 'investor:mallory'`, `kind = 'REVENUE'`, `currency = 'USD'`]) {
        await sql.query('SAVEPOINT edit');
        await expect(edit(`UPDATE ledger_accounts SET ${change} WHERE id = $id`)).rejects.toThrow(
          /identity is immutable/,
        );
        await sql.query('ROLLBACK TO SAVEPOINT edit');
      }
    } finally {
      await sql.query('ROLLBACK');
    }
    const row = await sql.query(`SELECT code, kind, currency FROM ledger_accounts WHERE id = $1`, [
      aliceId,
    ]);
    expect(row.rows[0]).toEqual({ code: alice, kind: 'LIABILITY', currency: 'CNY' });
  });

  it('INV-5: an overdraft fails even when the application check is bypassed', async () => {
    // alice: 100.00 deposited, 30.00 held -> 70.00 available.
    await expect(
      insert({ status: 'PENDING', debit: aliceId, credit: escrowId, amount: '70.01' }),
    ).rejects.toThrow(/ledger_accounts_no_overdraft_check/);
    await expect(
      insert({ status: 'POSTED', debit: aliceId, credit: custodyId, amount: '70.01' }),
    ).rejects.toThrow(/ledger_accounts_no_overdraft_check/);
    // Custody cash (an asset) cannot pay out more than it holds either.
    await expect(
      insert({ status: 'POSTED', debit: escrowId, credit: custodyId, amount: '0.01' }),
    ).rejects.toThrow(/ledger_accounts_no_overdraft_check/);
    expect(await counters(t, alice)).toEqual({
      debits_posted: '0.00',
      credits_posted: '100.00',
      debits_pending: '30.00',
      credits_pending: '0.00',
    });
    await insert({ status: 'PENDING', debit: aliceId, credit: escrowId, amount: '70.00' }); // exactly fits
  });

  it('INV-1: amount > 0, two different accounts, one currency', async () => {
    await expect(
      insert({ status: 'POSTED', debit: custodyId, credit: aliceId, amount: '0.00' }),
    ).rejects.toThrow(/ledger_transfers_amount_check/);
    await expect(
      insert({ status: 'POSTED', debit: custodyId, credit: aliceId, amount: '-5.00' }),
    ).rejects.toThrow(/ledger_transfers_amount_check/);
    await expect(
      insert({ status: 'POSTED', debit: aliceId, credit: aliceId, amount: '1.00' }),
    ).rejects.toThrow(/ledger_transfers_accounts_differ_check/);
    await expect(
      insert({
        status: 'POSTED',
        debit: custodyId,
        credit: aliceId,
        amount: '1.00',
        currency: 'USD',
      }),
    ).rejects.toThrow(/ledger_transfers_debit_fkey/);
  });

  it('INV-1: both accounts exist in the transfer currency, checked once per statement (issue 18)', async () => {
    const before = await counters(t, alice);
    const fail = (run: Promise<unknown>) =>
      run.then(
        () => {
          throw new Error('the insert was accepted');
        },
        (error: { code?: string; constraint?: string }) => ({
          code: error.code,
          constraint: error.constraint,
        }),
      );
    // A credit account that does not exist, and one in another currency.
    expect(
      await fail(
        insert({ status: 'POSTED', debit: aliceId, credit: randomUUID(), amount: '1.00' }),
      ),
    ).toEqual({ code: '23503', constraint: 'ledger_transfers_credit_fkey' });
    const usd = (
      await sql.query<{ id: string }>(
        `INSERT INTO ledger_accounts (id, code, kind, currency, created_at)
         VALUES (gen_random_uuid(), 'invariants:usd', 'LIABILITY', 'USD', now()) RETURNING id`,
      )
    ).rows[0].id;
    expect(
      await fail(insert({ status: 'PENDING', debit: aliceId, credit: usd, amount: '1.00' })),
    ).toEqual({ code: '23503', constraint: 'ledger_transfers_credit_fkey' });
    // One bad row among good ones refuses the whole statement; nothing moves.
    await expect(
      sql.query(
        `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, created_at)
         VALUES (gen_random_uuid(), 'ADJUSTMENT', 'PENDING', $1, $2, 1, 'CNY', now()),
                (gen_random_uuid(), 'ADJUSTMENT', 'PENDING', $3, $2, 1, 'CNY', now())`,
        [aliceId, escrowId, randomUUID()],
      ),
    ).rejects.toThrow(/ledger_transfers_debit_fkey/);
    expect(await counters(t, alice)).toEqual(before);
  });

  it('INV-6: a hold is posted or voided at most once, and only a real hold with the same terms', async () => {
    await insert({
      status: 'POST',
      debit: aliceId,
      credit: escrowId,
      amount: '30.00',
      pendingId: holdId,
    });
    await expect(
      insert({
        status: 'POST',
        debit: aliceId,
        credit: escrowId,
        amount: '30.00',
        pendingId: holdId,
      }),
    ).rejects.toThrow(/ledger_transfers_pending_id_key/);
    await expect(
      insert({
        status: 'VOID',
        debit: aliceId,
        credit: escrowId,
        amount: '30.00',
        pendingId: holdId,
      }),
    ).rejects.toThrow(/ledger_transfers_pending_id_key/);

    const posted = await sql.query<{ id: string }>(
      `SELECT id FROM ledger_transfers WHERE status = 'POSTED' LIMIT 1`,
    );
    await expect(
      insert({
        status: 'VOID',
        debit: custodyId,
        credit: aliceId,
        amount: '100.00',
        pendingId: posted.rows[0].id,
      }),
    ).rejects.toThrow(/does not resolve a matching pending transfer/);

    const other = await t.app.get(LedgerService).hold({
      idempotencyKey: 'hold-2',
      kind: 'WITHDRAWAL',
      debitAccount: AccountCodes.campaignEscrow('c1'),
      creditAccount: AccountCodes.custodyCash,
      amount: cny('10.00'),
    });
    await expect(
      insert({
        status: 'POST',
        debit: escrowId,
        credit: custodyId,
        amount: '10.01',
        pendingId: other.id,
      }),
    ).rejects.toThrow(/does not resolve a matching pending transfer/);

    // A resolution of a hold that does not exist: the ledger's statement trigger refuses it (there
    // is no foreign key on pending_id since migration 1765990000000; holds are append-only, so one
    // that existed never goes away).
    await expect(
      insert({
        status: 'POST',
        debit: aliceId,
        credit: escrowId,
        amount: '1.00',
        pendingId: randomUUID(),
      }),
    ).rejects.toThrow(/does not resolve a matching pending transfer/);
    await expect(
      sql.query(`DELETE FROM ledger_transfers WHERE id = $1`, [other.id]),
    ).rejects.toThrow();
  });
});
