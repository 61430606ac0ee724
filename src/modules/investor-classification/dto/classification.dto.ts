import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';
import { ApiMoneyInput, PATTERNS } from '../../../common/openapi/api-properties.js';
import { ValidateEach } from '../../../common/http/validate-each.js';

export class AnswerDto {
  @ApiProperty({ example: 'q01', minLength: 1, maxLength: 20 })
  @IsString()
  @Length(1, 20)
  questionId: string;
  @ApiProperty({ example: 'q01b', minLength: 1, maxLength: 20 })
  @IsString()
  @Length(1, 20)
  optionId: string;
}

export class AssessmentRequestDto {
  @ApiProperty({
    example: 'CN-2026.1',
    minLength: 1,
    maxLength: 40,
    description: 'The version of GET /risk-questionnaire answered',
  })
  @IsString()
  @Length(1, 40)
  questionnaireVersion: string;

  @ApiProperty({ type: [AnswerDto], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateEach(() => AnswerDto)
  answers: AnswerDto[];
}

export class FinancialsDto {
  @ApiMoneyInput({ allowZero: true, example: '300000.00' })
  @IsMoneyAmount({ allowZero: true })
  annualIncome: string;
  @ApiMoneyInput({ allowZero: true, example: '1200000.00' })
  @IsMoneyAmount({ allowZero: true })
  financialAssets: string;
  @ApiMoneyInput({ allowZero: true, example: '2500000.00' })
  @IsMoneyAmount({ allowZero: true })
  netWorth: string;

  @ApiProperty({ type: 'integer', example: 3, minimum: 0, maximum: 100 })
  @IsInt()
  @Min(0)
  @Max(100)
  investmentExperienceYears: number;
}

export class EvidenceDto {
  @ApiProperty({ example: 'BANK_STATEMENT', minLength: 1, maxLength: 50 })
  @IsString()
  @Length(1, 50)
  kind: string;
  @ApiProperty({ example: 'upload/2026/11/stmt-123.pdf', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  reference: string;

  @ApiProperty({ description: 'SHA-256 of the document, lower-case hex', pattern: PATTERNS.sha256 })
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lower-case hex characters' })
  sha256: string;
}

export class ApplicationRequestDto {
  @ApiProperty({ enum: ['QUALIFIED', 'PROFESSIONAL'] })
  @IsIn(['QUALIFIED', 'PROFESSIONAL'])
  type: 'QUALIFIED' | 'PROFESSIONAL';

  @ApiProperty({ type: [EvidenceDto], minItems: 1, maxItems: 20 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateEach(() => EvidenceDto)
  evidence: EvidenceDto[];
}

export class RejectDto {
  @ApiProperty({ minLength: 1, maxLength: 500 }) @IsString() @Length(1, 500) reason: string;
}

export class ApplicationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['PENDING', 'APPROVED', 'REJECTED'] })
  @IsOptional()
  @IsIn(['PENDING', 'APPROVED', 'REJECTED'])
  status?: 'PENDING' | 'APPROVED' | 'REJECTED';
}
