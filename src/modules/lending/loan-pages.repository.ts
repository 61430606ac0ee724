import { Injectable } from '@nestjs/common';
import { CursorCodec, type Page } from '../../common/pagination/cursor-codec.js';
import { type Keyset, type PageRequest, rawKeysetPage } from '../../database/keyset-page.js';
import type { Tx } from '../../database/transaction.js';
import { LOAN_COLUMNS, type LoanRecord, type LoanStatus, toLoan } from './loans.repository.js';

/**
 * Loans in the order they were made, oldest first, the id breaking ties (issue 16); a borrower's
 * by index loans_borrower_idx, the book's by loans_created_idx and loans_status_idx.
 */
const loansBy = (list: string, alias: string): Keyset => ({
  list,
  key: `${alias}.created_at`,
  keyKind: 'timestamptz',
  id: `${alias}.id`,
  idKind: 'uuid',
  direction: 'ASC',
});
const BORROWER_LOANS = loansBy('borrower-loans', 'l');
const BOOK_LOANS = loansBy('finance-loans', 'l');
/** A lender's claims in the order of their loans (few per lender: loan_claims_lender_idx). */
const LENDER_CLAIMS = loansBy('lender-claims', 'l');

export interface ClaimRecord {
  loanId: string;
  principal: string;
  principalReceived: string;
  interestReceived: string;
}

type Keyed = { keyset_key: string; keyset_id: string };

/** Cursor pages of loans and claims (issue 16), read in the caller's transaction. */
@Injectable()
export class LoanPagesRepository {
  constructor(private readonly cursors: CursorCodec) {}

  byBorrower(borrowerId: string, page: PageRequest, tx: Tx): Promise<Page<LoanRecord>> {
    return this.loans(BORROWER_LOANS, 'l.borrower_id = $1', [borrowerId], page, tx);
  }

  /** The book, or its loans in `status`. */
  byStatus(status: LoanStatus | null, page: PageRequest, tx: Tx): Promise<Page<LoanRecord>> {
    return status === null
      ? this.loans(BOOK_LOANS, 'true', [], page, tx)
      : this.loans(BOOK_LOANS, 'l.status = $1', [status], page, tx);
  }

  claimsOfLender(lenderId: string, page: PageRequest, tx: Tx): Promise<Page<ClaimRecord>> {
    return rawKeysetPage(
      this.cursors,
      (sql, params): Promise<(Keyed & Record<string, string>)[]> => tx.query(sql, params),
      LENDER_CLAIMS,
      page,
      [lenderId],
      (k) =>
        `SELECT c.loan_id, c.principal::text, c.principal_received::text,
                c.interest_received::text, ${k.columns}
           FROM loan_claims c JOIN loans l ON l.id = c.loan_id
          WHERE c.lender_id = $1${k.after} ${k.tail}`,
      (r) => ({
        loanId: r.loan_id,
        principal: r.principal,
        principalReceived: r.principal_received,
        interestReceived: r.interest_received,
      }),
    );
  }

  private loans(
    keyset: Keyset,
    where: string,
    params: unknown[],
    page: PageRequest,
    tx: Tx,
  ): Promise<Page<LoanRecord>> {
    return rawKeysetPage(
      this.cursors,
      (sql, all): Promise<(Keyed & Record<string, unknown>)[]> => tx.query(sql, all),
      keyset,
      page,
      params,
      (k) => `SELECT ${LOAN_COLUMNS}, ${k.columns} FROM loans l WHERE ${where}${k.after} ${k.tail}`,
      toLoan,
    );
  }
}
