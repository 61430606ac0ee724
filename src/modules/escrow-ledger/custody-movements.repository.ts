import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Tx } from '../../database/transaction.js';
import {
  AccountCodes,
  type CustodyMovement,
  type CustodySnapshot,
  type TransferKind,
} from './ledger.types.js';

interface MovementRow {
  transfer_id: string;
  kind: TransferKind;
  direction: 'CREDIT' | 'DEBIT';
  amount: string;
  created_at: Date;
  bank_reference: string | null;
}

const MOVEMENTS = `
  WITH custody AS (SELECT id FROM ledger_accounts WHERE code = $1),
  movements AS (
    SELECT t.id, t.seq, t.kind, 'CREDIT' AS direction, t.amount, t.created_at
      FROM ledger_transfers t JOIN custody ON t.debit_account_id = custody.id
      WHERE t.status IN ('POSTED', 'POST')
    UNION ALL
    SELECT t.id, t.seq, t.kind, 'DEBIT', t.amount, t.created_at
      FROM ledger_transfers t JOIN custody ON t.credit_account_id = custody.id
      WHERE t.status IN ('POSTED', 'POST')
  )
  SELECT m.id AS transfer_id, m.kind, m.direction, m.amount::text AS amount, m.created_at,
         n.bank_reference
  FROM movements m LEFT JOIN custody_notifications n ON n.transfer_id = m.id`;

const toMovement = (r: MovementRow): CustodyMovement => ({
  transferId: r.transfer_id,
  kind: r.kind,
  direction: r.direction,
  amount: r.amount,
  createdAt: r.created_at,
  bankReference: r.bank_reference,
});

/** The ledger's side of a reconciliation with the custodian's statement (read-only). */
@Injectable()
export class CustodyMovementsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** All reads in one REPEATABLE READ snapshot, so balance and movements agree with each other. */
  snapshot(start: Date, end: Date, bankReferences: readonly string[]): Promise<CustodySnapshot> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx: Tx) => {
      await tx.query('SET TRANSACTION READ ONLY');
      const code = AccountCodes.custodyCash;
      const accounts: { currency: string }[] = await tx.query(
        `SELECT currency FROM ledger_accounts WHERE code = $1`,
        [code],
      );
      const inPeriod: MovementRow[] = await tx.query(
        `${MOVEMENTS} WHERE m.created_at >= $2 AND m.created_at < $3 ORDER BY m.seq`,
        [code, start, end],
      );
      const byReference: MovementRow[] =
        bankReferences.length === 0
          ? []
          : await tx.query(
              `SELECT matched.* FROM (${MOVEMENTS}) matched
               WHERE matched.bank_reference = ANY($2::text[])`,
              [code, bankReferences],
            );
      const balance: { balance: string }[] = await tx.query(
        `WITH custody AS (SELECT id FROM ledger_accounts WHERE code = $1)
         SELECT (coalesce(sum(t.amount) FILTER (WHERE t.debit_account_id = custody.id), 0)
               - coalesce(sum(t.amount) FILTER (WHERE t.credit_account_id = custody.id), 0))::numeric(20,2)::text AS balance
         FROM custody JOIN ledger_transfers t
           ON (t.debit_account_id = custody.id OR t.credit_account_id = custody.id)
         WHERE t.status IN ('POSTED', 'POST') AND t.created_at < $2`,
        [code, end],
      );
      if (!accounts[0]) throw new Error(`account ${code} is missing`);
      return {
        currency: accounts[0].currency,
        inPeriod: inPeriod.map(toMovement),
        byReference: byReference.map(toMovement),
        balanceAtEnd: balance[0]?.balance ?? '0.00',
      };
    });
  }
}
