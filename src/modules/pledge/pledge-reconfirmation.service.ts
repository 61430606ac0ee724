import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { NOTICES, type NoticeSink } from '../../common/notices/notices.port.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import { TransactionRunner } from '../../database/transaction.js';
import { AuditService } from '../audit/index.js';
import { RiskDisclosureService } from '../risk-disclosure/risk-disclosure.service.js';
import type { MaterialDisclosureChange } from '../risk-disclosure/risk-disclosure.types.js';
import { PledgeEnding } from './pledge-ending.service.js';
import { MaterialChangesRepository } from './material-changes.repository.js';
import { PledgeRepository } from './pledge.repository.js';
import { nextPledgeStatus, type ResumableStatus, statusesFor } from './pledge.state.js';

const HOUR_MS = 3_600_000;

/**
 * Material changes (CN-SUIT-14, US-CF-14): every live pledge of the campaign waits for its
 * investor to acknowledge the new version and reconfirm, or is cancelled (money back) when the
 * window (reconfirmationWindowHours from publication) ends. Applied exactly once per version, in
 * one transaction, whether from the in-process event or from the sweep.
 */
@Injectable()
export class PledgeReconfirmations {
  constructor(
    private readonly pledges: PledgeRepository,
    private readonly changes: MaterialChangesRepository,
    private readonly ending: PledgeEnding,
    private readonly disclosures: RiskDisclosureService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
    @Inject(NOTICES) private readonly notices: NoticeSink,
  ) {}

  async onMaterialChange(change: MaterialDisclosureChange): Promise<number | null> {
    const by = new Date(
      change.publishedAt.getTime() + this.pack.parameters.reconfirmationWindowHours * HOUR_MS,
    );
    const from = statusesFor('MATERIAL_CHANGE') as ResumableStatus[];
    const to = nextPledgeStatus(
      { status: from[0], confirmationRequired: false, resumeStatus: null },
      'MATERIAL_CHANGE',
    );
    if (to === null) throw new Error('MATERIAL_CHANGE moves nothing');
    return this.transactions.run(async (tx) => {
      const now = this.clock.now();
      if (!(await this.changes.claimMaterialChange(change, now, tx))) return null;
      const marked = await this.changes.markForReconfirmation(
        change.campaignId,
        change.publishedAt,
        from,
        to,
        by,
        now,
        tx,
      );
      await this.changes.recordMaterialChangePledges(
        change.campaignId,
        change.version,
        marked.length,
        tx,
      );
      await this.audit.append(
        {
          occurredAt: now,
          actorId: null,
          action: 'pledge.reconfirmation_requested',
          subjectType: 'campaign',
          subjectId: change.campaignId,
          details: {
            version: change.version,
            pledges: marked.length,
            reconfirmBy: by.toISOString(),
            rules: ['CN-SUIT-14', 'US-CF-14'],
          },
        },
        tx,
      );
      await this.notices.record(
        marked.map((p) => ({
          recipientId: p.investorId,
          type: 'pledge.reconfirmation_required' as const,
          campaignId: change.campaignId,
          params: {
            pledgeId: p.id,
            amount: p.amount,
            currency: p.currency,
            disclosureVersion: change.version,
            deadline: by.toISOString(),
          },
          dedupeKey: `pledge:${p.id}:reconfirm:${change.version}`,
        })),
        tx,
      );
      return marked.length;
    });
  }

  /**
   * The sweep's side of material changes: any version published within the reconfirmation window
   * (twice over, for an outage) that no event applied, because the process died in between.
   */
  async applyMissed(): Promise<number> {
    const since = new Date(
      this.clock.now().getTime() - 2 * this.pack.parameters.reconfirmationWindowHours * HOUR_MS,
    );
    const missed = await this.changes.unappliedMaterialChanges(
      await this.disclosures.recentMaterialChanges(since),
    );
    let applied = 0;
    for (const change of missed) if ((await this.onMaterialChange(change)) !== null) applied++;
    return applied;
  }

  /** Sweep (US-CF-14: silence cancels): pledges not reconfirmed in time, money back. */
  async cancelExpired(limit = 2000): Promise<number> {
    return this.transactions.run(async (tx) => {
      const now = this.clock.now();
      const due = await this.pledges.lockExpiredReconfirmations(
        statusesFor('RECONFIRMATION_EXPIRED'),
        now,
        limit,
        tx,
      );
      await this.pledges.lockInvestors(
        due.map((p) => p.investorId),
        tx,
      );
      const ended = await this.ending.end(
        due,
        'RECONFIRMATION_EXPIRED',
        { id: null, action: 'pledge.reconfirmation_expired', reason: 'not reconfirmed in time' },
        tx,
      );
      return ended.length;
    });
  }
}
