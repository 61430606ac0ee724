import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';
import { ApiMoneyInput } from '../../../common/openapi/api-properties.js';
import { CAMPAIGN_STATUSES, type CampaignStatus } from '../campaign.state.js';
import { CAMPAIGN_CATEGORIES, type CampaignCategory } from '../page/campaign-page.types.js';
import { CAMPAIGN_SORTS, type CampaignSort } from '../search/campaign-cursor.js';
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
import { ValidateEach } from '../../../common/http/validate-each.js';

export class RewardTierDto {
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200) title: string;
  @ApiMoneyInput({ example: '99.00', description: 'The least a pledge for this tier may be' })
  @IsMoneyAmount()
  amount: string;
  @ApiProperty({ type: 'integer', example: 100, minimum: 1, maximum: 1_000_000 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  stock: number;
}

export class CreateCampaignDto {
  @ApiProperty({ enum: CAMPAIGN_KINDS }) @IsIn(CAMPAIGN_KINDS) kind: CampaignKind;
  @ApiPropertyOptional({ enum: OFFERINGS, description: 'equity and debt only' })
  @IsOptional()
  @IsIn(OFFERINGS)
  offering?: CampaignOffering;
  @ApiProperty({ enum: FUNDING_MODELS }) @IsIn(FUNDING_MODELS) fundingModel: FundingModel;
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200) title: string;
  @ApiProperty({ minLength: 1, maxLength: 5000 }) @IsString() @Length(1, 5000) summary: string;
  @ApiMoneyInput({ example: '100000.00' }) @IsMoneyAmount() targetAmount: string;
  @ApiMoneyInput({ example: '150000.00', description: 'hard cap, >= targetAmount' })
  @IsMoneyAmount()
  maxAmount: string;
  @ApiMoneyInput({ example: '100.00' }) @IsMoneyAmount() minPledge: string;
  @ApiMoneyInput({ example: '5000.00' }, false) @IsOptional() @IsMoneyAmount() maxPledge?: string;
  @ApiMoneyInput({ example: '10.00', description: 'equity only: pledges are whole units' }, false)
  @IsOptional()
  @IsMoneyAmount()
  unitPrice?: string;
  @ApiProperty({
    example: '2026-12-31T16:00:00Z',
    format: 'date-time',
    description: 'ISO 8601; within the pack’s campaign duration limits',
  })
  @IsISO8601({ strict: true })
  deadline: string;
  @ApiPropertyOptional({
    enum: RISK_RATINGS,
    description:
      "equity and debt: the founder's proposed rating; the platform sets the final one at approval (CN-SUIT-08/20)",
  })
  @IsOptional()
  @IsIn(RISK_RATINGS)
  riskRating?: RiskRating;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'private offerings: at most 200 investors (CN-ECF-04)',
  })
  @IsOptional()
  @IsInt()
  investorCap?: number;
  @ApiPropertyOptional({ type: [RewardTierDto], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateEach(() => RewardTierDto)
  rewardTiers?: RewardTierDto[];
}

export class UpdateCampaignDto extends PartialType(CreateCampaignDto) {}

/** CN-SUIT-08/20: the platform's rating; without one the platform default for the kind applies. */
export class ApproveCampaignDto {
  @ApiPropertyOptional({
    enum: RISK_RATINGS,
    description:
      'final rating; default private/public equity R5, debt R4, reward/donation R1 (only R1)',
  })
  @IsOptional()
  @IsIn(RISK_RATINGS)
  riskRating?: RiskRating;

  @ApiPropertyOptional({
    description: 'why this rating (kept with the transition)',
    minLength: 1,
    maxLength: 2000,
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  ratingReason?: string;
}

export class ReasonDto {
  @ApiProperty({ minLength: 1, maxLength: 1000 }) @IsString() @Length(1, 1000) reason: string;
}

export class OptionalReasonDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 1000 })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  reason?: string;
}

const wholeNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;

export class CampaignListQueryDto {
  @ApiPropertyOptional({ enum: CAMPAIGN_KINDS })
  @IsOptional()
  @IsIn(CAMPAIGN_KINDS)
  kind?: CampaignKind;
  @ApiPropertyOptional({ enum: CAMPAIGN_STATUSES })
  @IsOptional()
  @IsIn(CAMPAIGN_STATUSES)
  status?: CampaignStatus;

  @ApiPropertyOptional({ description: 'founders: their own campaigns in any status' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  mine?: boolean;

  @ApiPropertyOptional({
    minLength: 2,
    maxLength: 100,
    description: 'Words of the title, summary or story (a two-character Chinese word works)',
  })
  @IsOptional()
  @IsString()
  @Length(2, 100)
  @Matches(/\S\S/, { message: 'q needs two characters that are not spaces' })
  q?: string;

  @ApiPropertyOptional({ enum: CAMPAIGN_CATEGORIES })
  @IsOptional()
  @IsIn(CAMPAIGN_CATEGORIES)
  category?: CampaignCategory;

  @ApiPropertyOptional({ enum: CAMPAIGN_SORTS, default: 'newest' })
  @IsOptional()
  @IsIn(CAMPAIGN_SORTS)
  sort?: CampaignSort;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 300,
    description: 'The `nextCursor` of the previous page',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  cursor?: string;
  @ApiPropertyOptional({ type: 'integer', default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize?: number;
}

export class CampaignUpdateDto {
  @ApiProperty({ minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200) title: string;
  @ApiProperty({ minLength: 1, maxLength: 20000 }) @IsString() @Length(1, 20000) body: string;
}

export class CharityDto {
  @ApiProperty({ format: 'uuid', description: 'A founder organisation' }) @IsUUID() userId: string;
  @ApiProperty({
    description: 'public-fundraising certificate number (PLAT-08)',
    minLength: 1,
    maxLength: 200,
  })
  @IsString()
  @Length(1, 200)
  certificateReference: string;
}
