import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TRANSFER_KINDS as BEFORE } from './1765600100000-pledge-hold-fk-and-transfer-kinds.js';

/**
 * PLAT-07 line separation (docs/lending.md, "Line separation"): two ledger transfer kinds.
 * - LINE_TRANSFER: an investor's explicit move between their own wallets (GENERAL, EQUITY, DEBT),
 *   and the one-off moves of `npm run cli -- lines:migrate` when separation is turned on;
 * - CREDIT_WITHDRAWAL: a borrower's held overpayment credit leaving the loan's repayment account
 *   for the borrower's wallet.
 * The kind CHECK of migration 1765600100000 is replaced by one that also allows them.
 */
export const TRANSFER_KINDS = [...BEFORE, 'LINE_TRANSFER', 'CREDIT_WITHDRAWAL'] as const;

const check = (kinds: readonly string[]) =>
  `CHECK ("kind" IN (${kinds.map((k) => `'${k}'`).join(', ')}))`;

export class LineTransferKinds1765900000000 implements MigrationInterface {
  name = 'LineTransferKinds1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "ledger_transfers" DROP CONSTRAINT "ledger_transfers_kind_check"`);
    await q.query(
      `ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_kind_check" ${check(TRANSFER_KINDS)}`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "ledger_transfers" DROP CONSTRAINT "ledger_transfers_kind_check"`);
    await q.query(
      `ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_kind_check" ${check(BEFORE)}`,
    );
  }
}
