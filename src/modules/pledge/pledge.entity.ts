import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
  Unique,
} from 'typeorm';
import { CampaignEntity, RewardTierEntity } from '../campaign/campaign.entities.js';
import { UserEntity } from '../identity/user.entity.js';
import type { PledgeStatus, ResumableStatus } from './pledge.state.js';

/** Why the pledge was admitted: kept as evidence (CONV-05, CN-SUIT-16/17). */
export interface PledgeEvidence {
  rulePack: string;
  decidedAt: string;
  suitability: string;
  category: string;
  qualified: boolean;
  riskLevel: string | null;
  lowestCategory: boolean;
  productRisk: string | null;
  assessmentId: string | null;
  annualLimit: string;
  /** The limit decision's inputs (declared figures, the pack's formula and window): CONV-05. */
  limitInputs?: {
    formula: string;
    offering: string;
    annualIncome: string;
    financialAssets: string;
    netWorth: string;
    declared: boolean;
    windowDays: number;
  } | null;
  usedBefore: string;
  platformAcknowledgementId: string;
  campaignAcknowledgementId: string;
  /** Issue 15: a follower's acknowledgement of the lead's memo (absent: no lead, or older pledges). */
  leadMemoAcknowledgementId?: string | null;
  specialWarningId: string | null;
  /** CN-SUIT-11/16: the special warning accepted, by version and hash of its exact text. */
  specialWarning?: { id: string; version: string; sha256: string } | null;
  /** CN-PF-06/07: the windows the pledge started with. */
  windows?: { coolingOffEndsAt: string | null; confirmationRequired: boolean };
  rules: string[];
}

export { LIVE_PLEDGE_STATUSES, type PledgeStatus } from './pledge.state.js';

@Entity('pledges')
@Check(
  'pledges_reconfirmation_check',
  `("status" = 'AWAITING_RECONFIRMATION') = ("reconfirm_by" IS NOT NULL AND "resume_status" IS NOT NULL) AND ("resume_status" IS NULL OR "resume_status" IN ('COOLING_OFF', 'AWAITING_CONFIRMATION', 'ACTIVE'))`,
)
@Unique('pledges_hold_transfer_id_key', ['holdTransferId'])
// (investor_id, created_at, id) INCLUDE (amount, status, financial): the rolling-limit read is an
// index-only scan (migration 1766050000000); TypeORM cannot declare INCLUDE, so it leaves it be.
@Index('pledges_investor_idx', { synchronize: false })
@Index('pledges_campaign_status_idx', ['campaignId', 'status', 'createdAt', 'id'])
@Index('pledges_investor_campaign_idx', ['investorId', 'campaignId'])
// Only the pledges in their windows: the sweeps and the call queue ask for nothing else, and the
// rolling-limit read cannot pair it with pledges_investor_idx (migration 1765980000000).
@Index('pledges_call_queue_idx', ['status', 'coolingOffEndsAt', 'id'], {
  where: `"status" IN ('COOLING_OFF', 'AWAITING_CONFIRMATION')`,
})
// The reconfirmation sweep's pledges (CN-SUIT-14), those awaiting reconfirmation (migration 1766000000000).
@Index('pledges_reconfirm_due_idx', ['reconfirmBy', 'id'], { where: `"reconfirm_by" IS NOT NULL` })
@Check('pledges_amount_check', `"amount" > 0`)
@Check(
  'pledges_status_check',
  `"status" IN ('COOLING_OFF', 'AWAITING_CONFIRMATION', 'ACTIVE', 'AWAITING_RECONFIRMATION', 'SETTLED', 'CANCELLED', 'REFUNDED')`,
)
@Check(
  'pledges_ended_check',
  `("status" IN ('SETTLED', 'CANCELLED', 'REFUNDED')) = ("ended_at" IS NOT NULL)`,
)
export class PledgeEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') campaignId: string;

  @ManyToOne(() => CampaignEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'pledges_campaign_id_fkey' })
  campaign?: Relation<CampaignEntity>;

  @Column('uuid') investorId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'investor_id', foreignKeyConstraintName: 'pledges_investor_id_fkey' })
  investor?: Relation<UserEntity>;

  @Column('numeric', { precision: 20, scale: 2 }) amount: string;
  @Column('char', { length: 3 }) currency: string;
  @Column('uuid', { nullable: true }) rewardTierId: string | null;
  /** An equity or debt pledge (an investment): only these count toward the limit (INV-9). */
  @Column('boolean') financial: boolean;

  @ManyToOne(() => RewardTierEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reward_tier_id', foreignKeyConstraintName: 'pledges_reward_tier_id_fkey' })
  rewardTier?: Relation<RewardTierEntity>;

  @Column('text') status: PledgeStatus;
  /** The ledger hold, written in the same transaction as this row. */
  @Column('uuid') holdTransferId: string;
  @Column('timestamptz', { nullable: true }) coolingOffEndsAt: Date | null;
  @Column('boolean') confirmationRequired: boolean;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
  @Column('timestamptz', { nullable: true }) endedAt: Date | null;
  /** Set while AWAITING_RECONFIRMATION: the deadline, and the status a reconfirmation returns to. */
  @Column('timestamptz', { nullable: true }) reconfirmBy: Date | null;
  @Column('text', { nullable: true }) resumeStatus: ResumableStatus | null;
}

/**
 * Why a pledge was admitted (CONV-05, CN-SUIT-16/17), written with it and never changed: in a table
 * of its own so that the pledge's row, rewritten at every transition (settling rewrites 100,000 at
 * once), stays narrow (issue 18, migration 1766110000000).
 */
@Entity('pledge_evidence')
export class PledgeEvidenceEntity {
  @PrimaryColumn('uuid') pledgeId: string;

  @ManyToOne(() => PledgeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'pledge_id', foreignKeyConstraintName: 'pledge_evidence_pledge_id_fkey' })
  pledge?: Relation<PledgeEntity>;

  @Column('jsonb') evidence: PledgeEvidence;
}

/** CN-PF-07: one recorded confirmation call. */
@Entity('confirmation_calls')
@Index('confirmation_calls_pledge_idx', ['pledgeId', 'calledAt'])
@Check('confirmation_calls_outcome_check', `"outcome" IN ('CONFIRMED', 'RESCINDED', 'UNREACHABLE')`)
export class ConfirmationCallEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') pledgeId: string;

  @ManyToOne(() => PledgeEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'pledge_id', foreignKeyConstraintName: 'confirmation_calls_pledge_id_fkey' })
  pledge?: Relation<PledgeEntity>;

  @Column('uuid') adminId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'admin_id', foreignKeyConstraintName: 'confirmation_calls_admin_id_fkey' })
  admin?: Relation<UserEntity>;

  @Column('text') outcome: 'CONFIRMED' | 'RESCINDED' | 'UNREACHABLE';
  @Column('text') notes: string;
  @Column('timestamptz') calledAt: Date;
}

/** A material disclosure version whose reconfirmation requests were made (once per version). */
@Entity('material_change_applications')
@Check('material_change_applications_pledges_check', `"pledges" >= 0`)
export class MaterialChangeApplicationEntity {
  @PrimaryColumn('uuid') campaignId: string;
  @PrimaryColumn('integer') version: number;

  @ManyToOne(() => CampaignEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'campaign_id',
    foreignKeyConstraintName: 'material_change_applications_campaign_id_fkey',
  })
  campaign?: Relation<CampaignEntity>;

  @Column('timestamptz') publishedAt: Date;
  @Column('timestamptz') appliedAt: Date;
  @Column('integer') pledges: number;
}
