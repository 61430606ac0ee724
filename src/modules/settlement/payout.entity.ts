import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { CampaignEntity } from '../campaign/campaign.entities.js';
import { UserEntity } from '../identity/user.entity.js';

@Entity('payouts')
@Index('payouts_campaign_idx', ['campaignId'])
@Index('payouts_queue_idx', ['status', 'requestedAt', 'id']) // the approval queue's keyset
// A campaign may be paid in rounds (the released holdback later), one REQUESTED at a time.
@Index('payouts_campaign_id_requested_key', ['campaignId'], {
  unique: true,
  where: `"status" = 'REQUESTED'`,
})
@Check('payouts_amount_check', `"amount" > 0`)
@Check('payouts_status_check', `"status" IN ('REQUESTED', 'APPROVED', 'REJECTED')`)
@Check(
  'payouts_decision_check',
  `("status" = 'REQUESTED') = ("decided_by" IS NULL) AND ("status" = 'APPROVED') = ("hold_transfer_id" IS NOT NULL)`,
)
@Check('payouts_maker_checker_check', `"decided_by" IS NULL OR "decided_by" <> "founder_id"`)
export class PayoutEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') campaignId: string;

  @ManyToOne(() => CampaignEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'campaign_id', foreignKeyConstraintName: 'payouts_campaign_id_fkey' })
  campaign?: Relation<CampaignEntity>;

  @Column('uuid') founderId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'founder_id', foreignKeyConstraintName: 'payouts_founder_id_fkey' })
  founder?: Relation<UserEntity>;

  @Column('numeric', { precision: 20, scale: 2 }) amount: string;
  @Column('char', { length: 3 }) currency: string;
  @Column('text') status: 'REQUESTED' | 'APPROVED' | 'REJECTED';
  @Column('timestamptz') requestedAt: Date;
  @Column('uuid', { nullable: true }) decidedBy: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'decided_by', foreignKeyConstraintName: 'payouts_decided_by_fkey' })
  decider?: Relation<UserEntity>;

  @Column('timestamptz', { nullable: true }) decidedAt: Date | null;
  @Column('text', { nullable: true }) reason: string | null;
  /** The ledger hold founder payable -> custody, resolved by the bank's PAYOUT_SETTLED/FAILED notice. */
  @Column('uuid', { nullable: true }) holdTransferId: string | null;
}
