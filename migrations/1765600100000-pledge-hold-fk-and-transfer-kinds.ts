import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 19:
 * - `pledges.hold_transfer_id` names the ledger transfer that holds the pledge's money: now a foreign
 *   key. DEFERRABLE INITIALLY DEFERRED because the pledge's locked section inserts the pledge row
 *   first and the hold last (DESIGN §10); the check runs at commit. The ledger keeps no TypeORM
 *   entity, so test/schema-drift.spec.ts is told about this one constraint TypeORM cannot see.
 * - `ledger_transfers.kind` is one of the ledger's vocabulary (src/modules/escrow-ledger/ledger.types.ts
 *   TransferKind). A new kind is a migration that replaces this CHECK.
 */
export const TRANSFER_KINDS = [
  'DEPOSIT',
  'WITHDRAWAL',
  'PLEDGE',
  'SETTLEMENT',
  'FEE',
  'PAYOUT',
  'REFUND',
  'ADJUSTMENT',
  'REPAYMENT', // issue 14 (migration 1765400000000, before this one)
] as const;

export class PledgeHoldFkAndTransferKinds1765600100000 implements MigrationInterface {
  name = 'PledgeHoldFkAndTransferKinds1765600100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "pledges" ADD CONSTRAINT "pledges_hold_transfer_id_fkey"
      FOREIGN KEY ("hold_transfer_id") REFERENCES "ledger_transfers"("id")
      ON DELETE RESTRICT ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED`);
    await q.query(`
      ALTER TABLE "ledger_transfers" ADD CONSTRAINT "ledger_transfers_kind_check"
      CHECK ("kind" IN (${TRANSFER_KINDS.map((k) => `'${k}'`).join(', ')}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "ledger_transfers" DROP CONSTRAINT "ledger_transfers_kind_check"`);
    await q.query(`ALTER TABLE "pledges" DROP CONSTRAINT "pledges_hold_transfer_id_fkey"`);
  }
}
