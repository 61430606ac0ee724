import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transaction.js';

export interface DisclosureLoanRow {
  id: string;
  campaignId: string;
  borrowerId: string;
  principal: string;
}

export interface FrozenDisclosureRow {
  month: string;
  body: Record<string, unknown>;
  hash: string;
  frozenAt: Date;
}

/** What the monthly operating disclosure reads from the lending tables (CN-P2P-10). */
@Injectable()
export class OperatingDisclosureRepository {
  async loansCreatedBefore(end: Date, tx: Tx): Promise<DisclosureLoanRow[]> {
    const rows: { id: string; campaign_id: string; borrower_id: string; principal: string }[] =
      await tx.query(
        `SELECT id, campaign_id, borrower_id, principal::text FROM loans
          WHERE created_at < $1 ORDER BY id`,
        [end],
      );
    return rows.map((r) => ({
      id: r.id,
      campaignId: r.campaign_id,
      borrowerId: r.borrower_id,
      principal: r.principal,
    }));
  }

  async lenders(
    loanIds: readonly string[],
    tx: Tx,
  ): Promise<{ loanId: string; lenderId: string }[]> {
    const rows: { loan_id: string; lender_id: string }[] = await tx.query(
      `SELECT loan_id, lender_id FROM loan_claims WHERE loan_id = ANY($1::uuid[])`,
      [loanIds],
    );
    return rows.map((r) => ({ loanId: r.loan_id, lenderId: r.lender_id }));
  }

  /** Instalments due before `date` and not fully paid: what is still owed on each. */
  async unpaidDueBefore(
    date: string,
    tx: Tx,
  ): Promise<{ loanId: string; dueDate: string; principal: string; interest: string }[]> {
    const rows: { loan_id: string; due_date: string; principal: string; interest: string }[] =
      await tx.query(
        `SELECT loan_id, due_date::text, (principal - principal_paid)::text AS principal,
                (interest - interest_paid - interest_waived)::text AS interest
           FROM loan_instalments WHERE status <> 'PAID' AND due_date < $1::date
          ORDER BY loan_id, number`,
        [date],
      );
    return rows.map((r) => ({
      loanId: r.loan_id,
      dueDate: r.due_date,
      principal: r.principal,
      interest: r.interest,
    }));
  }

  async findFrozen(month: string, tx: Tx): Promise<FrozenDisclosureRow | null> {
    const rows: { month: string; body: Record<string, unknown>; hash: string; frozen_at: Date }[] =
      await tx.query(
        `SELECT month, body, hash, frozen_at FROM operating_disclosures WHERE month = $1`,
        [month],
      );
    const r = rows[0];
    return r ? { month: r.month, body: r.body, hash: r.hash, frozenAt: r.frozen_at } : null;
  }

  /** Freezes the month once; a concurrent freeze keeps the first. */
  async freeze(row: FrozenDisclosureRow, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO operating_disclosures (month, body, hash, frozen_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (month) DO NOTHING`,
      [row.month, JSON.stringify(row.body), row.hash, row.frozenAt],
    );
  }
}
