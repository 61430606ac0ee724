import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transaction.js';
import type { RepaymentMethod } from './loan-schedule.js';

export interface LoanTermsRecord {
  campaignId: string;
  borrowerId: string;
  annualRate: string;
  termMonths: number;
  method: RepaymentMethod;
  graceDays: number;
  penaltyAnnualRate: string;
  purposeCategory: string;
  purpose: string;
  otherPlatformDebt: string;
  updatedAt: Date;
}

export interface CapDecisionRecord {
  id: string;
  campaignId: string;
  borrowerId: string;
  borrowerKind: string;
  requested: string;
  outstandingHere: string;
  inFlightHere: string;
  otherPlatformDebt: string;
  capHere: string;
  capAll: string;
  rulePack: string;
  decidedAt: Date;
}

interface TermsRow {
  campaign_id: string;
  borrower_id: string;
  annual_rate: string;
  term_months: number;
  method: RepaymentMethod;
  grace_days: number;
  penalty_annual_rate: string;
  purpose_category: string;
  purpose: string;
  other_platform_debt: string;
  updated_at: Date;
}

/** The loan terms of DEBT campaigns and the cap decisions taken at submit (lending owns both). */
@Injectable()
export class LoanTermsRepository {
  async upsert(t: LoanTermsRecord, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO loan_terms (campaign_id, borrower_id, annual_rate, term_months, method, grace_days,
         penalty_annual_rate, purpose_category, purpose, other_platform_debt, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (campaign_id) DO UPDATE SET annual_rate = EXCLUDED.annual_rate,
         term_months = EXCLUDED.term_months, method = EXCLUDED.method, grace_days = EXCLUDED.grace_days,
         penalty_annual_rate = EXCLUDED.penalty_annual_rate, purpose_category = EXCLUDED.purpose_category,
         purpose = EXCLUDED.purpose, other_platform_debt = EXCLUDED.other_platform_debt,
         updated_at = EXCLUDED.updated_at`,
      [
        t.campaignId,
        t.borrowerId,
        t.annualRate,
        t.termMonths,
        t.method,
        t.graceDays,
        t.penaltyAnnualRate,
        t.purposeCategory,
        t.purpose,
        t.otherPlatformDebt,
        t.updatedAt,
      ],
    );
  }

  async find(campaignId: string, tx: Tx): Promise<LoanTermsRecord | null> {
    const rows: TermsRow[] = await tx.query(
      `SELECT campaign_id, borrower_id, annual_rate::text, term_months, method, grace_days,
              penalty_annual_rate::text, purpose_category, purpose, other_platform_debt::text, updated_at
         FROM loan_terms WHERE campaign_id = $1`,
      [campaignId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      campaignId: r.campaign_id,
      borrowerId: r.borrower_id,
      annualRate: r.annual_rate,
      termMonths: r.term_months,
      method: r.method,
      graceDays: r.grace_days,
      penaltyAnnualRate: r.penalty_annual_rate,
      purposeCategory: r.purpose_category,
      purpose: r.purpose,
      otherPlatformDebt: r.other_platform_debt,
      updatedAt: r.updated_at,
    };
  }

  async insertCapDecision(d: CapDecisionRecord, tx: Tx): Promise<void> {
    await tx.query(
      `INSERT INTO borrower_cap_decisions (id, campaign_id, borrower_id, borrower_kind, requested,
         outstanding_here, other_platform_debt, cap_here, cap_all, rule_pack, decided_at,
         in_flight_here)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        d.id,
        d.campaignId,
        d.borrowerId,
        d.borrowerKind,
        d.requested,
        d.outstandingHere,
        d.otherPlatformDebt,
        d.capHere,
        d.capAll,
        d.rulePack,
        d.decidedAt,
        d.inFlightHere,
      ],
    );
  }

  /** CN-P2P-02: one borrower's cap checks take turns until the transaction ends. */
  async lockBorrower(borrowerId: string, tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `borrower-cap:${borrowerId}`,
    ]);
  }
}
