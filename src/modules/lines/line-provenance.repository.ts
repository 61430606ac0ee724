import { Injectable } from '@nestjs/common';
import type { Tx } from '../../database/transaction.js';

/** One investor's general wallet and its balance (posted credits - posted debits - held). */
export interface GeneralWallet {
  investorId: string;
  code: string;
  available: string;
}

/**
 * Posted money between an investor's general wallet and one counterparty account: `inflow` is
 * what the counterparty credited to the wallet, `outflow` what the wallet paid it.
 */
export interface WalletFlow {
  investorId: string;
  counterparty: string;
  kind: string;
  reference: string | null;
  inflow: string;
  outflow: string;
}

const GENERAL_WALLET = '^investor:[^:]+:available$';

/**
 * What the line migration (PLAT-07) reads of the ledger, through its read views
 * (ledger_accounts_view, ledger_transfers_view of migration 1765000000000): every investor's
 * general wallet and its posted flows by counterparty. POSTED and POST rows are money that moved;
 * a PENDING hold is not (it stays on the wallet until it resolves) and a VOID moved nothing.
 */
@Injectable()
export class LineProvenanceRepository {
  async generalWallets(tx: Tx): Promise<GeneralWallet[]> {
    const rows: { code: string; available: string }[] = await tx.query(
      `SELECT code, (credits_posted - debits_posted - debits_pending)::text AS available
       FROM ledger_accounts_view WHERE code ~ $1 ORDER BY code`,
      [GENERAL_WALLET],
    );
    return rows.map((r) => ({
      investorId: r.code.split(':')[1],
      code: r.code,
      available: r.available,
    }));
  }

  /** Every posted flow of every general wallet, summed by counterparty and kind. */
  async flows(tx: Tx): Promise<WalletFlow[]> {
    const rows: {
      wallet: string;
      counterparty: string;
      kind: string;
      reference: string | null;
      inflow: string;
      outflow: string;
    }[] = await tx.query(
      `SELECT w.code AS wallet, o.code AS counterparty, t.kind,
              CASE WHEN t.kind = 'LINE_TRANSFER' THEN t.reference END AS reference,
              sum(CASE WHEN t.credit_account_id = w.id THEN t.amount ELSE 0 END)::text AS inflow,
              sum(CASE WHEN t.debit_account_id = w.id THEN t.amount ELSE 0 END)::text AS outflow
       FROM ledger_accounts_view w
       JOIN ledger_transfers_view t
         ON (t.credit_account_id = w.id OR t.debit_account_id = w.id)
        AND t.status IN ('POSTED', 'POST')
       JOIN ledger_accounts_view o
         ON o.id = CASE WHEN t.credit_account_id = w.id THEN t.debit_account_id
                        ELSE t.credit_account_id END
       WHERE w.code ~ $1
       GROUP BY 1, 2, 3, 4`,
      [GENERAL_WALLET],
    );
    return rows.map((r) => ({
      investorId: r.wallet.split(':')[1],
      counterparty: r.counterparty,
      kind: r.kind,
      reference: r.reference,
      inflow: r.inflow,
      outflow: r.outflow,
    }));
  }
}
