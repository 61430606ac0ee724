import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  type Relation,
  Unique,
} from 'typeorm';
import { UserEntity } from '../identity/user.entity.js';
import type { CampaignStatus } from './campaign.state.js';
import type { CampaignKind, CampaignOffering, FundingModel, RiskRating } from './campaign.types.js';

@Entity('campaigns')
@Index('campaigns_status_kind_idx', ['status', 'kind', 'createdAt'])
@Index('campaigns_founder_idx', ['founderId', 'createdAt'])
// The sort orders of GET /campaigns (migration 1765500000000; descending and expression keys).
@Index('campaigns_sort_newest_idx', { synchronize: false })
@Index('campaigns_sort_ending_idx', { synchronize: false })
@Index('campaigns_sort_most_funded_idx', { synchronize: false })
@Index('campaigns_sort_progress_idx', { synchronize: false })
@Check('campaigns_kind_check', `"kind" IN ('EQUITY', 'DEBT', 'REWARD', 'DONATION')`)
@Check(
  'campaigns_offering_check',
  `("kind" IN ('EQUITY', 'DEBT')) = ("offering" IS NOT NULL) AND ("offering" IS NULL OR "offering" IN ('PUBLIC', 'PRIVATE'))`,
)
@Check(
  'campaigns_funding_model_check',
  `"funding_model" = 'ALL_OR_NOTHING' OR ("funding_model" = 'FLEXIBLE' AND "kind" IN ('REWARD', 'DONATION'))`,
)
@Check(
  'campaigns_status_check',
  `"status" IN ('DRAFT', 'PENDING_REVIEW', 'LIVE', 'REJECTED', 'CLOSING', 'SETTLED', 'FAILED', 'REFUNDED', 'CANCELLED', 'SUSPENDED')`,
)
@Check(
  'campaigns_amounts_check',
  `"target_amount" > 0 AND "max_amount" >= "target_amount" AND "min_pledge" > 0 AND "min_pledge" <= "max_amount" AND ("max_pledge" IS NULL OR "max_pledge" >= "min_pledge")`,
)
@Check(
  'campaigns_unit_price_check',
  `("kind" = 'EQUITY') = ("unit_price" IS NOT NULL) AND ("unit_price" IS NULL OR "unit_price" > 0)`,
)
// CN-SUIT-08/20: every campaign that went live carries the rating the platform gave it.
@Check(
  'campaigns_risk_rating_check',
  `("risk_rating" IS NULL OR "risk_rating" IN ('R1', 'R2', 'R3', 'R4', 'R5')) AND ("risk_rating" IS NOT NULL OR "status" IN ('DRAFT', 'PENDING_REVIEW', 'REJECTED', 'CANCELLED'))`,
)
@Check(
  'campaigns_proposed_risk_rating_check',
  `"proposed_risk_rating" IS NULL OR ("kind" IN ('EQUITY', 'DEBT') AND "proposed_risk_rating" IN ('R1', 'R2', 'R3', 'R4', 'R5'))`,
)
@Check(
  'campaigns_investor_cap_check',
  `("offering" = 'PRIVATE') = ("investor_cap" IS NOT NULL) AND ("investor_cap" IS NULL OR "investor_cap" BETWEEN 1 AND 200)`,
)
@Check('campaigns_fee_rate_check', `"fee_rate" >= 0 AND "fee_rate" < 1`)
@Check('campaigns_committed_check', `"committed" >= 0 AND "committed" <= "max_amount"`)
@Check(
  'campaigns_investor_count_check',
  `"investor_count" >= 0 AND ("investor_cap" IS NULL OR "investor_count" <= "investor_cap")`,
)
export class CampaignEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') founderId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'founder_id', foreignKeyConstraintName: 'campaigns_founder_id_fkey' })
  founder?: Relation<UserEntity>;

  @Column('text') kind: CampaignKind;
  @Column('text', { nullable: true }) offering: CampaignOffering | null;
  @Column('text') fundingModel: FundingModel;
  @Column('text') title: string;
  @Column('text') summary: string;
  @Column('char', { length: 3 }) currency: string;
  @Column('numeric', { precision: 20, scale: 2 }) targetAmount: string;
  @Column('numeric', { precision: 20, scale: 2 }) maxAmount: string;
  @Column('numeric', { precision: 20, scale: 2 }) minPledge: string;
  @Column('numeric', { precision: 20, scale: 2, nullable: true }) maxPledge: string | null;
  @Column('numeric', { precision: 20, scale: 2, nullable: true }) unitPrice: string | null;
  @Column('timestamptz') deadline: Date;
  /** The platform's rating, set by ADMIN at approval (CN-SUIT-08/20); null until then. */
  @Column('text', { nullable: true }) riskRating: RiskRating | null;
  /** The founder's proposal (equity and debt only); advisory. */
  @Column('text', { nullable: true }) proposedRiskRating: RiskRating | null;
  @Column('text', { nullable: true }) ratingReason: string | null;
  @Column('integer', { nullable: true }) investorCap: number | null;
  @Column('numeric', { precision: 6, scale: 5 }) feeRate: string;
  @Column('text') status: CampaignStatus;
  @Column('numeric', { precision: 20, scale: 2 }) committed: string;
  @Column('integer') investorCount: number;
  @Column('text', { nullable: true }) rejectionReason: string | null;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
  @Column('timestamptz', { nullable: true }) publishedAt: Date | null;
}

@Entity('reward_tiers')
@Unique('reward_tiers_campaign_position_key', ['campaignId', 'position'])
@Check('reward_tiers_amount_check', `"amount" > 0`)
@Check('reward_tiers_stock_check', `"stock" > 0 AND "claimed" >= 0 AND "claimed" <= "stock"`)
export class RewardTierEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') campaignId: string;

  @ManyToOne(() => CampaignEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'reward_tiers_campaign_id_fkey' })
  campaign?: Relation<CampaignEntity>;

  @Column('integer') position: number;
  @Column('text') title: string;
  @Column('numeric', { precision: 20, scale: 2 }) amount: string;
  @Column('integer') stock: number;
  @Column('integer') claimed: number;
}

/** Who moved a campaign from where to where, when and why (append-only). */
@Entity('campaign_transitions')
@Index('campaign_transitions_campaign_idx', ['campaignId', 'id'])
export class CampaignTransitionEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid') campaignId: string;

  @ManyToOne(() => CampaignEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'campaign_id',
    foreignKeyConstraintName: 'campaign_transitions_campaign_id_fkey',
  })
  campaign?: Relation<CampaignEntity>;

  @Column('text', { nullable: true }) fromStatus: CampaignStatus | null;
  @Column('text') toStatus: CampaignStatus;
  @Column('uuid', { nullable: true }) actorId: string | null;
  @Column('text', { nullable: true }) reason: string | null;
  /** What else the transition decided (e.g. the rating at approval, the credit record behind a suspension). */
  @Column('jsonb') details: Record<string, unknown>;
  @Column('timestamptz') occurredAt: Date;
}

@Entity('campaign_updates')
@Index('campaign_updates_campaign_idx', ['campaignId', 'createdAt', 'id'])
export class CampaignUpdateEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') campaignId: string;

  @ManyToOne(() => CampaignEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'campaign_id',
    foreignKeyConstraintName: 'campaign_updates_campaign_id_fkey',
  })
  campaign?: Relation<CampaignEntity>;

  @Column('uuid') authorId: string;
  @Column('text') title: string;
  @Column('text') body: string;
  @Column('timestamptz') createdAt: Date;
}

/** PLAT-08: organisations an ADMIN verified as charities with public-fundraising qualification. */
@Entity('charity_qualifications')
export class CharityQualificationEntity {
  @PrimaryColumn('uuid') userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'charity_qualifications_user_id_fkey' })
  user?: Relation<UserEntity>;

  @Column('text') certificateReference: string;
  @Column('uuid') qualifiedBy: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'qualified_by',
    foreignKeyConstraintName: 'charity_qualifications_qualified_by_fkey',
  })
  qualifier?: Relation<UserEntity>;

  @Column('timestamptz') qualifiedAt: Date;
}

/** Every TypeORM entity of the campaign module (registered in src/database/entities.ts). */
export const CAMPAIGN_ENTITIES = [
  CampaignEntity,
  RewardTierEntity,
  CampaignTransitionEntity,
  CampaignUpdateEntity,
  CharityQualificationEntity,
];
