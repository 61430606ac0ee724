import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsString, Length, Max, Min } from 'class-validator';
import {
  ApiBoolean,
  ApiDateTime,
  ApiEnum,
  ApiInteger,
  ApiSha256,
  ApiUuid,
} from '../../../common/openapi/api-properties.js';
import { PageDtoOf } from '../../../common/pagination/page-query.dto.js';
import {
  type AcknowledgementEvidence,
  type AcknowledgementReceipt,
  type AcknowledgementView,
  type CampaignDisclosureView,
  DISCLOSURE_SCOPES,
  type DisclosureScope,
  INVESTOR_RISK_LEVELS,
  type InvestorRiskLevel,
  type PlatformDisclosureView,
  PRODUCT_RISK_LEVELS,
  type ProductRiskLevel,
  type SpecialWarningView,
} from '../risk-disclosure.types.js';

export class AcknowledgeRequestDto {
  @ApiProperty({
    type: 'integer',
    example: 1,
    minimum: 1,
    maximum: 2_147_483_647,
    description: 'The version read; it must be the current one',
  })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version: number;
}

/** A new campaign disclosure version (for the campaign module's route). */
export class DisclosureRequestDto {
  @ApiProperty({ example: 'Financing plan and use of funds', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiProperty({
    description: 'The founder’s text; the platform appends its standard warning',
    minLength: 1,
    maxLength: 100_000,
  })
  @IsString()
  @Length(1, 100_000)
  body: string;

  @ApiProperty({ description: 'A material change asks existing pledgers to reconfirm' })
  @IsBoolean()
  material: boolean;
}

export class PlatformDisclosureDto implements PlatformDisclosureView {
  @ApiInteger({ example: 1, minimum: 1 }) version: number;
  @ApiProperty() title: string;
  @ApiSha256({ description: 'Hex SHA-256 of the exact UTF-8 body' }) sha256: string;
  @ApiProperty() body: string;
}

export class CampaignDisclosureDto extends PlatformDisclosureDto implements CampaignDisclosureView {
  @ApiBoolean({ description: 'Published as a material change (CN-SUIT-14)' }) material: boolean;
  @ApiDateTime() publishedAt: string;
}

/** The proof of which exact text the investor accepted (CN-SUIT-16). */
export class AcknowledgementReceiptDto implements AcknowledgementReceipt {
  @ApiUuid() id: string;
  @ApiInteger({ example: 1, minimum: 1 }) version: number;
  @ApiSha256({ description: 'Hex SHA-256 of the acknowledged text' }) documentSha256: string;
  @ApiDateTime() acknowledgedAt: string;
}

export class AcknowledgementDto extends AcknowledgementReceiptDto implements AcknowledgementView {
  @ApiEnum(DISCLOSURE_SCOPES) scope: DisclosureScope;
  @ApiUuid({ nullable: true, description: 'null for the platform disclosure' })
  campaignId: string | null;
  @ApiBoolean({ description: 'Whether the version acknowledged is still the current one' })
  current: boolean;
}

export class AcknowledgementPageDto extends PageDtoOf(
  AcknowledgementDto,
  'AcknowledgementPageDto',
) {}

/** A special written risk warning the investor confirmed (CN-SUIT-11, evidence CN-SUIT-16). */
export class SpecialWarningDto implements SpecialWarningView {
  @ApiUuid() id: string;
  @ApiUuid() userId: string;
  @ApiUuid() campaignId: string;
  @ApiEnum(INVESTOR_RISK_LEVELS) investorLevel: InvestorRiskLevel;
  @ApiEnum(PRODUCT_RISK_LEVELS) productLevel: ProductRiskLevel;
  @ApiProperty({ description: 'Version of the warning template' }) textVersion: string;
  @ApiSha256({ description: 'Hex SHA-256 of the exact text confirmed' }) textSha256: string;
  @ApiProperty({ description: 'The exact words confirmed' }) text: string;
  @ApiDateTime() acceptedAt: string;
}

/** One acknowledgement behind a pledge's decision: which document, version and text (CN-SUIT-16). */
export class AcknowledgementEvidenceDto implements AcknowledgementEvidence {
  @ApiUuid() id: string;
  @ApiEnum(DISCLOSURE_SCOPES) kind: DisclosureScope;
  @ApiUuid({ nullable: true, description: 'null for the platform disclosure' })
  campaignId: string | null;
  @ApiInteger({ minimum: 1 }) version: number;
  @ApiSha256({ description: 'Hex SHA-256 of the acknowledged text' }) documentSha256: string;
  @ApiDateTime() acknowledgedAt: string;
}
