import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsString, Length, Max, Min } from 'class-validator';

export class AcknowledgeRequestDto {
  @ApiProperty({ example: 1, description: 'The version read; it must be the current one' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  version: number;
}

/** A new campaign disclosure version (for the campaign module's route). */
export class DisclosureRequestDto {
  @ApiProperty({ example: 'Financing plan and use of funds' })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiProperty({ description: 'The founder’s text; the platform appends its standard warning' })
  @IsString()
  @Length(1, 100_000)
  body: string;

  @ApiProperty({ description: 'A material change asks existing pledgers to reconfirm' })
  @IsBoolean()
  material: boolean;
}

export class PlatformDisclosureDto {
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Hex SHA-256 of the exact UTF-8 body' }) sha256: string;
  @ApiProperty() body: string;
}

export class CampaignDisclosureDto extends PlatformDisclosureDto {
  @ApiProperty() material: boolean;
  @ApiProperty({ example: '2026-11-28T02:00:00.000Z' }) publishedAt: string;
}

export class AcknowledgementReceiptDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ description: 'Hex SHA-256 of the acknowledged text' }) documentSha256: string;
  @ApiProperty({ example: '2026-11-28T02:00:00.000Z' }) acknowledgedAt: string;
}

export class AcknowledgementDto extends AcknowledgementReceiptDto {
  @ApiProperty({ enum: ['PLATFORM', 'CAMPAIGN'] }) scope: 'PLATFORM' | 'CAMPAIGN';
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) campaignId: string | null;
  @ApiProperty({ description: 'Whether the version acknowledged is still the current one' })
  current: boolean;
}
