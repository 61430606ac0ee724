import {
  Check,
  Column,
  Entity,
  ForeignKey,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
  Unique,
} from 'typeorm';
import { UserEntity } from '../identity/user.entity.js';
import type {
  DisclosureScope,
  InvestorRiskLevel,
  ProductRiskLevel,
} from './risk-disclosure.types.js';

/**
 * Foreign keys to `campaigns` name the table, not the campaign module's entity class: the campaign
 * module builds on this one, so importing it here would point the dependency the wrong way.
 */
const campaignForeignKey = (name: string): PropertyDecorator =>
  ForeignKey('campaigns', 'id', { name, onDelete: 'RESTRICT' });

/**
 * The platform's general 风险揭示书 (one row, scope PLATFORM), one campaign's disclosure, or the
 * lead investor's memo on a campaign (LEAD_MEMO, issue 15).
 */
@Entity('disclosure_documents')
@Unique('disclosure_documents_scope_campaign_key', ['scope', 'campaignId'])
@Index('disclosure_documents_one_platform', ['scope'], {
  unique: true,
  where: `"scope" = 'PLATFORM'`,
})
@Check('disclosure_documents_scope_check', `"scope" IN ('PLATFORM', 'CAMPAIGN', 'LEAD_MEMO')`)
@Check(
  'disclosure_documents_campaign_check',
  `("scope" <> 'PLATFORM') = ("campaign_id" IS NOT NULL)`,
)
export class DisclosureDocumentEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  scope: DisclosureScope;

  @Column('uuid', { nullable: true })
  @campaignForeignKey('disclosure_documents_campaign_id_fkey')
  campaignId: string | null;

  @Column('timestamptz')
  createdAt: Date;
}

/**
 * One published version; append-only (a trigger rejects UPDATE and DELETE). The database checks
 * that `sha256` is the SHA-256 of the exact UTF-8 body (CN-SUIT-16: what was shown can be proven).
 */
@Entity('disclosure_versions')
@Check('disclosure_versions_version_check', `"version" >= 1`)
@Check('disclosure_versions_title_check', `length("title") BETWEEN 1 AND 200`)
@Check('disclosure_versions_body_check', `length("body") >= 1`)
@Check('disclosure_versions_sha256_check', `"sha256" ~ '^[0-9a-f]{64}$'`)
@Check(
  'disclosure_versions_sha256_body_check',
  `"sha256" = encode(sha256(convert_to("body", 'UTF8')), 'hex')`,
)
export class DisclosureVersionEntity {
  @PrimaryColumn('uuid')
  documentId: string;

  @ManyToOne(() => DisclosureDocumentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'document_id',
    foreignKeyConstraintName: 'disclosure_versions_document_id_fkey',
  })
  document?: Relation<DisclosureDocumentEntity>;

  @PrimaryColumn('integer')
  version: number;

  @Column('text')
  title: string;

  @Column('text')
  body: string;

  @Column('char', { length: 64 })
  sha256: string;

  @Column('boolean')
  material: boolean;

  @Column('uuid', { nullable: true })
  publishedBy: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'published_by',
    foreignKeyConstraintName: 'disclosure_versions_published_by_fkey',
  })
  publisher?: Relation<UserEntity>;

  @Column('timestamptz')
  publishedAt: Date;
}

/** An investor's acknowledgement of one exact version (CN-ECF-10, CN-SUIT-16); append-only. */
@Entity('disclosure_acknowledgements')
@Index('disclosure_acknowledgements_user_idx', ['userId', 'acknowledgedAt', 'id'])
@Unique('disclosure_acknowledgements_user_version_key', ['userId', 'documentId', 'version'])
@Check('disclosure_acknowledgements_sha256_check', `"sha256" ~ '^[0-9a-f]{64}$'`)
@Check('disclosure_acknowledgements_user_agent_check', `length("user_agent") <= 500`)
export class DisclosureAcknowledgementEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'user_id',
    foreignKeyConstraintName: 'disclosure_acknowledgements_user_id_fkey',
  })
  user?: Relation<UserEntity>;

  @Column('uuid')
  documentId: string;

  @Column('integer')
  version: number;

  @ManyToOne(() => DisclosureVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    {
      name: 'document_id',
      referencedColumnName: 'documentId',
      foreignKeyConstraintName: 'disclosure_acknowledgements_version_fkey',
    },
    {
      name: 'version',
      referencedColumnName: 'version',
      foreignKeyConstraintName: 'disclosure_acknowledgements_version_fkey',
    },
  ])
  disclosureVersion?: Relation<DisclosureVersionEntity>;

  @Column('char', { length: 64 })
  sha256: string;

  @Column('timestamptz')
  acknowledgedAt: Date;

  @Column('text', { nullable: true })
  clientIp: string | null;

  @Column('text', { nullable: true })
  userAgent: string | null;
}

/**
 * A signed special written risk warning (CN-SUIT-11): an ordinary investor insists on a product
 * above their tolerance. The text is a versioned template; its hash proves the words confirmed.
 */
@Entity('special_warnings')
@Index('special_warnings_user_campaign_idx', ['userId', 'campaignId', 'acceptedAt'])
@Check(
  'special_warnings_investor_level_check',
  `"investor_level" IN ('C1', 'C2', 'C3', 'C4', 'C5')`,
)
@Check('special_warnings_product_level_check', `"product_level" IN ('R1', 'R2', 'R3', 'R4', 'R5')`)
@Check('special_warnings_text_sha256_check', `"text_sha256" ~ '^[0-9a-f]{64}$'`)
@Check('special_warnings_user_agent_check', `length("user_agent") <= 500`)
export class SpecialWarningEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'special_warnings_user_id_fkey' })
  user?: Relation<UserEntity>;

  @Column('uuid')
  @campaignForeignKey('special_warnings_campaign_id_fkey')
  campaignId: string;

  @Column('text')
  investorLevel: InvestorRiskLevel;

  @Column('text')
  productLevel: ProductRiskLevel;

  @Column('text')
  textVersion: string;

  @Column('char', { length: 64 })
  textSha256: string;

  @Column('timestamptz')
  acceptedAt: Date;

  @Column('text', { nullable: true })
  clientIp: string | null;

  @Column('text', { nullable: true })
  userAgent: string | null;
}

/** Every TypeORM entity of the risk-disclosure module (registered in src/database/entities.ts). */
export const RISK_DISCLOSURE_ENTITIES: (new () => object)[] = [
  DisclosureDocumentEntity,
  DisclosureVersionEntity,
  DisclosureAcknowledgementEntity,
  SpecialWarningEntity,
];
