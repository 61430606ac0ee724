import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { ApiDateTime } from '../../../common/openapi/api-properties.js';
import { MediaViewDto } from '../media/media.dto.js';
import type { FaqEntry, TeamMember } from './campaign-page.entities.js';
import type { CampaignPageView } from './campaign-page.service.js';
import { CAMPAIGN_CATEGORIES, CITY_CODE } from './campaign-page.types.js';
import { ValidateEach } from '../../../common/http/validate-each.js';

const SHA256 = /^[0-9a-f]{64}$/;

export class FaqEntryDto implements FaqEntry {
  @ApiProperty({ minLength: 1, maxLength: 500 }) @IsString() @Length(1, 500) question: string;
  @ApiProperty({ minLength: 1, maxLength: 5000 }) @IsString() @Length(1, 5000) answer: string;
}

export class TeamMemberDto implements TeamMember {
  @ApiProperty({ minLength: 1, maxLength: 100 }) @IsString() @Length(1, 100) name: string;
  @ApiProperty({ minLength: 1, maxLength: 100 }) @IsString() @Length(1, 100) role: string;
  @ApiProperty({ minLength: 0, maxLength: 2000 }) @IsString() @Length(0, 2000) bio: string;
}

/** PATCH /campaigns/:id/page: the fields given replace the page's; null clears an optional one. */
export class CampaignPageInputDto {
  @ApiPropertyOptional({ maxLength: 20000, description: 'Markdown; raw HTML is shown as text' })
  @IsOptional()
  @IsString()
  @Length(0, 20000)
  story?: string;

  @ApiPropertyOptional({ enum: CAMPAIGN_CATEGORIES, nullable: true, type: String })
  @IsOptional()
  @IsIn(CAMPAIGN_CATEGORIES)
  category?: string | null;

  @ApiPropertyOptional({
    type: String,
    pattern: CITY_CODE.source,
    nullable: true,
    example: '440300',
    description: 'GB/T 2260 administrative division code (e.g. 440300 Shenzhen)',
  })
  @IsOptional()
  @IsString()
  @Matches(CITY_CODE)
  cityCode?: string | null;

  @ApiPropertyOptional({
    type: String,
    pattern: SHA256.source,
    nullable: true,
    description: 'An uploaded image',
  })
  @IsOptional()
  @IsString()
  @Matches(SHA256)
  coverMediaId?: string | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 20,
    description: 'Uploaded images (SHA-256), in display order',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(SHA256, { each: true })
  gallery?: string[];

  @ApiPropertyOptional({ type: [FaqEntryDto], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateEach(() => FaqEntryDto)
  faq?: FaqEntryDto[];

  @ApiPropertyOptional({ type: [TeamMemberDto], maxItems: 30 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateEach(() => TeamMemberDto)
  team?: TeamMemberDto[];
}

export class CampaignPageContentDto implements CampaignPageView {
  @ApiProperty({ format: 'uuid' }) campaignId: string;
  @ApiProperty({ description: 'Markdown as written' }) story: string;
  @ApiProperty({ description: 'The story as sanitised HTML' }) storyHtml: string;
  @ApiProperty({ enum: CAMPAIGN_CATEGORIES, nullable: true, type: String })
  category: string | null;
  @ApiProperty({ type: String, nullable: true, pattern: CITY_CODE.source }) cityCode: string | null;
  @ApiProperty({ type: MediaViewDto, nullable: true }) cover: MediaViewDto | null;
  @ApiProperty({ type: [MediaViewDto] }) gallery: MediaViewDto[];
  @ApiProperty({ type: [FaqEntryDto] }) faq: FaqEntryDto[];
  @ApiProperty({ type: [TeamMemberDto] }) team: TeamMemberDto[];
  @ApiDateTime() updatedAt: string;
}
