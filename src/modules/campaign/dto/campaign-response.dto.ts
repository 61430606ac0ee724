import { ApiProperty } from '@nestjs/swagger';
import {
  ApiBoolean,
  ApiCurrency,
  ApiDateTime,
  ApiEnum,
  ApiInteger,
  ApiMoney,
  ApiUuid,
} from '../../../common/openapi/api-properties.js';
import { PageDtoOf } from '../../../common/pagination/page-query.dto.js';
import type { CampaignPage } from '../campaign.service.js';
import { CAMPAIGN_STATUSES, type CampaignStatus } from '../campaign.state.js';
import {
  CAMPAIGN_KINDS,
  type CampaignKind,
  type CampaignOffering,
  FUNDING_MODELS,
  type FundingModel,
  OFFERINGS,
  RISK_RATINGS,
  type RiskRating,
} from '../campaign.types.js';
import type { CampaignView, RewardTierView } from '../campaign.view.js';

/**
 * Response shapes of the campaign routes; each mirrors what its service returns (the ones without
 * an `implements` are checked against real answers by test/openapi-contract.e2e.spec.ts).
 */
export class RewardTierViewDto implements RewardTierView {
  @ApiUuid() id: string;
  @ApiProperty() title: string;
  @ApiMoney({ description: 'The least a pledge for this tier may be' }) amount: string;
  @ApiInteger({ minimum: 1 }) stock: number;
  @ApiInteger({ minimum: 0 }) claimed: number;
  @ApiInteger({ minimum: 0 }) remaining: number;
}

export class CampaignDto implements CampaignView {
  @ApiUuid() id: string;
  @ApiUuid() founderId: string;
  @ApiEnum(CAMPAIGN_KINDS) kind: CampaignKind;
  @ApiEnum(OFFERINGS, { nullable: true, description: 'equity and debt only' })
  offering: CampaignOffering | null;
  @ApiEnum(FUNDING_MODELS) fundingModel: FundingModel;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiCurrency() currency: string;
  @ApiMoney() targetAmount: string;
  @ApiMoney({ description: 'Hard cap' }) maxAmount: string;
  @ApiMoney() minPledge: string;
  @ApiMoney({ nullable: true }) maxPledge: string | null;
  @ApiMoney({ nullable: true, description: 'Equity: pledges are whole units of it' })
  unitPrice: string | null;
  @ApiDateTime() deadline: string;
  @ApiEnum(RISK_RATINGS, {
    nullable: true,
    description:
      'Product risk R1..R5 (CN-SUIT-08), set by the platform at approval (CN-SUIT-20); null before',
  })
  riskRating: RiskRating | null;
  @ApiEnum(RISK_RATINGS, { nullable: true, description: "The founder's proposal, if any" })
  proposedRiskRating: RiskRating | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why the platform chose the rating' })
  ratingReason: string | null;
  @ApiInteger({ nullable: true, minimum: 1, maximum: 200, description: 'Private offerings' })
  investorCap: number | null;
  @ApiProperty({
    pattern: '^\\d\\.\\d{5}$',
    example: '0.05000',
    description: 'Platform fee rate on the gross raised',
  })
  feeRate: string;
  @ApiEnum(CAMPAIGN_STATUSES) status: CampaignStatus;
  @ApiMoney({ description: 'Live pledges (DESIGN §6)' }) committed: string;
  @ApiInteger({ minimum: 0 }) investorCount: number;
  @ApiMoney({ description: 'maxAmount - committed' }, { signed: true }) remaining: string;
  @ApiProperty({
    pattern: '^[0-9]+\\.[0-9]{4}$',
    example: '0.4250',
    description:
      'committed / targetAmount as a decimal string, 4 places rounded down (1.0000 = target met)',
  })
  progress: string;
  @ApiProperty({ type: String, nullable: true }) rejectionReason: string | null;
  @ApiDateTime() createdAt: string;
  @ApiDateTime() updatedAt: string;
  @ApiDateTime({ nullable: true }) publishedAt: string | null;
  @ApiProperty({
    type: [RewardTierViewDto],
    description: 'Reward tiers (empty in lists: read the campaign for them)',
  })
  rewardTiers: RewardTierViewDto[];
}

export class CampaignPageDto implements CampaignPage {
  @ApiProperty({ type: [CampaignDto] }) items: CampaignDto[];
  @ApiInteger({ minimum: 1, maximum: 100 }) pageSize: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor: string | null;
}

export class CampaignTransitionDto {
  @ApiEnum(CAMPAIGN_STATUSES, { nullable: true, description: 'null for the creation' })
  from: CampaignStatus | null;
  @ApiEnum(CAMPAIGN_STATUSES) to: CampaignStatus;
  @ApiUuid({ nullable: true, description: 'null: the platform (a sweep)' })
  actorId: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What the transition recorded (rating, credit record, rule IDs)',
  })
  details: Record<string, unknown>;
  @ApiDateTime() occurredAt: string;
}

export class ProgressUpdateDto {
  @ApiUuid() id: string;
  @ApiUuid() campaignId: string;
  @ApiUuid() authorId: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiDateTime() createdAt: string;
}

export class CharityQualificationDto {
  @ApiUuid({ description: 'The founder organisation' }) userId: string;
  @ApiProperty({ description: 'Public-fundraising certificate number (PLAT-08)' })
  certificateReference: string;
  @ApiUuid({ description: 'The ADMIN who recorded it' }) qualifiedBy: string;
  @ApiDateTime() qualifiedAt: string;
}

export class CampaignTransitionPageDto extends PageDtoOf(
  CampaignTransitionDto,
  'CampaignTransitionPageDto',
) {}
export class ProgressUpdatePageDto extends PageDtoOf(ProgressUpdateDto, 'ProgressUpdatePageDto') {}
export class FounderRealNameDto {
  @ApiBoolean({ description: 'PLAT-01: the founder passed real-name verification' })
  verified: boolean;
  @ApiEnum(['RIC', 'USCC'], {
    nullable: true,
    description: 'RIC: a resident identity card (a person); USCC: an organisation',
  })
  idKind: 'RIC' | 'USCC' | null;
  @ApiDateTime({ nullable: true }) verifiedAt: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '张*',
    description: 'ID-RIC-08: the first character, the rest starred. The ID number is never shown.',
  })
  nameMasked: string | null;
}

export class FounderCreditSummaryDto {
  @ApiInteger() total: number;
  @ApiInteger({ description: 'In force now' }) inForce: number;
  @ApiInteger({ description: 'BLOCKING and in force: no market access (PLAT-03)' })
  blockingInForce: number;
}

export class FounderStandingDto {
  @ApiUuid() campaignId: string;
  @ApiUuid() founderId: string;
  @ApiEnum(['PERSON', 'ORGANIZATION']) accountKind: 'PERSON' | 'ORGANIZATION';
  @ApiBoolean() emailVerified: boolean;
  @ApiProperty({ type: FounderRealNameDto }) realName: FounderRealNameDto;
  @ApiProperty({ type: FounderCreditSummaryDto }) credit: FounderCreditSummaryDto;
}
