import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { LedgerVerifierService } from '../../src/modules/escrow-ledger/ledger-verifier.service.js';
import { LedgerRepository } from '../../src/modules/escrow-ledger/ledger.repository.js';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes, type Transfer } from '../../src/modules/escrow-ledger/ledger.types.js';
import { SealerService } from '../../src/modules/escrow-ledger/sealer.service.js';
import { cny, fundedAccount, sealEverything } from '../support/ledger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const WORKERS = 24;
const OPS_PER_WORKER = 220; // 5,280 operations
const EXPECTED_FAILURES = new Set(['LEDGER.INSUFFICIENT_FUNDS', 'LEDGER.ALREADY_RESOLVED']);

/** A small deterministic PRNG so a failing run can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x ^= x + Math.imul(x ^ (x >>> 7), 61 | x);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the ledger under 24 concurrent workers (INV-3, INV-4, INV-5, INV-6)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_SIZE: '30' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('random deposits, holds, posts, voids, transfers and withdrawals leave every account exact', async () => {
    const ledger = t.app.get(LedgerService);
    const sealer = t.app.get(SealerService);
    const wallets = await Promise.all(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => fundedAccount(t, `conc-${n}`, '0.00')),
    );
    const escrows = [AccountCodes.campaignEscrow('conc-1'), AccountCodes.campaignEscrow('conc-2')];
    for (const e of escrows) await ledger.openAccount(e, 'LIABILITY');

    // The model: what the successful operations say each account must hold.
    const expected = new Map<string, { posted: bigint; pending: bigint }>();
    const model = (code: string) => {
      let m = expected.get(code);
      if (!m) expected.set(code, (m = { posted: 0n, pending: 0n }));
      return m;
    };
    const credit = (c: string, fen: bigint, kind: 'posted' | 'pending') => (model(c)[kind] += fen);
    const debit = (c: string, fen: bigint, kind: 'posted' | 'pending') => (model(c)[kind] -= fen);
    const holds: Transfer[] = [];
    const counts: Record<string, number> = {};
    const unexpected: unknown[] = [];

    const sealing = (async () => {
      for (let i = 0; i < 20; i++) {
        await sealer.sealAll();
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    await Promise.all(
      Array.from({ length: WORKERS }, async (_, worker) => {
        const random = prng(1000 + worker);
        const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
        for (let op = 0; op < OPS_PER_WORKER; op++) {
          const key = `w${worker}-${op}`;
          const amount = cny(
            `${1 + Math.floor(random() * 60)}.${String(Math.floor(random() * 100)).padStart(2, '0')}`,
          );
          const r = random();
          let name = '';
          try {
            if (r < 0.2) {
              name = 'deposit';
              const to = pick(wallets);
              await ledger.transfer({
                idempotencyKey: key,
                kind: 'DEPOSIT',
                debitAccount: AccountCodes.custodyCash,
                creditAccount: to,
                amount,
              });
              credit(to, amount.fen, 'posted');
              debit(AccountCodes.custodyCash, amount.fen, 'posted');
            } else if (r < 0.5) {
              name = random() < 0.7 ? 'pledge-hold' : 'withdrawal-hold';
              const from = pick(wallets);
              const to = name === 'pledge-hold' ? pick(escrows) : AccountCodes.custodyCash;
              const hold = await ledger.hold({
                idempotencyKey: key,
                kind: name === 'pledge-hold' ? 'PLEDGE' : 'WITHDRAWAL',
                debitAccount: from,
                creditAccount: to,
                amount,
              });
              debit(from, amount.fen, 'pending');
              credit(to, amount.fen, 'pending');
              holds.push(hold);
            } else if (r < 0.8 && holds.length > 0) {
              const hold = pick(holds);
              const post = random() < 0.5;
              name = post ? 'post' : 'void';
              // Deliberately distinct keys: racing resolutions of one hold must not both win.
              await (post
                ? ledger.post({ pendingId: hold.id, idempotencyKey: key })
                : ledger.void({ pendingId: hold.id, idempotencyKey: key }));
              const fen = cny(hold.amount).fen;
              credit(hold.debitAccountCode, fen, 'pending');
              debit(hold.creditAccountCode, fen, 'pending');
              if (post) {
                debit(hold.debitAccountCode, fen, 'posted');
                credit(hold.creditAccountCode, fen, 'posted');
              }
            } else {
              name = 'transfer';
              const from = pick(wallets);
              const to = pick(wallets.filter((w) => w !== from));
              await ledger.transfer({
                idempotencyKey: key,
                kind: 'ADJUSTMENT',
                debitAccount: from,
                creditAccount: to,
                amount,
              });
              debit(from, amount.fen, 'posted');
              credit(to, amount.fen, 'posted');
            }
            counts[name] = (counts[name] ?? 0) + 1;
          } catch (error) {
            if (error instanceof DomainError && EXPECTED_FAILURES.has(error.code)) {
              counts[`${name} refused (${error.code})`] =
                (counts[`${name} refused (${error.code})`] ?? 0) + 1;
            } else {
              unexpected.push(error);
            }
          }
        }
      }),
    );
    await sealing;
    await sealEverything(t);

    expect(unexpected).toEqual([]);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(WORKERS * OPS_PER_WORKER);
    process.stdout.write(`ledger concurrency: ${JSON.stringify(counts)}\n`);

    // Every account equals the model built from the acknowledged operations.
    const accounts = await t.app.get(LedgerRepository).listAccounts();
    for (const account of accounts) {
      const m = expected.get(account.code) ?? { posted: 0n, pending: 0n };
      const net = (credits: string, debits: string) => cny(credits).fen - cny(debits).fen;
      expect({
        code: account.code,
        posted: net(account.creditsPosted, account.debitsPosted),
        pending: net(account.creditsPending, account.debitsPending),
      }).toEqual({
        code: account.code,
        ...m,
      });
      // INV-5: nothing negative.
      if (account.kind === 'LIABILITY') {
        expect(
          cny(account.creditsPosted).fen -
            cny(account.debitsPosted).fen -
            cny(account.debitsPending).fen >=
            0n,
        ).toBe(true);
      }
    }

    const sql = await t.db.client();
    const twice = await sql.query(
      `SELECT pending_id FROM ledger_transfers WHERE pending_id IS NOT NULL GROUP BY pending_id HAVING count(*) > 1`,
    );
    expect(twice.rows).toEqual([]); // INV-6

    const report = await t.app.get(LedgerVerifierService).verify();
    expect(report.problems).toEqual([]); // INV-3 recomputed, INV-4 balanced, INV-11 sealed
    expect(report.ok).toBe(true);
    const sealed = await sql.query<{ n: string; total: string }>(
      `SELECT (SELECT coalesce(sum(transfer_count), 0) FROM ledger_blocks)::text AS n, (SELECT count(*) FROM ledger_transfers)::text AS total`,
    );
    expect(sealed.rows[0].n).toBe(sealed.rows[0].total); // every transfer sealed exactly once
  }, 180_000);
});
