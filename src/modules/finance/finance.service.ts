import { Injectable } from '@nestjs/common';
import {
  LedgerVerifierService,
  type VerificationReport,
} from '../escrow-ledger/ledger-verifier.service.js';
import { LedgerRepository } from '../escrow-ledger/ledger.repository.js';
import type { Block, LedgerAccount } from '../escrow-ledger/ledger.types.js';

export interface TrialBalance {
  accounts: Omit<LedgerAccount, 'id' | 'createdAt'>[];
  totals: {
    debitsPosted: string;
    creditsPosted: string;
    debitsPending: string;
    creditsPending: string;
  };
  balanced: boolean;
}

export interface SealsPage {
  blocks: (Omit<Block, 'sealedAt'> & { sealedAt: string })[];
  nextAfter: number | null;
}

/** The finance office's reads, all through the escrow ledger's queries (DESIGN §2). */
@Injectable()
export class FinanceService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly verifier: LedgerVerifierService,
  ) {}

  async trialBalance(): Promise<TrialBalance> {
    const [accounts, totals] = await Promise.all([
      this.ledger.listAccounts(),
      this.ledger.totals(),
    ]);
    return {
      accounts: accounts.map(({ id: _id, createdAt: _c, ...counters }) => counters),
      totals: {
        debitsPosted: totals.debitsPosted,
        creditsPosted: totals.creditsPosted,
        debitsPending: totals.debitsPending,
        creditsPending: totals.creditsPending,
      },
      balanced:
        totals.debitsPosted === totals.creditsPosted &&
        totals.debitsPending === totals.creditsPending,
    };
  }

  verify(): Promise<VerificationReport> {
    return this.verifier.verify();
  }

  async seals(after: number, limit: number): Promise<SealsPage> {
    const blocks = await this.ledger.listBlocks(String(after), limit);
    return {
      blocks: blocks.map((b) => ({ ...b, sealedAt: b.sealedAt.toISOString() })),
      nextAfter: blocks.length === limit ? Number(blocks.at(-1)?.height) : null,
    };
  }
}
