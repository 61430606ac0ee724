import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { TransactionRunner, type Tx } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import type { SpecialWarningEntity } from './risk-disclosure.entities.js';
import {
  SpecialWarningNotApplicableError,
  SpecialWarningStaleError,
} from './risk-disclosure.errors.js';
import { clientTraces, levelNumber, validateLevels } from './risk-disclosure.inputs.js';
import { RiskDisclosureRepository } from './risk-disclosure.repository.js';
import {
  CURRENT_SPECIAL_WARNING_VERSION,
  sha256Hex,
  specialWarningText,
} from './risk-disclosure.texts.js';
import type {
  ClientInfo,
  InvestorRiskLevel,
  ProductRiskLevel,
  SpecialWarningText,
  SpecialWarningView,
} from './risk-disclosure.types.js';
import { toSpecialWarningView } from './risk-disclosure.views.js';

/**
 * The special written risk warning (CN-SUIT-11, 《特别风险警示书》): shown to an ordinary investor who
 * insists on a product above their tolerance, accepted by its version and the hash of its exact
 * text, and kept as suitability evidence (CN-SUIT-16, CN-SUIT-17).
 */
@Injectable()
export class SpecialWarnings {
  constructor(
    private readonly repo: RiskDisclosureRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  /**
   * CN-SUIT-11(1)-(3): the special written warning for an investor at `investorLevel` and a product
   * at `productLevel`, in the current version, with the hash of its exact text. The pledge shows it
   * in its refusal and accepts it only by this version and hash.
   */
  textFor(investorLevel: InvestorRiskLevel, productLevel: ProductRiskLevel): SpecialWarningText {
    validateLevels(investorLevel, productLevel);
    if (levelNumber(productLevel) <= levelNumber(investorLevel))
      throw new SpecialWarningNotApplicableError(investorLevel, productLevel);
    const version = CURRENT_SPECIAL_WARNING_VERSION;
    const text = specialWarningText(version, investorLevel, productLevel);
    return { version, sha256: sha256Hex(text), text, investorLevel, productLevel };
  }

  /**
   * CN-SUIT-11(4): the investor confirmed the warning they were shown (`accepted`: its version and
   * hash, which must be the current text for these levels). Stored with its hash (CN-SUIT-16, kept
   * as suitability evidence: CN-SUIT-17).
   */
  async record(
    userId: string,
    campaignId: string,
    accepted: {
      version: string;
      sha256: string;
      investorLevel: InvestorRiskLevel;
      productLevel: ProductRiskLevel;
    },
    client: ClientInfo = {},
    /** The pledge records it inside its own transaction: no warning without the pledge. */
    within?: Tx,
  ): Promise<SpecialWarningView> {
    const current = this.textFor(accepted.investorLevel, accepted.productLevel);
    if (current.version !== accepted.version || current.sha256 !== accepted.sha256)
      throw new SpecialWarningStaleError(accepted, current);
    const { investorLevel, productLevel } = accepted;
    const warning: SpecialWarningEntity = {
      id: randomUUID(),
      userId,
      campaignId,
      investorLevel,
      productLevel,
      textVersion: current.version,
      textSha256: current.sha256,
      acceptedAt: this.clock.now(),
      ...clientTraces(client),
    };
    const write = async (tx: Tx) => {
      await this.repo.insertSpecialWarning(warning, tx);
      await this.audit.append(
        {
          occurredAt: warning.acceptedAt,
          actorId: userId,
          action: 'disclosure.special_warning_accepted',
          subjectType: 'campaign',
          subjectId: campaignId,
          details: {
            rules: ['CN-SUIT-11', 'CN-SUIT-16'],
            campaignId,
            specialWarningId: warning.id,
            investorLevel,
            productLevel,
            textVersion: warning.textVersion,
            textSha256: warning.textSha256,
          },
        },
        tx,
      );
    };
    await (within ? write(within) : this.transactions.run(write));
    return toSpecialWarningView(warning);
  }

  /** The special warnings a user confirmed for a campaign, oldest first (evidence, CN-SUIT-16). */
  async listFor(userId: string, campaignId: string): Promise<SpecialWarningView[]> {
    const rows = await this.repo.listSpecialWarnings(userId, campaignId);
    return rows.map(toSpecialWarningView);
  }
}
