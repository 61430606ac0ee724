import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ApiDateTime, ApiInteger, ApiUuid } from '../../../common/openapi/api-properties.js';
import type { QuestionPage, QuestionView } from './campaign-questions.service.js';

export class AskQuestionDto {
  @ApiProperty({ minLength: 1, maxLength: 2000 }) @IsString() @Length(1, 2000) body: string;
}

export class AnswerQuestionDto {
  @ApiProperty({ minLength: 1, maxLength: 5000 }) @IsString() @Length(1, 5000) answer: string;
}

export class HideQuestionDto {
  @ApiProperty({ minLength: 1, maxLength: 500 }) @IsString() @Length(1, 500) reason: string;
}

const wholeNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value;

export class CampaignQuestionListQueryDto {
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

export class CampaignQuestionDto implements QuestionView {
  @ApiUuid() id: string;
  @ApiUuid() campaignId: string;
  @ApiUuid() askerId: string;
  @ApiProperty() body: string;
  @ApiDateTime() createdAt: string;
  @ApiProperty({ type: String, nullable: true, description: "The founder's public answer" })
  answer: string | null;
  @ApiDateTime({ nullable: true }) answeredAt: string | null;
  @ApiDateTime({ nullable: true, description: 'Staff only: when ADMIN hid it' })
  hiddenAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Staff only: why it was hidden' })
  hiddenReason: string | null;
}

export class CampaignQuestionPageDto implements QuestionPage {
  @ApiProperty({ type: [CampaignQuestionDto] }) items: CampaignQuestionDto[];
  @ApiInteger({ minimum: 1, maximum: 100 }) pageSize: number;
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page' })
  nextCursor: string | null;
}
