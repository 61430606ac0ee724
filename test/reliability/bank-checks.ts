import type pg from 'pg';
import { fen, yuan } from './http-client.js';

const LIVE = `('COOLING_OFF', 'AWAITING_CONFIRMATION', 'ACTIVE', 'AWAITING_RECONFIRMATION')`;

/** What the clients did and what the service answered (the last answer of each request). */
export interface History {
  deposits: Map<
    string,
    { bankReference: string; userId: string; amount: string; status: number; transferId?: string }
  >;
  pledges: Map<
    string,
    { investorId: string; campaignId: string; amount: string; status: number; pledgeId?: string }
  >;
  cancels: Map<string, { pledgeId: string; status: number }>;
  withdrawals: Map<string, { userId: string; amount: string; status: number; id?: string }>;
  notices: Map<
    string,
    { bankReference: string; type: string; transferId: string; amount: string; status: number }
  >;
  payouts: { id: string; campaignId: string; amount: string; holdTransferId: string }[];
  /** Answers that contradicted each other while the load ran (a replay that differed, ...). */
  inconsistencies: string[];
  seedDepositsFen: bigint;
}

const is2xx = (status: number) => status >= 200 && status < 300;

/**
 * Every invariant of DESIGN §5 recomputed in SQL of its own (not through the verifier), and the
 * client's record held against the database: each acknowledged request applied exactly once, and
 * custody cash = deposits acknowledged - settled withdrawals - settled payouts.
 */
export async function checkInvariants(sql: pg.Client, h: History): Promise<string[]> {
  const violations: string[] = [];
  const rows = async (label: string, text: string, params: unknown[] = []) => {
    const r = await sql.query(text, params);
    for (const row of r.rows) violations.push(`${label}: ${JSON.stringify(row)}`);
  };

  // INV-1
  await rows(
    'INV-1 transfer amount/accounts/currency',
    `SELECT t.id FROM ledger_transfers t
       JOIN ledger_accounts d ON d.id = t.debit_account_id JOIN ledger_accounts c ON c.id = t.credit_account_id
     WHERE t.amount <= 0 OR t.debit_account_id = t.credit_account_id OR t.currency <> d.currency OR t.currency <> c.currency`,
  );
  // INV-2: try to break it
  for (const attempt of [
    `UPDATE ledger_transfers SET amount = amount + 1 WHERE seq = (SELECT min(seq) FROM ledger_transfers)`,
    `DELETE FROM ledger_transfers WHERE seq = (SELECT max(seq) FROM ledger_transfers)`,
    `UPDATE ledger_blocks SET hash = prev_hash WHERE height = 1`,
  ]) {
    await sql.query('BEGIN');
    try {
      const r = await sql.query(attempt);
      if ((r.rowCount ?? 0) > 0) violations.push(`INV-2: "${attempt}" was accepted`);
    } catch {
      // rejected by the append-only trigger, as it must be
    } finally {
      await sql.query('ROLLBACK');
    }
  }
  // INV-6 and the shape of resolutions: a POST/VOID resolves a PENDING row with its accounts and amount
  await rows(
    'INV-6 pending transfer resolved more than once',
    `SELECT pending_id, count(*)::int AS n FROM ledger_transfers WHERE pending_id IS NOT NULL GROUP BY pending_id HAVING count(*) > 1`,
  );
  await rows(
    'INV-6 resolution does not match its pending transfer',
    `SELECT r.id FROM ledger_transfers r JOIN ledger_transfers p ON p.id = r.pending_id
     WHERE p.status <> 'PENDING' OR p.debit_account_id <> r.debit_account_id
        OR p.credit_account_id <> r.credit_account_id OR p.amount <> r.amount`,
  );
  // INV-3, recomputed independently: posted = POSTED + POST rows; pending = PENDING rows never resolved
  await rows(
    'INV-3 account counters differ from the transfers',
    `WITH open AS (
       SELECT p.* FROM ledger_transfers p WHERE p.status = 'PENDING'
         AND NOT EXISTS (SELECT 1 FROM ledger_transfers r WHERE r.pending_id = p.id)),
     posted AS (SELECT * FROM ledger_transfers WHERE status IN ('POSTED', 'POST'))
     SELECT a.code, a.debits_posted::text, a.credits_posted::text, a.debits_pending::text, a.credits_pending::text,
       (SELECT coalesce(sum(amount), 0) FROM posted WHERE debit_account_id = a.id)::text AS dp,
       (SELECT coalesce(sum(amount), 0) FROM posted WHERE credit_account_id = a.id)::text AS cp,
       (SELECT coalesce(sum(amount), 0) FROM open WHERE debit_account_id = a.id)::text AS dq,
       (SELECT coalesce(sum(amount), 0) FROM open WHERE credit_account_id = a.id)::text AS cq
     FROM ledger_accounts a
     WHERE (a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending) IS DISTINCT FROM (
       (SELECT coalesce(sum(amount), 0) FROM posted WHERE debit_account_id = a.id),
       (SELECT coalesce(sum(amount), 0) FROM posted WHERE credit_account_id = a.id),
       (SELECT coalesce(sum(amount), 0) FROM open WHERE debit_account_id = a.id),
       (SELECT coalesce(sum(amount), 0) FROM open WHERE credit_account_id = a.id))`,
  );
  // INV-4
  await rows(
    'INV-4 debits differ from credits',
    `SELECT sum(debits_posted)::text AS dp, sum(credits_posted)::text AS cp, sum(debits_pending)::text AS dq, sum(credits_pending)::text AS cq
     FROM ledger_accounts HAVING sum(debits_posted) <> sum(credits_posted) OR sum(debits_pending) <> sum(credits_pending)`,
  );
  // INV-5
  await rows(
    'INV-5 account over-drawn',
    `SELECT code FROM ledger_accounts WHERE
       (kind <> 'ASSET' AND debits_posted + debits_pending > credits_posted)
       OR (kind = 'ASSET' AND credits_posted + credits_pending > debits_posted)`,
  );
  // INV-7: caps, and the counters equal to the live pledges behind them
  await rows(
    'INV-7 campaign over its cap',
    `SELECT id FROM campaigns WHERE committed > max_amount OR (investor_cap IS NOT NULL AND investor_count > investor_cap)`,
  );
  await rows('INV-7 tier over its stock', `SELECT id FROM reward_tiers WHERE claimed > stock`);
  await rows(
    'INV-7 open campaign counters differ from its live pledges',
    `SELECT c.id, c.status, c.committed::text, c.investor_count,
            coalesce(sum(p.amount), 0)::text AS live_sum, count(DISTINCT p.investor_id)::int AS live_investors
     FROM campaigns c LEFT JOIN pledges p ON p.campaign_id = c.id AND p.status IN ${LIVE}
     WHERE c.status IN ('LIVE', 'CLOSING') GROUP BY c.id
     HAVING c.committed <> coalesce(sum(p.amount), 0) OR c.investor_count <> count(DISTINCT p.investor_id)`,
  );
  await rows(
    'INV-7 tier claimed differs from its live pledges',
    `SELECT t.id, t.claimed, count(p.id)::int AS live
     FROM reward_tiers t JOIN campaigns c ON c.id = t.campaign_id
     LEFT JOIN pledges p ON p.reward_tier_id = t.id AND p.status IN ${LIVE}
     WHERE c.status IN ('LIVE', 'CLOSING') GROUP BY t.id HAVING t.claimed <> count(p.id)`,
  );
  // INV-8: escrow of an open campaign = its live pledges; each pledge's hold in the state its status says
  await rows(
    'INV-8 campaign escrow differs from its live pledges',
    `SELECT c.id, (a.credits_pending + a.credits_posted - a.debits_posted)::text AS escrow,
            (SELECT coalesce(sum(amount), 0) FROM pledges p WHERE p.campaign_id = c.id AND p.status IN ${LIVE})::text AS live
     FROM campaigns c JOIN ledger_accounts a ON a.code = 'campaign:' || c.id || ':escrow'
     WHERE c.status IN ('LIVE', 'CLOSING')
       AND a.credits_pending + a.credits_posted - a.debits_posted
           <> (SELECT coalesce(sum(amount), 0) FROM pledges p WHERE p.campaign_id = c.id AND p.status IN ${LIVE})`,
  );
  await rows(
    'INV-8 pledge hold does not match the pledge',
    `SELECT p.id, p.status, h.status AS hold, r.status AS resolution
     FROM pledges p LEFT JOIN ledger_transfers h ON h.id = p.hold_transfer_id
     LEFT JOIN ledger_transfers r ON r.pending_id = h.id
     WHERE h.id IS NULL OR h.status <> 'PENDING' OR h.amount <> p.amount
        OR h.debit_account_id <> (SELECT id FROM ledger_accounts WHERE code = 'investor:' || p.investor_id || ':available')
        OR h.credit_account_id <> (SELECT id FROM ledger_accounts WHERE code = 'campaign:' || p.campaign_id || ':escrow')
        OR (p.status IN ${LIVE} AND r.id IS NOT NULL)
        OR (p.status = 'SETTLED' AND r.status IS DISTINCT FROM 'POST')
        OR (p.status IN ('CANCELLED', 'REFUNDED') AND r.status IS DISTINCT FROM 'VOID')`,
  );
  // INV-9: each pledge fitted the limit it was admitted under
  await rows(
    'INV-9 pledge beyond the investor limit',
    `SELECT p.id FROM pledges p JOIN pledge_evidence e ON e.pledge_id = p.id
     WHERE e.evidence->>'annualLimit' ~ '^[0-9]+(\\.[0-9]+)?$'
       AND (e.evidence->>'usedBefore')::numeric + p.amount > (e.evidence->>'annualLimit')::numeric`,
  );
  // CONV-05: every pledge keeps the evidence of its admission (written in the same statement)
  await rows(
    'CONV-05 pledge without its admission evidence',
    `SELECT p.id FROM pledges p WHERE NOT EXISTS (SELECT 1 FROM pledge_evidence e WHERE e.pledge_id = p.id)`,
  );
  // INV-11: a chained, gap-free run of blocks covering every transfer
  await rows(
    'INV-11 block chain broken',
    `SELECT b.height FROM ledger_blocks b LEFT JOIN ledger_blocks prev ON prev.height = b.height - 1
     WHERE (b.height > 1 AND (prev.height IS NULL OR prev.hash <> b.prev_hash OR prev.to_tx_id <> b.from_tx_id))`,
  );
  await rows(
    'INV-11 transfer older than the seal interval not sealed',
    `SELECT count(*)::int AS n FROM ledger_transfers
     WHERE tx_id >= coalesce((SELECT to_tx_id FROM ledger_blocks ORDER BY height DESC LIMIT 1), '1'::xid8)
       AND created_at < now() - interval '5 seconds'
     HAVING count(*) > 0`,
  );
  // INV-12: settled, refunded or cancelled campaigns leave nothing in escrow
  await rows(
    'INV-12 closed campaign escrow not zero',
    `SELECT c.id, c.status, a.debits_posted::text, a.credits_posted::text, a.debits_pending::text, a.credits_pending::text
     FROM campaigns c JOIN ledger_accounts a ON a.code = 'campaign:' || c.id || ':escrow'
     WHERE c.status IN ('SETTLED', 'REFUNDED', 'CANCELLED')
       AND (a.debits_pending <> 0 OR a.credits_pending <> 0 OR a.debits_posted <> a.credits_posted)`,
  );
  await rows(
    'INV-12 closed campaign still has live pledges',
    `SELECT c.id, c.status, count(*)::int AS live FROM campaigns c JOIN pledges p ON p.campaign_id = c.id
     WHERE c.status IN ('SETTLED', 'REFUNDED', 'CANCELLED') AND p.status IN ${LIVE} GROUP BY c.id`,
  );

  violations.push(...(await checkHistory(sql, h)));
  return violations;
}

/** INV-10 and durability: every acknowledged request is in the database, exactly once. */
async function checkHistory(sql: pg.Client, h: History): Promise<string[]> {
  const violations: string[] = [];
  const one = async <T extends pg.QueryResultRow>(text: string, params: unknown[]) =>
    (await sql.query<T>(text, params)).rows;

  // Pledges: one row per acknowledged key, with the amount the client asked for; none for refusals.
  const acked = [...h.pledges.values()].filter((p) => is2xx(p.status));
  const perInvestor = new Map<string, number>();
  for (const p of acked) perInvestor.set(p.investorId, (perInvestor.get(p.investorId) ?? 0) + 1);
  const dbPledges = await one<{
    id: string;
    investor_id: string;
    campaign_id: string;
    amount: string;
  }>(`SELECT id, investor_id, campaign_id, amount::text FROM pledges`, []);
  const byId = new Map(dbPledges.map((p) => [p.id, p]));
  for (const p of acked) {
    const row = p.pledgeId ? byId.get(p.pledgeId) : undefined;
    if (
      !row ||
      row.amount !== p.amount ||
      row.investor_id !== p.investorId ||
      row.campaign_id !== p.campaignId
    )
      violations.push(
        `INV-10 acknowledged pledge ${p.pledgeId} missing or different: ${JSON.stringify(row)}`,
      );
  }
  const dbPerInvestor = new Map<string, number>();
  for (const p of dbPledges)
    dbPerInvestor.set(p.investor_id, (dbPerInvestor.get(p.investor_id) ?? 0) + 1);
  for (const [investor, n] of dbPerInvestor)
    if ((perInvestor.get(investor) ?? 0) !== n)
      violations.push(
        `INV-10 investor ${investor}: ${n} pledges stored, ${perInvestor.get(investor) ?? 0} acknowledged keys`,
      );
  const ids = new Set(acked.map((p) => p.pledgeId));
  if (ids.size !== acked.length)
    violations.push('INV-10 two acknowledged keys answered with one pledge');

  // Cancels acknowledged: the pledge is cancelled.
  for (const c of h.cancels.values()) {
    if (!is2xx(c.status)) continue;
    const [row] = await one<{ status: string }>(`SELECT status FROM pledges WHERE id = $1`, [
      c.pledgeId,
    ]);
    if (row?.status !== 'CANCELLED')
      violations.push(`acknowledged cancel of ${c.pledgeId}: pledge is ${row?.status}`);
  }

  // Deposits: one DEPOSIT transfer per acknowledged bankReference, of that amount, to that user.
  const deposits = [...h.deposits.values()].filter((d) => is2xx(d.status));
  const dbDeposits = await one<{ reference: string; id: string; amount: string; code: string }>(
    `SELECT t.reference, t.id, t.amount::text, a.code FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.credit_account_id
     WHERE t.kind = 'DEPOSIT' AND t.reference LIKE 'custody:%'`,
    [],
  );
  const depositByRef = new Map<string, (typeof dbDeposits)[number][]>();
  for (const d of dbDeposits)
    depositByRef.set(d.reference, [...(depositByRef.get(d.reference) ?? []), d]);
  for (const d of deposits) {
    const found = depositByRef.get(`custody:${d.bankReference}`) ?? [];
    if (
      found.length !== 1 ||
      found[0].amount !== d.amount ||
      found[0].code !== `investor:${d.userId}:available`
    )
      violations.push(
        `INV-10 deposit ${d.bankReference}: ${found.length} transfers ${JSON.stringify(found)}`,
      );
  }
  if (dbDeposits.length !== deposits.length)
    violations.push(
      `deposits: ${dbDeposits.length} in the ledger, ${deposits.length} acknowledged`,
    );

  // Withdrawals: one held transfer per acknowledged key, none for refusals.
  const withdrawals = [...h.withdrawals.values()].filter((w) => is2xx(w.status));
  const dbWithdrawals = await one<{ id: string; amount: string; code: string }>(
    `SELECT t.id, t.amount::text, a.code FROM ledger_transfers t JOIN ledger_accounts a ON a.id = t.debit_account_id
     WHERE t.kind = 'WITHDRAWAL' AND t.status = 'PENDING'`,
    [],
  );
  const withdrawalById = new Map(dbWithdrawals.map((w) => [w.id, w]));
  for (const w of withdrawals) {
    const row = w.id ? withdrawalById.get(w.id) : undefined;
    if (!row || row.amount !== w.amount || row.code !== `investor:${w.userId}:available`)
      violations.push(
        `acknowledged withdrawal ${w.id} missing or different: ${JSON.stringify(row)}`,
      );
  }
  if (dbWithdrawals.length !== withdrawals.length)
    violations.push(
      `withdrawals: ${dbWithdrawals.length} held, ${withdrawals.length} acknowledged`,
    );

  // Custodian answers: each acknowledged one resolved its hold, as it said.
  for (const n of h.notices.values()) {
    if (!is2xx(n.status)) continue;
    const [r] = await one<{ status: string; n: number }>(
      `SELECT min(status) AS status, count(*)::int AS n FROM ledger_transfers WHERE pending_id = $1`,
      [n.transferId],
    );
    const expected = n.type.endsWith('SETTLED') ? 'POST' : 'VOID';
    if (r.n !== 1 || r.status !== expected)
      violations.push(
        `${n.type} ${n.bankReference}: hold ${n.transferId} resolved ${r.n}x as ${r.status}`,
      );
  }

  // Money conservation: custody cash = acknowledged deposits - settled withdrawals - settled payouts.
  let expected = h.seedDepositsFen;
  for (const d of deposits) expected += fen(d.amount);
  for (const n of h.notices.values())
    if (is2xx(n.status) && n.type.endsWith('_SETTLED')) expected -= fen(n.amount);
  const [cash] = await one<{ balance: string; held: string }>(
    `SELECT (debits_posted - credits_posted)::text AS balance, credits_pending::text AS held
     FROM ledger_accounts WHERE code = 'custody:cash'`,
    [],
  );
  if (fen(cash.balance) !== expected)
    violations.push(
      `money: custody cash ${cash.balance}, the client's record says ${yuan(expected)}`,
    );
  if (fen(cash.held) !== 0n)
    violations.push(`money: ${cash.held} still held against custody after every hold was answered`);
  return violations;
}

/** Breaks what each check guards, once each, and reports whether the checks noticed. */
export async function sabotage(sql: pg.Client, history: History): Promise<Record<string, boolean>> {
  const caught: Record<string, boolean> = {};
  const [deposit] = [...history.deposits.entries()].filter(([, d]) => is2xx(d.status));
  history.deposits.delete(deposit[0]); // the client "never heard" of one applied deposit
  await sql.query(`SET session_replication_role = replica`); // as an intruder would: no triggers
  await sql.query(
    `UPDATE ledger_accounts SET credits_posted = credits_posted + 1 WHERE code = (SELECT min(code) FROM ledger_accounts WHERE code LIKE 'investor:%')`,
  );
  await sql.query(
    `UPDATE campaigns SET investor_count = investor_count + 1 WHERE id = (SELECT min(id::text)::uuid FROM campaigns WHERE status = 'LIVE' AND investor_count > 0)`,
  );
  await sql.query(
    `UPDATE pledges SET status = 'CANCELLED', ended_at = now() WHERE id = (SELECT min(p.id::text)::uuid FROM pledges p JOIN campaigns c ON c.id = p.campaign_id WHERE c.status = 'LIVE' AND p.status = 'ACTIVE')`,
  );
  await sql.query(`SET session_replication_role = DEFAULT`);
  const found = await checkInvariants(sql, history);
  const has = (prefix: string) => found.some((v) => v.startsWith(prefix));
  caught.lostDeposit = has('deposits:') && has('money:');
  caught.counterDrift = has('INV-3') && has('INV-4');
  caught.investorCount = has('INV-7 open campaign counters');
  caught.escrowMismatch = has('INV-8 campaign escrow') && has('INV-8 pledge hold');
  return caught;
}
