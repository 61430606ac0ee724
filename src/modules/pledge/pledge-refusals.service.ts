import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { rulePackConfig, type RulePackConfig } from '../../config/namespaces.js';
import { AuditService } from '../audit/index.js';
import type { PledgeStanding } from '../investor-classification/classification.service.js';
import type { PledgeCampaign } from '../campaign/index.js';
import { type PledgeAsk, refusalRules } from './pledge-admission.policy.js';

/** CONV-05: every refused pledge is recorded with its rule and what it was decided on. */
@Injectable()
export class PledgeRefusals {
  constructor(
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(rulePackConfig.KEY) private readonly pack: RulePackConfig,
  ) {}

  async record(
    investorId: string,
    campaignId: string,
    ask: PledgeAsk,
    admitted: { standing: PledgeStanding; campaign: PledgeCampaign } | undefined,
    error: unknown,
  ): Promise<void> {
    // Refusals by rule (403 access rules, 409 a stale warning, 422); not bad input or a missing id.
    const refusal = ['FORBIDDEN', 'CONFLICT', 'RULE_VIOLATION'] as const;
    if (!(error instanceof DomainError) || !(refusal as readonly string[]).includes(error.kind))
      return;
    const standing = admitted?.standing;
    await this.audit.append({
      occurredAt: this.clock.now(),
      actorId: investorId,
      action: 'pledge.refused',
      subjectType: 'campaign',
      subjectId: campaignId,
      details: {
        code: error.code,
        rules: refusalRules(error),
        campaignId,
        inputs: {
          amount: ask.amount.toString(),
          rewardTierId: ask.rewardTierId ?? null,
          specialWarning: ask.specialWarning ?? null,
          rulePack: this.pack.effectiveId,
          ...(standing
            ? {
                category: standing.category,
                qualified: standing.qualified,
                riskLevel: standing.riskLevel,
                lowestCategory: standing.lowestCategory,
                productRisk: admitted.campaign.riskRating,
                limit:
                  standing.limit.kind === 'LIMITED'
                    ? standing.limit.amount.toString()
                    : standing.limit.kind,
                limitInputs: standing.limitInputs ?? null,
              }
            : {}),
        },
        details: error.details ?? null,
      },
    });
  }
}
