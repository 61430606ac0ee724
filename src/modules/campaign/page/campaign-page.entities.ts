import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { UserEntity } from '../../identity/user.entity.js';
import { CampaignEntity } from '../campaign.entities.js';

/** An uploaded image, named by the SHA-256 of its bytes (the bytes are in the media store). */
@Entity('media')
@Check('media_sha256_check', `"sha256" ~ '^[0-9a-f]{64}$'`)
@Check(
  'media_content_type_check',
  `"content_type" IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')`,
)
@Check('media_size_check', `"byte_size" > 0 AND "width" > 0 AND "height" > 0`)
export class MediaEntity {
  @PrimaryColumn('char', { length: 64 }) sha256: string;
  @Column('text') contentType: string;
  @Column('integer') byteSize: number;
  @Column('integer') width: number;
  @Column('integer') height: number;
  @Column('uuid') uploadedBy: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'uploaded_by', foreignKeyConstraintName: 'media_uploaded_by_fkey' })
  uploader?: Relation<UserEntity>;

  @Column('timestamptz') createdAt: Date;
}

export interface FaqEntry {
  question: string;
  answer: string;
}

export interface TeamMember {
  name: string;
  role: string;
  bio: string;
}

/**
 * What a campaign's page says beyond its terms (issue 16). One row per campaign, created by a
 * trigger when the campaign is; `searchText` and `searchBigrams` are the trigger's (never written
 * by the application).
 */
@Entity('campaign_content')
@Index('campaign_content_category_idx', ['category', 'campaignId'])
@Index('campaign_content_search_bigrams_idx', { synchronize: false })
@Check(
  'campaign_content_category_check',
  `"category" IS NULL OR "category" IN ('TECHNOLOGY', 'DESIGN', 'FOOD', 'CULTURE', 'AGRICULTURE', 'HEALTH', 'EDUCATION', 'ENVIRONMENT', 'COMMUNITY', 'CHARITY', 'BUSINESS', 'OTHER')`,
)
@Check('campaign_content_city_code_check', `"city_code" IS NULL OR "city_code" ~ '^[1-8][0-9]{5}$'`)
@Check('campaign_content_story_check', `char_length("story") <= 20000`)
export class CampaignContentEntity {
  @PrimaryColumn('uuid') campaignId: string;

  @OneToOne(() => CampaignEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'campaign_id',
    foreignKeyConstraintName: 'campaign_content_campaign_id_fkey',
  })
  campaign?: Relation<CampaignEntity>;

  @Column('text') story: string;
  @Column('text', { nullable: true }) category: string | null;
  @Column('char', { length: 6, nullable: true }) cityCode: string | null;
  @Column('char', { length: 64, nullable: true }) coverMediaId: string | null;

  @ManyToOne(() => MediaEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'cover_media_id',
    foreignKeyConstraintName: 'campaign_content_cover_media_id_fkey',
  })
  cover?: Relation<MediaEntity>;

  /** SHA-256 names of the gallery images, in display order. */
  @Column('jsonb') gallery: string[];
  @Column('jsonb') faq: FaqEntry[];
  @Column('jsonb') team: TeamMember[];
  @Column({ type: 'text', select: false, insert: false, update: false }) searchText: string;
  @Column({ type: 'text', select: false, insert: false, update: false }) searchBigrams: string;
  @Column('timestamptz') updatedAt: Date;
}

/** A backer's question on a campaign, the founder's public answer, and ADMIN's moderation. */
@Entity('campaign_questions')
@Index('campaign_questions_campaign_idx', { synchronize: false })
@Check('campaign_questions_body_check', `char_length("body") BETWEEN 1 AND 2000`)
@Check(
  'campaign_questions_answer_check',
  `("answer" IS NULL) = ("answered_at" IS NULL) AND ("answer" IS NULL) = ("answered_by" IS NULL) AND ("answer" IS NULL OR char_length("answer") BETWEEN 1 AND 5000)`,
)
@Check(
  'campaign_questions_hidden_check',
  `("hidden_at" IS NULL) = ("hidden_by" IS NULL) AND ("hidden_at" IS NULL) = ("hidden_reason" IS NULL)`,
)
export class CampaignQuestionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') campaignId: string;

  @ManyToOne(() => CampaignEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'campaign_id',
    foreignKeyConstraintName: 'campaign_questions_campaign_id_fkey',
  })
  campaign?: Relation<CampaignEntity>;

  @Column('uuid') askerId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'asker_id', foreignKeyConstraintName: 'campaign_questions_asker_id_fkey' })
  asker?: Relation<UserEntity>;

  @Column('text') body: string;
  @Column('timestamptz') createdAt: Date;
  @Column('text', { nullable: true }) answer: string | null;
  @Column('uuid', { nullable: true }) answeredBy: string | null;
  @Column('timestamptz', { nullable: true }) answeredAt: Date | null;
  @Column('timestamptz', { nullable: true }) hiddenAt: Date | null;
  @Column('uuid', { nullable: true }) hiddenBy: string | null;
  @Column('text', { nullable: true }) hiddenReason: string | null;
}

export const CAMPAIGN_PAGE_ENTITIES = [MediaEntity, CampaignContentEntity, CampaignQuestionEntity];
