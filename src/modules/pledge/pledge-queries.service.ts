import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../../common/errors/domain-error.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { RiskDisclosureService } from '../risk-disclosure/risk-disclosure.service.js';
import { SpecialWarnings } from '../risk-disclosure/special-warnings.service.js';
import type {
  AcknowledgementEvidence,
  SpecialWarningView,
} from '../risk-disclosure/risk-disclosure.types.js';
import type { PledgeEvidence } from './pledge.entity.js';
import { ConfirmationCallsRepository } from './confirmation-calls.repository.js';
import { PledgeRepository } from './pledge.repository.js';
import { type PledgeView, toPledgeView } from './pledge.view.js';

export interface PledgeEvidenceView {
  pledge: PledgeView;
  investorId: string;
  /** The suitability and limit decisions with their inputs and rule pack (CONV-05, CN-SUIT-16/17). */
  decision: PledgeEvidence;
  /** Each acknowledgement behind the decision: kind, version, document hash, time (CN-SUIT-16). */
  acknowledgements: AcknowledgementEvidence[];
  specialWarnings: SpecialWarningView[];
  confirmationCalls: {
    id: string;
    adminId: string;
    outcome: string;
    notes: string;
    calledAt: string;
  }[];
}

/** Reads of pledges: the investor's own, and the evidence staff review. */
@Injectable()
export class PledgeQueries {
  constructor(
    private readonly pledges: PledgeRepository,
    private readonly callLog: ConfirmationCallsRepository,
    private readonly disclosures: RiskDisclosureService,
    private readonly warnings: SpecialWarnings,
  ) {}

  /** Own pledges, newest first, one cursor page at a time (issue 16). */
  list(investorId: string, page: { cursor?: string; limit: number }): Promise<Page<PledgeView>> {
    return this.pledges.listForInvestor(investorId, page, toPledgeView);
  }

  async get(investorId: string, pledgeId: string): Promise<PledgeView> {
    const pledge = await this.pledges.find(pledgeId);
    if (!pledge || pledge.investorId !== investorId) throw new NotFoundError('Pledge');
    return toPledgeView(pledge);
  }

  /** Everything that admitted the pledge and happened to it since (CN-SUIT-16/17, CONV-05). */
  async evidence(pledgeId: string): Promise<PledgeEvidenceView> {
    const [pledge, decision] = await Promise.all([
      this.pledges.find(pledgeId),
      this.pledges.evidence(pledgeId),
    ]);
    if (!pledge || !decision) throw new NotFoundError('Pledge');
    const [calls, warnings, acknowledgements] = await Promise.all([
      this.callLog.calls(pledgeId),
      this.warnings.listFor(pledge.investorId, pledge.campaignId),
      this.disclosures.acknowledgementEvidence(
        [
          decision.platformAcknowledgementId,
          decision.campaignAcknowledgementId,
          decision.leadMemoAcknowledgementId,
        ].filter((id): id is string => typeof id === 'string'),
      ),
    ]);
    return {
      pledge: toPledgeView(pledge),
      investorId: pledge.investorId,
      decision,
      acknowledgements,
      specialWarnings: warnings,
      confirmationCalls: calls.map((c) => ({
        id: c.id,
        adminId: c.adminId,
        outcome: c.outcome,
        notes: c.notes,
        calledAt: c.calledAt.toISOString(),
      })),
    };
  }
}
