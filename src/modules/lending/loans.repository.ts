import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transaction.js';
import type { RepaymentMethod } from './loan-schedule.js';

export type LoanStatus = 'ACTIVE' | 'REPAID' | 'DEFAULTED';
export type InstalmentStatus = 'SCHEDULED' | 'OVERDUE' | 'PAID';

export interface LoanRecord {
  id: string;
  campaignId: string;
  borrowerId: string;
  currency: string;
  principal: string;
  annualRate: string;
  termMonths: number;
  method: RepaymentMethod;
  graceDays: number;
  penaltyAnnualRate: string;
  dayCountBasis: number;
  serviceFeeRate: string;
  earlyRepaymentFeeRate: string;
  defaultAfterDays: number;
  status: LoanStatus;
  startDate: string;
  borrowerCredit: string;
  overdueRecordedAt: Date | null;
  createdAt: Date;
  closedAt: Date | null;
}

export interface InstalmentRecord {
  loanId: string;
  number: number;
  dueDate: string;
  principal: string;
  interest: string;
  interestWaived: string;
  penalty: string;
  principalPaid: string;
  interestPaid: string;
  penaltyPaid: string;
  penaltyThrough: string;
  status: InstalmentStatus;
  overdueSince: string | null;
  paidAt: Date | null;
}

export interface ShareRecord {
  lenderId: string;
  principal: string;
  interest: string;
}

export const LOAN_COLUMNS = `id, campaign_id, borrower_id, currency, principal::text, annual_rate::text,
  term_months, method, grace_days, penalty_annual_rate::text, day_count_basis,
  service_fee_rate::text, early_repayment_fee_rate::text, default_after_days, status,
  start_date::text, borrower_credit::text, overdue_recorded_at, created_at, closed_at`;

const INSTALMENT_COLUMNS = `loan_id, number, due_date::text, principal::text, interest::text,
  interest_waived::text, penalty::text, principal_paid::text, interest_paid::text,
  penalty_paid::text, penalty_through::text, status, overdue_since::text, paid_at`;

type Row = Record<string, unknown>;

export function toLoan(r: Row): LoanRecord {
  return {
    id: r.id as string,
    campaignId: r.campaign_id as string,
    borrowerId: r.borrower_id as string,
    currency: r.currency as string,
    principal: r.principal as string,
    annualRate: r.annual_rate as string,
    termMonths: r.term_months as number,
    method: r.method as RepaymentMethod,
    graceDays: r.grace_days as number,
    penaltyAnnualRate: r.penalty_annual_rate as string,
    dayCountBasis: r.day_count_basis as number,
    serviceFeeRate: r.service_fee_rate as string,
    earlyRepaymentFeeRate: r.early_repayment_fee_rate as string,
    defaultAfterDays: r.default_after_days as number,
    status: r.status as LoanStatus,
    startDate: r.start_date as string,
    borrowerCredit: r.borrower_credit as string,
    overdueRecordedAt: (r.overdue_recorded_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
    closedAt: (r.closed_at as Date | null) ?? null,
  };
}

function toInstalment(r: Row): InstalmentRecord {
  return {
    loanId: r.loan_id as string,
    number: r.number as number,
    dueDate: r.due_date as string,
    principal: r.principal as string,
    interest: r.interest as string,
    interestWaived: r.interest_waived as string,
    penalty: r.penalty as string,
    principalPaid: r.principal_paid as string,
    interestPaid: r.interest_paid as string,
    penaltyPaid: r.penalty_paid as string,
    penaltyThrough: r.penalty_through as string,
    status: r.status as InstalmentStatus,
    overdueSince: (r.overdue_since as string | null) ?? null,
    paidAt: (r.paid_at as Date | null) ?? null,
  };
}

/** Loans, claims, schedules and repayments (the lending module owns these tables). */
@Injectable()
export class LoansRepository {
  async insertLoan(
    loan: LoanRecord,
    claims: readonly ShareRecord[],
    instalments: readonly InstalmentRecord[],
    shares: readonly (ShareRecord & { number: number })[],
    tx: Tx,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO loans (id, campaign_id, borrower_id, currency, principal, annual_rate, term_months,
         method, grace_days, penalty_annual_rate, day_count_basis, service_fee_rate,
         early_repayment_fee_rate, default_after_days, status, start_date, borrower_credit, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        loan.id,
        loan.campaignId,
        loan.borrowerId,
        loan.currency,
        loan.principal,
        loan.annualRate,
        loan.termMonths,
        loan.method,
        loan.graceDays,
        loan.penaltyAnnualRate,
        loan.dayCountBasis,
        loan.serviceFeeRate,
        loan.earlyRepaymentFeeRate,
        loan.defaultAfterDays,
        loan.status,
        loan.startDate,
        loan.borrowerCredit,
        loan.createdAt,
      ],
    );
    await tx.query(
      `INSERT INTO loan_claims (loan_id, lender_id, principal)
       SELECT $1, * FROM unnest($2::uuid[], $3::numeric[])`,
      [loan.id, claims.map((c) => c.lenderId), claims.map((c) => c.principal)],
    );
    await tx.query(
      `INSERT INTO loan_instalments (loan_id, number, due_date, principal, interest, penalty_through, status)
       SELECT $1, n, d, p, i, d, 'SCHEDULED' FROM unnest($2::int[], $3::date[], $4::numeric[], $5::numeric[])
         AS x(n, d, p, i)`,
      [
        loan.id,
        instalments.map((i) => i.number),
        instalments.map((i) => i.dueDate),
        instalments.map((i) => i.principal),
        instalments.map((i) => i.interest),
      ],
    );
    await tx.query(
      `INSERT INTO loan_instalment_shares (loan_id, number, lender_id, principal, interest)
       SELECT $1, * FROM unnest($2::int[], $3::uuid[], $4::numeric[], $5::numeric[])`,
      [
        loan.id,
        shares.map((s) => s.number),
        shares.map((s) => s.lenderId),
        shares.map((s) => s.principal),
        shares.map((s) => s.interest),
      ],
    );
  }

  async find(id: string, tx: Tx, lock = false): Promise<LoanRecord | null> {
    const rows: Row[] = await tx.query(
      `SELECT ${LOAN_COLUMNS} FROM loans WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toLoan(rows[0]) : null;
  }

  async byBorrower(borrowerId: string, tx: Tx): Promise<LoanRecord[]> {
    const rows: Row[] = await tx.query(
      `SELECT ${LOAN_COLUMNS} FROM loans WHERE borrower_id = $1 ORDER BY created_at, id`,
      [borrowerId],
    );
    return rows.map(toLoan);
  }

  async byStatus(status: LoanStatus | null, tx: Tx): Promise<LoanRecord[]> {
    const rows: Row[] = await tx.query(
      `SELECT ${LOAN_COLUMNS} FROM loans WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at, id`,
      [status],
    );
    return rows.map(toLoan);
  }

  async instalments(loanId: string, tx: Tx): Promise<InstalmentRecord[]> {
    const rows: Row[] = await tx.query(
      `SELECT ${INSTALMENT_COLUMNS} FROM loan_instalments WHERE loan_id = $1 ORDER BY number`,
      [loanId],
    );
    return rows.map(toInstalment);
  }

  async shares(loanId: string, number: number, tx: Tx): Promise<ShareRecord[]> {
    const rows: { lender_id: string; principal: string; interest: string }[] = await tx.query(
      `SELECT lender_id, principal::text, interest::text FROM loan_instalment_shares
         WHERE loan_id = $1 AND number = $2 ORDER BY lender_id`,
      [loanId, number],
    );
    return rows.map((r) => ({
      lenderId: r.lender_id,
      principal: r.principal,
      interest: r.interest,
    }));
  }

  async claims(loanId: string, tx: Tx): Promise<ShareRecord[]> {
    const rows: { lender_id: string; principal: string }[] = await tx.query(
      `SELECT lender_id, principal::text FROM loan_claims WHERE loan_id = $1 ORDER BY lender_id`,
      [loanId],
    );
    return rows.map((r) => ({ lenderId: r.lender_id, principal: r.principal, interest: '0.00' }));
  }

  async isLender(loanId: string, userId: string, tx: Tx): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `SELECT 1 FROM loan_claims WHERE loan_id = $1 AND lender_id = $2`,
      [loanId, userId],
    );
    return rows.length > 0;
  }

  /** What each lender received, added to their claim (issue 14: /me/claims). */
  async addReceived(
    loanId: string,
    received: readonly { lenderId: string; principal: string; interest: string }[],
    tx: Tx,
  ): Promise<void> {
    if (received.length === 0) return;
    await tx.query(
      `UPDATE loan_claims c SET principal_received = c.principal_received + r.p,
         interest_received = c.interest_received + r.i
       FROM unnest($2::uuid[], $3::numeric[], $4::numeric[]) AS r(lender, p, i)
       WHERE c.loan_id = $1 AND c.lender_id = r.lender`,
      [
        loanId,
        received.map((r) => r.lenderId),
        received.map((r) => r.principal),
        received.map((r) => r.interest),
      ],
    );
  }

  async updateInstalment(i: InstalmentRecord, tx: Tx): Promise<void> {
    await tx.query(
      `UPDATE loan_instalments SET interest_waived = $3, penalty = $4, principal_paid = $5,
         interest_paid = $6, penalty_paid = $7, penalty_through = $8, status = $9,
         overdue_since = $10, paid_at = $11
       WHERE loan_id = $1 AND number = $2`,
      [
        i.loanId,
        i.number,
        i.interestWaived,
        i.penalty,
        i.principalPaid,
        i.interestPaid,
        i.penaltyPaid,
        i.penaltyThrough,
        i.status,
        i.overdueSince,
        i.paidAt,
      ],
    );
  }

  async updateLoan(loan: LoanRecord, tx: Tx): Promise<void> {
    await tx.query(
      `UPDATE loans SET status = $2, borrower_credit = $3, overdue_recorded_at = $4, closed_at = $5
         WHERE id = $1`,
      [loan.id, loan.status, loan.borrowerCredit, loan.overdueRecordedAt, loan.closedAt],
    );
  }

  /** True when this bank reference is new (a concurrent duplicate waits, then gets false). */
  async insertRepayment(
    r: {
      bankReference: string;
      loanId: string;
      amount: string;
      transferId: string;
      receivedAt: Date;
    },
    tx: Tx,
  ): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO loan_repayments (bank_reference, loan_id, amount, transfer_id, applied, received_at)
       VALUES ($1, $2, $3, $4, '[]'::jsonb, $5) ON CONFLICT (bank_reference) DO NOTHING RETURNING 1`,
      [r.bankReference, r.loanId, r.amount, r.transferId, r.receivedAt],
    );
    return rows.length > 0;
  }

  async recordApplied(bankReference: string, applied: unknown, tx: Tx): Promise<void> {
    await tx.query(`UPDATE loan_repayments SET applied = $2 WHERE bank_reference = $1`, [
      bankReference,
      JSON.stringify(applied),
    ]);
  }

  /** Loans with an unpaid instalment due on or before `date`, or with credit to apply (sweep). */
  async loansToSweep(date: string, limit: number, tx: Tx): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(
      `SELECT l.id FROM loans l WHERE l.status IN ('ACTIVE', 'DEFAULTED') AND EXISTS (
         SELECT 1 FROM loan_instalments i WHERE i.loan_id = l.id AND i.status <> 'PAID' AND i.due_date <= $1)
       ORDER BY l.id LIMIT $2`,
      [date, limit],
    );
    return rows.map((r) => r.id);
  }
}
