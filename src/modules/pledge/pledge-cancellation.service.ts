import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth.decorators.js';
import { Clock } from '../../common/clock/clock.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { CampaignQueries } from '../campaign/index.js';
import { IdempotencyService, requestHash } from '../escrow-ledger/idempotency.service.js';
import { RiskDisclosureService } from '../risk-disclosure/risk-disclosure.service.js';
import { PledgeEnding } from './pledge-ending.service.js';
import { PledgeErrors } from './pledge.errors.js';
import { PledgeRepository, toDuePledge } from './pledge.repository.js';
import { cancellable, canReconfirm, nextPledgeStatus, statusesFor } from './pledge.state.js';
import { type PledgeView, toPledgeView } from './pledge.view.js';

/**
 * The investor's own decisions after placing a pledge: cancel it while the rules allow
 * (`cancellable`: cooling-off CN-PF-06, rescission CN-PF-08, the pack's rule for ACTIVE pledges
 * US-CF-12), or keep it after a material change by reconfirming inside the window (CN-SUIT-14).
 */
@Injectable()
export class PledgeCancellation {
  constructor(
    private readonly pledges: PledgeRepository,
    private readonly campaigns: CampaignQueries,
    private readonly ending: PledgeEnding,
    private readonly disclosures: RiskDisclosureService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
  ) {}

  async cancel(
    investor: AuthUser,
    pledgeId: string,
    key: string,
  ): Promise<{ body: PledgeView; replayed: boolean }> {
    const hash = requestHash({ route: 'POST /pledges/:id/cancel', pledgeId });
    return this.idempotency.execute(`pledge-cancel:${investor.id}`, key, hash, async (tx) => {
      const pledge = await this.pledges.lock(pledgeId, tx);
      if (!pledge || pledge.investorId !== investor.id) throw new NotFoundError('Pledge');
      const campaign = await this.campaigns.find(pledge.campaignId, tx);
      if (!campaign) throw new NotFoundError('Campaign');
      const decision = cancellable(pledge, campaign, this.pack.parameters, this.clock.now());
      if (!decision.cancellable) throw PledgeErrors.notCancellable(pledge.status, decision.reason);
      await this.pledges.lockInvestors([pledge.investorId], tx); // INV-7, before money moves
      await this.ending.end(
        [toDuePledge(pledge)],
        'CANCEL',
        { id: investor.id, action: 'pledge.cancelled' },
        tx,
      );
      const ended = await this.pledges.find(pledgeId, tx);
      if (!ended) throw new NotFoundError('Pledge');
      return toPledgeView(ended);
    });
  }

  /** CN-SUIT-14: the investor acknowledged the new version and keeps the pledge. */
  async reconfirm(investor: AuthUser, pledgeId: string): Promise<PledgeView> {
    const before = await this.pledges.find(pledgeId);
    if (!before || before.investorId !== investor.id) throw new NotFoundError('Pledge');
    await this.disclosures.requireCurrentAcknowledgements(investor.id, before.campaignId);
    return this.transactions.run(async (tx) => {
      const pledge = await this.pledges.lock(pledgeId, tx);
      const now = this.clock.now();
      if (!pledge || !canReconfirm(pledge, now))
        throw PledgeErrors.notAwaitingReconfirmation(pledge?.status ?? 'UNKNOWN');
      const to = nextPledgeStatus(pledge, 'RECONFIRM');
      if (to === null) throw PledgeErrors.notAwaitingReconfirmation(pledge.status);
      await this.pledges.transition([pledgeId], statusesFor('RECONFIRM'), to, now, tx);
      await this.audit.append(
        {
          occurredAt: now,
          actorId: investor.id,
          action: 'pledge.reconfirmed',
          subjectType: 'pledge',
          subjectId: pledgeId,
          details: { status: to, campaignId: pledge.campaignId, rules: ['CN-SUIT-14', 'US-CF-14'] },
        },
        tx,
      );
      const kept = await this.pledges.find(pledgeId, tx);
      if (!kept) throw new NotFoundError('Pledge');
      return toPledgeView(kept);
    });
  }
}
