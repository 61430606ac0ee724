import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { transferHash } from '../../src/modules/escrow-ledger/canonical.js';
import { LedgerService } from '../../src/modules/escrow-ledger/ledger.service.js';
import { AccountCodes } from '../../src/modules/escrow-ledger/ledger.types.js';
import type {
  ExportBlockLine,
  ExportHeaderLine,
  ExportTransferLine,
} from '../../src/modules/finance/ledger-export.format.js';
import type { OfflineReport } from '../../src/modules/finance/offline-verifier.js';
import { cny, fundedAccount, sealEverything } from '../support/ledger.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CLI = path.resolve('dist/src/cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `ledger:export` then `ledger:verify-export` as an auditor runs them: the real CLI in a child
 * process. The export reads this test's database; the verifier is given an unreachable
 * DATABASE_URL and still works, because it needs none. A digit changed in a transfer line, or a
 * block line altered, is named by transfer and block.
 */
describe('ledger export and the offline verifier (DESIGN §4 "Verification ... offline from an export")', () => {
  let t: TestApp;
  let dir: string;
  let exportFile: string;
  const sql = async <R>(text: string, params: unknown[] = []): Promise<R[]> =>
    (await (await t.db.client()).query(text, params)).rows as R[];

  const cli = (args: string[], databaseUrl: string): Promise<Run> =>
    new Promise((resolve, reject) => {
      const { DATABASE_URL: _unused, ...env } = process.env;
      const child = spawn(process.execPath, [CLI, ...args], {
        env: {
          ...env,
          NODE_ENV: 'development',
          LOG_LEVEL: 'warn',
          DATABASE_URL: databaseUrl,
          SEAL_INTERVAL_MS: '0',
          SWEEP_INTERVAL_MS: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
  const verifyOffline = async (file: string) => {
    // Port 1 on this machine: nothing listens, so any attempt to use a database would fail.
    const run = await cli(['ledger:verify-export', file], 'postgres://nobody@127.0.0.1:1/none');
    return { ...run, report: JSON.parse(run.stdout) as OfflineReport };
  };
  const lines = () => readFileSync(exportFile, 'utf8').trimEnd().split('\n');

  beforeAll(async () => {
    t = await startTestApp();
    dir = mkdtempSync(path.join(os.tmpdir(), 'zc-export-'));
    exportFile = path.join(dir, 'ledger.jsonl');
    const ledger = t.app.get(LedgerService);
    const escrow = AccountCodes.campaignEscrow('export-test');
    await ledger.openAccount(escrow, 'LIABILITY');
    const wallets: string[] = [];
    for (let i = 0; i < 5; i++) wallets.push(await fundedAccount(t, `export-${i}`, '1000.00'));
    const holds: string[] = [];
    for (const [i, wallet] of wallets.entries()) {
      const hold = await ledger.hold({
        idempotencyKey: `export-hold-${i}`,
        kind: 'PLEDGE',
        debitAccount: wallet,
        creditAccount: escrow,
        amount: cny(`${10 + i}.25`),
        reference: `pledge "${i}", line\nbreak`,
      });
      holds.push(hold.id);
    }
    await ledger.postMany(holds.slice(0, 3));
    await sealEverything(t); // blocks for everything so far
    // More: a bulk statement through the ledger's trigger, and a void, both left unsealed.
    await sql(
      `INSERT INTO ledger_transfers (id, kind, status, debit_account_id, credit_account_id, amount, currency, reference, created_at)
       SELECT gen_random_uuid(), 'DEPOSIT', 'POSTED', (SELECT id FROM ledger_accounts WHERE code = 'custody:cash'),
         (SELECT id FROM ledger_accounts WHERE code = $1), 1 + g / 100.0, 'CNY', 'bulk-' || g, now()
       FROM generate_series(1, 500) g`,
      [wallets[0]],
    );
    await ledger.void({ idempotencyKey: 'export-void', pendingId: holds[3] });
  }, 60_000);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
  });

  it('exports every transfer, block and account from the database, and the export verifies offline', async () => {
    const exported = await cli(['ledger:export', '--out', exportFile], t.db.url);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);

    const [counts] = await sql<{ transfers: number; blocks: number; accounts: number }>(
      `SELECT (SELECT count(*)::int FROM ledger_transfers) AS transfers,
              (SELECT count(*)::int FROM ledger_blocks) AS blocks,
              (SELECT count(*)::int FROM ledger_accounts) AS accounts`,
    );
    expect(counts.blocks).toBeGreaterThan(0);
    const all = lines().map((l) => JSON.parse(l) as { type: string });
    const header = all[0] as ExportHeaderLine;
    expect(header).toMatchObject({ type: 'header', format: 'zhongchou-ledger-export', version: 1 });
    expect(header.counts).toEqual(counts);
    const transfers = all.filter((l): l is ExportTransferLine => l.type === 'transfer');
    expect(transfers).toHaveLength(counts.transfers);
    expect(all.filter((l) => l.type === 'block')).toHaveLength(counts.blocks);
    expect(all.filter((l) => l.type === 'account')).toHaveLength(counts.accounts);

    // Each transfer line equals its database row (block found by a plain range join here).
    const rows = await sql<{
      id: string;
      seq: string;
      kind: string;
      status: string;
      debit: string;
      credit: string;
      amount: string;
      currency: string;
      pending_id: string | null;
      reference: string | null;
      created_at: Date;
      height: string | null;
    }>(
      `SELECT t.id, t.seq::text AS seq, t.kind, t.status, d.code AS debit, c.code AS credit, t.amount::text AS amount,
         t.currency, t.pending_id, t.reference, t.created_at, b.height::text AS height
       FROM ledger_transfers t JOIN ledger_accounts d ON d.id = t.debit_account_id
       JOIN ledger_accounts c ON c.id = t.credit_account_id
       LEFT JOIN ledger_blocks b ON t.tx_id >= b.from_tx_id AND t.tx_id < b.to_tx_id`,
    );
    const byId = new Map(transfers.map((l) => [l.id, l]));
    for (const r of rows) {
      const hash = transferHash({
        ...r,
        debitAccountCode: r.debit,
        creditAccountCode: r.credit,
        pendingId: r.pending_id,
        createdAt: r.created_at,
      });
      expect(byId.get(r.id)).toEqual({
        type: 'transfer',
        id: r.id,
        seq: r.seq,
        kind: r.kind,
        status: r.status,
        debitAccount: r.debit,
        creditAccount: r.credit,
        amount: r.amount,
        currency: r.currency,
        pendingId: r.pending_id,
        reference: r.reference,
        createdAt: r.created_at.toISOString(),
        hash,
        blockHeight: r.height,
      });
    }
    expect(transfers.some((l) => l.blockHeight === null)).toBe(true); // some unsealed, last

    const verified = await verifyOffline(exportFile);
    expect(verified.report.problems).toEqual([]);
    expect(verified.code).toBe(0);
    expect(verified.report).toMatchObject({
      ok: true,
      transfersChecked: counts.transfers,
      blocksChecked: counts.blocks,
      accountsChecked: counts.accounts,
    });
  }, 60_000);

  it('one digit of one sealed amount changed: exit 1, naming the transfer and its block', async () => {
    const all = lines();
    const index = all.findIndex(
      (l) => l.includes('"status":"PENDING"') && !l.includes('"blockHeight":null'),
    );
    const original = JSON.parse(all[index]) as ExportTransferLine;
    const tampered = all[index].replace(
      `"amount":"${original.amount}"`,
      `"amount":"${original.amount.replace(/^1/, '9')}"`,
    );
    expect(tampered).not.toBe(all[index]);
    all[index] = tampered;
    const file = path.join(dir, 'tampered-transfer.jsonl');
    writeFileSync(file, `${all.join('\n')}\n`);

    const { code, report } = await verifyOffline(file);
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'TRANSFER_HASH_MISMATCH',
          transfer: original.id,
          block: original.blockHeight,
        }),
        expect.objectContaining({ code: 'BLOCK_MERKLE_MISMATCH', block: original.blockHeight }),
        expect.objectContaining({
          code: 'ACCOUNT_COUNTER_MISMATCH',
          account: original.debitAccount,
        }),
      ]),
    );
  }, 30_000);

  it('a block line altered: exit 1, naming the block', async () => {
    const all = lines();
    const index = all.findIndex((l) => l.startsWith('{"type":"block"'));
    const original = JSON.parse(all[index]) as ExportBlockLine;
    const flipped = original.merkleRoot[5] === 'a' ? 'b' : 'a';
    all[index] = JSON.stringify({
      ...original,
      merkleRoot: `${original.merkleRoot.slice(0, 5)}${flipped}${original.merkleRoot.slice(6)}`,
    });
    const file = path.join(dir, 'tampered-block.jsonl');
    writeFileSync(file, `${all.join('\n')}\n`);

    const { code, report } = await verifyOffline(file);
    expect(code).toBe(1);
    expect(report.problems.map((p) => [p.code, p.block])).toEqual([
      ['BLOCK_HASH_MISMATCH', original.height],
      ['BLOCK_MERKLE_MISMATCH', original.height],
    ]);
  }, 30_000);

  it('usage errors exit 2', async () => {
    expect((await cli(['ledger:export'], t.db.url)).code).toBe(2);
    expect((await cli(['ledger:verify-export'], t.db.url)).code).toBe(2);
  }, 30_000);
});
