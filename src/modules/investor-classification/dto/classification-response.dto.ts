import { ApiProperty } from '@nestjs/swagger';
import {
  ApiBoolean,
  ApiCurrency,
  ApiDateTime,
  ApiEnum,
  ApiInteger,
  ApiMoney,
  ApiSha256,
  ApiUuid,
} from '../../../common/openapi/api-properties.js';
import { PageDtoOf } from '../../../common/pagination/page-query.dto.js';
import type {
  ApplicationView,
  AssessmentView,
  ProfileView,
  QuestionnaireView,
} from '../classification.views.js';
import { RISK_LEVELS, type InvestorCategory } from '../classification.types.js';

/** Response shapes of investor classification (rules-spec §4); each mirrors its service view. */

type QuestionView = QuestionnaireView['questions'][number];
type FinancialsView = NonNullable<ProfileView['financials']>;
type LimitsView = ProfileView['limits'];

export class QuestionOptionDto {
  @ApiProperty({ example: 'q01b' }) id: string;
  @ApiProperty() text: string;
}

export class QuestionDto implements QuestionView {
  @ApiProperty({ example: 'q01' }) id: string;
  @ApiProperty({
    example: 'INCOME_SOURCE',
    description: 'The information category the question collects (CN-SUIT-06)',
  })
  category: string;
  @ApiProperty() text: string;
  @ApiProperty({ type: [QuestionOptionDto] }) options: QuestionOptionDto[];
}

/** Scores and lowest-category markers stay on the server (showing them invites gaming). */
export class QuestionnaireDto implements QuestionnaireView {
  @ApiProperty({ example: 'CN-2026.1' }) version: string;
  @ApiProperty({ type: [QuestionDto] }) questions: QuestionDto[];
}

export class AssessmentDto implements AssessmentView {
  @ApiUuid() id: string;
  @ApiProperty({ example: 'CN-2026.1' }) questionnaireVersion: string;
  @ApiInteger({ minimum: 0, maximum: 100 }) score: number;
  @ApiEnum(RISK_LEVELS, { description: 'Risk tolerance C1 (lowest) .. C5 (CN-SUIT-07)' })
  riskLevel: string;
  @ApiBoolean({
    description: 'The lowest risk-tolerance category: R1 products only (CN-SUIT-10)',
  })
  lowestCategory: boolean;
  @ApiDateTime() assessedAt: string;
  @ApiDateTime({ description: 'Take the questionnaire again after this (CN-SUIT-18)' })
  validUntil: string;
  @ApiProperty({ example: 'CN@2026.1', description: 'The effective rule pack (DESIGN §8)' })
  rulePack: string;
}

export class ProfileAssessmentDto extends AssessmentDto {
  @ApiEnum(['VALID', 'EXPIRED']) status: 'VALID' | 'EXPIRED';
}

export class FinancialsViewDto implements FinancialsView {
  @ApiMoney() annualIncome: string;
  @ApiMoney() financialAssets: string;
  @ApiMoney() netWorth: string;
  @ApiInteger({ minimum: 0, maximum: 100 }) investmentExperienceYears: number;
}

const LIMIT_FIGURE = `^((0|[1-9]\\d*)\\.\\d{2}|UNLIMITED|NOT_ELIGIBLE)$`;

export class LimitsDto implements LimitsView {
  @ApiProperty({ example: 'CN@2026.1' }) rulePack: string;
  @ApiProperty({
    pattern: LIMIT_FIGURE,
    example: '20000.00',
    description: 'A money amount, or UNLIMITED / NOT_ELIGIBLE (the pack decides)',
  })
  annualLimit: string;
  @ApiMoney({ description: 'Committed in the rolling 12 months (INV-9)' })
  usedLast12Months: string;
  @ApiProperty({ pattern: LIMIT_FIGURE, example: '15000.00' }) remaining: string;
  @ApiCurrency() currency: string;
}

export class ProfileDto implements ProfileView {
  @ApiEnum(['PROFESSIONAL', 'ORDINARY']) category: InvestorCategory;
  @ApiProperty({ type: ProfileAssessmentDto, nullable: true, description: 'The latest one' })
  assessment: ProfileAssessmentDto | null;
  @ApiBoolean({ description: 'Qualified status in force now (CN-ECF-03)' }) qualified: boolean;
  @ApiDateTime({ nullable: true }) qualifiedUntil: string | null;
  @ApiProperty({ type: FinancialsViewDto, nullable: true, description: 'null until declared' })
  financials: FinancialsViewDto | null;
  @ApiProperty({ type: LimitsDto }) limits: LimitsDto;
}

export class EvidenceViewDto {
  @ApiProperty({ example: 'BANK_STATEMENT' }) kind: string;
  @ApiProperty() reference: string;
  @ApiSha256() sha256: string;
}

export class ApplicationDto implements ApplicationView {
  @ApiUuid() id: string;
  @ApiUuid({ description: 'The applicant' }) userId: string;
  @ApiEnum(['QUALIFIED', 'PROFESSIONAL']) type: 'QUALIFIED' | 'PROFESSIONAL';
  @ApiEnum(['PENDING', 'APPROVED', 'REJECTED']) status: 'PENDING' | 'APPROVED' | 'REJECTED';
  @ApiProperty({ type: [EvidenceViewDto] }) evidence: EvidenceViewDto[];
  @ApiDateTime() submittedAt: string;
  @ApiDateTime({ nullable: true }) decidedAt: string | null;
  @ApiUuid({ nullable: true, description: 'The ADMIN who decided' }) decidedBy: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was rejected' })
  reason: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      'What the decision used: rule pack, rules, the declared figures and the thresholds (CONV-05)',
  })
  decisionInputs: Record<string, unknown> | null;
}

export class ApplicationPageDto extends PageDtoOf(ApplicationDto, 'ApplicationPageDto') {}
