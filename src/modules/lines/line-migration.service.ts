import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { Money } from '../../common/money/money.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignQueries } from '../campaign/index.js';
import {
  type FinancialLine,
  isFinancialLine,
  LedgerService,
  walletAccount,
  WalletLines,
} from '../escrow-ledger/index.js';
import { LineProvenanceRepository, type WalletFlow } from './line-provenance.repository.js';

/** The reference of every transfer the migration posts (and how a re-run recognises them). */
export const MIGRATION_REFERENCE = 'lines:migrate';
/** DEBT first, then EQUITY, when a balance cannot cover both (docs/lending.md). */
const ORDER: readonly FinancialLine[] = ['DEBT', 'EQUITY'];

export interface LineMigrationReport {
  separated: boolean;
  investors: number;
  /** Investors some money moved for in this run. */
  investorsMoved: number;
  moved: Record<FinancialLine, string>;
  transfers: number;
}

/**
 * PLAT-07, turning line separation on (`npm run cli -- lines:migrate`; docs/lending.md, "Line
 * separation"): in ONE transaction, for each investor, the part of the general wallet's balance
 * that came from a financial line moves to that line's wallet by a posted LINE_TRANSFER.
 *
 *   net_L = posted credits to the general wallet from line L (refunds out of an L campaign's
 *           escrow; loan repayment distributions for DEBT)
 *         - posted debits from it into line L (settled holds for L pledges)
 *         - what earlier runs already moved to L
 *
 * A positive net_L, clamped to what is left of the available balance (DEBT first), moves; the
 * rest stays general. Idempotent: a second run finds every net_L at zero and posts nothing.
 */
@Injectable()
export class LineMigration {
  constructor(
    private readonly provenance: LineProvenanceRepository,
    private readonly ledger: LedgerService,
    private readonly lines: WalletLines,
    private readonly campaigns: CampaignQueries,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async run(actor: string): Promise<LineMigrationReport> {
    const currency = this.ledger.currency;
    const zero = Money.zero(currency);
    const report: LineMigrationReport = {
      separated: this.lines.separated,
      investors: 0,
      investorsMoved: 0,
      moved: { DEBT: zero.toString(), EQUITY: zero.toString() },
      transfers: 0,
    };
    if (!this.lines.separated) return report; // nothing to separate into
    return this.transactions.run(async (tx) => {
      const wallets = await this.provenance.generalWallets(tx);
      const flows = await this.provenance.flows(tx);
      const nets = await this.nets(flows, tx);
      const movedBefore = this.movedBefore(flows);
      const moved = { DEBT: zero, EQUITY: zero };
      report.investors = wallets.length;
      for (const w of wallets) {
        let left = Money.fromDecimalString(w.available, currency);
        let any = false;
        for (const line of ORDER) {
          const net = nets.get(`${w.investorId}:${line}`) ?? zero;
          const amount = net.lessThan(left) ? net : left;
          if (amount.isZero() || amount.isNegative()) continue;
          const before = movedBefore.get(`${w.investorId}:${line}`) ?? zero;
          await this.move(w.investorId, line, amount, before, tx);
          left = left.minus(amount);
          moved[line] = moved[line].plus(amount);
          report.transfers += 1;
          any = true;
        }
        if (any) report.investorsMoved += 1;
      }
      report.moved = { DEBT: moved.DEBT.toString(), EQUITY: moved.EQUITY.toString() };
      await this.audit.append(
        {
          occurredAt: this.clock.now(),
          actorId: null,
          action: 'LINES_MIGRATED',
          subjectType: 'ledger',
          subjectId: MIGRATION_REFERENCE,
          details: { ...report, by: actor, rule: 'PLAT-07' },
        },
        tx,
      );
      return report;
    });
  }

  /** net_L per `investorId:line`, from the general wallets' posted flows. */
  private async nets(flows: readonly WalletFlow[], tx: Tx): Promise<Map<string, Money>> {
    const currency = this.ledger.currency;
    const kinds = new Map<string, FinancialLine | null>();
    const lineOf = async (f: WalletFlow): Promise<FinancialLine | null> => {
      const [scope, id, tail, line] = f.counterparty.split(':');
      if (scope === 'loan' && tail === 'repayment') return 'DEBT';
      // The migration's own earlier moves count against net_L; a holder's own transfers do not.
      if (scope === 'investor' && f.kind === 'LINE_TRANSFER' && isFinancialLine(line ?? ''))
        return f.reference === MIGRATION_REFERENCE ? (line as FinancialLine) : null;
      if (scope !== 'campaign' || tail !== 'escrow') return null;
      if (!kinds.has(id)) {
        const kind = (await this.campaigns.find(id, tx))?.kind ?? '';
        kinds.set(id, isFinancialLine(kind) ? kind : null);
      }
      return kinds.get(id) ?? null;
    };
    const nets = new Map<string, Money>();
    for (const f of flows) {
      const line = await lineOf(f);
      if (!line) continue;
      const key = `${f.investorId}:${line}`;
      const net = Money.fromDecimalString(f.inflow, currency).minus(
        Money.fromDecimalString(f.outflow, currency),
      );
      nets.set(key, (nets.get(key) ?? Money.zero(currency)).plus(net));
    }
    return nets;
  }

  /** What earlier runs moved to each `investorId:line` (strictly grows with every run that moves). */
  private movedBefore(flows: readonly WalletFlow[]): Map<string, Money> {
    const moved = new Map<string, Money>();
    for (const f of flows.filter((x) => x.reference === MIGRATION_REFERENCE)) {
      const key = `${f.investorId}:${f.counterparty.split(':')[3]}`;
      const amount = Money.fromDecimalString(f.outflow, this.ledger.currency);
      moved.set(key, (moved.get(key) ?? Money.zero(this.ledger.currency)).plus(amount));
    }
    return moved;
  }

  private async move(
    investorId: string,
    line: FinancialLine,
    amount: Money,
    movedBefore: Money,
    tx: Tx,
  ): Promise<void> {
    const to = walletAccount(investorId, line);
    await this.ledger.openAccount(to, 'LIABILITY', this.ledger.currency, tx);
    await this.ledger.transfer(
      {
        // Keyed by what earlier runs moved: a later run that moves more gets a key of its own.
        idempotencyKey: `${MIGRATION_REFERENCE}:${investorId}:${line}:${movedBefore.toString()}`,
        kind: 'LINE_TRANSFER',
        debitAccount: walletAccount(investorId),
        creditAccount: to,
        amount,
        reference: MIGRATION_REFERENCE,
      },
      tx,
    );
  }
}
