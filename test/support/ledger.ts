import { Money } from '../../src/common/money/money.js';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../../src/modules/escrow-ledger/ledger.types.js';
import { SealerService } from '../../src/modules/escrow-ledger/sealer.service.js';
import type { TestApp } from './test-app.js';
import { staffToken } from './users.js';

export const cny = (amount: string): Money => Money.parse(amount, 'CNY', { allowZero: true });

/** Opens an investor-style wallet account (LIABILITY) and deposits into it from custody. */
export async function fundedAccount(t: TestApp, name: string, deposit: string): Promise<string> {
  const ledger = t.app.get(LedgerService);
  const code = AccountCodes.investorAvailable(name);
  await ledger.openAccount(code, 'LIABILITY');
  if (deposit !== '0.00') {
    await ledger.transfer({
      idempotencyKey: `test-deposit:${name}`,
      kind: 'DEPOSIT',
      debitAccount: AccountCodes.custodyCash,
      creditAccount: code,
      amount: cny(deposit),
    });
  }
  return code;
}

export interface Counters {
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
}

export async function counters(t: TestApp, code: string): Promise<Counters> {
  const c = await t.db.client();
  const r = await c.query<Counters>(
    `SELECT debits_posted::text, credits_posted::text, debits_pending::text, credits_pending::text
     FROM ledger_accounts WHERE code = $1`,
    [code],
  );
  return r.rows[0];
}

/**
 * Seals until every transfer is in a block. The commit horizon is cluster-wide, so a long
 * transaction in another test's database can hold sealing back for a moment: poll, do not assume.
 */
export async function sealEverything(t: TestApp, timeoutMs = 20_000): Promise<void> {
  const sealer = t.app.get(SealerService);
  const sql = await t.db.client();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await sealer.sealAll();
    const r = await sql.query<{ unsealed: string }>(
      `SELECT count(*)::text AS unsealed FROM ledger_transfers
       WHERE tx_id >= coalesce((SELECT to_tx_id FROM ledger_blocks ORDER BY height DESC LIMIT 1), '1'::xid8)`,
    );
    if (r.rows[0].unsealed === '0') return;
    if (Date.now() > deadline) throw new Error(`${r.rows[0].unsealed} transfers still unsealed`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The finance office's view after a concurrent run: the trial balance balances (INV-4, posted
 * and pending) and the invariant monitor finds nothing (INV-3 counters, INV-5, INV-7, INV-8
 * escrow = live pledges, INV-11, INV-12). Returns the problems so a failure names them.
 */
export async function ledgerProblems(t: TestApp): Promise<unknown[]> {
  const finance = await staffToken(t, 'FINANCE');
  const get = (path: string) =>
    t.http.get(`/api/v1/finance/${path}`).set('authorization', `Bearer ${finance.token}`);
  const [balance, verify] = await Promise.all([get('trial-balance'), get('verify')]);
  const problems: unknown[] = [...((verify.body.problems as unknown[] | undefined) ?? [])];
  if (balance.body.balanced !== true) problems.push({ trialBalance: balance.body.totals });
  if (verify.body.ok !== true && problems.length === 0) problems.push(verify.body);
  return problems;
}
