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
import {
  AcknowledgementEvidenceDto,
  SpecialWarningDto,
} from '../../risk-disclosure/dto/risk-disclosure.dto.js';
import { LIVE_PLEDGE_STATUSES, type PledgeEvidence, type PledgeStatus } from '../pledge.entity.js';
import type { PledgeEvidenceView } from '../pledge-queries.service.js';
import type { PledgeView } from '../pledge.view.js';
import type { CallQueueEntry } from '../confirmation-calls.service.js';

type LimitInputs = NonNullable<PledgeEvidence['limitInputs']>;
type AcceptedWarning = NonNullable<PledgeEvidence['specialWarning']>;
type StartWindows = NonNullable<PledgeEvidence['windows']>;
type CallView = PledgeEvidenceView['confirmationCalls'][number];

/**
 * Response shapes of the pledge routes; each mirrors what its service returns (the ones without an
 * `implements` are checked against real answers by test/openapi-contract.e2e.spec.ts).
 */

export const PLEDGE_STATUSES = [
  ...LIVE_PLEDGE_STATUSES,
  'SETTLED',
  'CANCELLED',
  'REFUNDED',
] as const satisfies readonly PledgeStatus[];

export class PledgeDto implements PledgeView {
  @ApiUuid() id: string;
  @ApiUuid() campaignId: string;
  @ApiEnum(PLEDGE_STATUSES, { description: 'DESIGN §6 pledge lifecycle' }) status: PledgeStatus;
  @ApiMoney() amount: string;
  @ApiCurrency() currency: string;
  @ApiUuid({ nullable: true }) rewardTierId: string | null;
  @ApiUuid({ description: 'The escrow hold (a PENDING ledger transfer)' }) holdTransferId: string;
  @ApiDateTime({
    nullable: true,
    description: 'Free cancellation until then (CN-PF-06); null when no cooling-off applies',
  })
  coolingOffEndsAt: string | null;
  @ApiBoolean({ description: 'A confirmation call (回访) is needed (CN-PF-07, CN-SUIT-13)' })
  confirmationRequired: boolean;
  @ApiDateTime() createdAt: string;
  @ApiDateTime() updatedAt: string;
  @ApiDateTime({ nullable: true, description: 'When it became SETTLED, CANCELLED or REFUNDED' })
  endedAt: string | null;
}

export class PledgePageDto extends PageDtoOf(PledgeDto, 'PledgePageDto') {}

/** The limit decision's inputs (CONV-05, INV-9): the declared figures and the pack's formula. */
export class LimitInputsDto implements LimitInputs {
  @ApiProperty({ example: 'CN_PUBLIC_ORDINARY', description: "The pack's limit formula" })
  formula: string;
  @ApiEnum(['PUBLIC', 'PRIVATE']) offering: string;
  @ApiMoney() annualIncome: string;
  @ApiMoney() financialAssets: string;
  @ApiMoney() netWorth: string;
  @ApiBoolean({ description: 'False: no figures declared (zeros used)' }) declared: boolean;
  @ApiInteger({ minimum: 1, description: 'The rolling window (limitWindowDays)' })
  windowDays: number;
}

/** The special warning accepted with the pledge (CN-SUIT-11/16). */
export class AcceptedWarningDto implements AcceptedWarning {
  @ApiUuid() id: string;
  @ApiProperty({ example: 'SW-2026.1' }) version: string;
  @ApiSha256({ description: 'Hash of the exact text accepted' }) sha256: string;
}

/** The windows the pledge started with (CN-PF-06/07). */
export class StartWindowsDto implements StartWindows {
  @ApiDateTime({ nullable: true }) coolingOffEndsAt: string | null;
  @ApiBoolean() confirmationRequired: boolean;
}

/** Why the pledge was admitted, as recorded when it was (CONV-05, CN-SUIT-16/17). */
export class PledgeDecisionDto implements PledgeEvidence {
  @ApiProperty({ example: 'CN@2026.1' }) rulePack: string;
  @ApiDateTime() decidedAt: string;
  @ApiProperty({
    example: 'MATCH',
    description: 'MATCH, SPECIAL_WARNING_REQUIRED or NOT_APPLICABLE',
  })
  suitability: string;
  @ApiProperty({ example: 'ORDINARY' }) category: string;
  @ApiBoolean() qualified: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'C4' }) riskLevel: string | null;
  @ApiBoolean() lowestCategory: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'R3' }) productRisk: string | null;
  @ApiUuid({ nullable: true }) assessmentId: string | null;
  @ApiProperty({
    example: '20000.00',
    description: 'The 12-month limit applied: an amount, or UNLIMITED / NOT_ELIGIBLE',
  })
  annualLimit: string;
  @ApiProperty({
    type: LimitInputsDto,
    nullable: true,
    required: false,
    description: 'Absent on pledges recorded before the inputs were kept',
  })
  limitInputs?: LimitInputsDto | null;
  @ApiMoney({ description: 'Committed in the 12 months before this pledge (INV-9)' })
  usedBefore: string;
  @ApiUuid() platformAcknowledgementId: string;
  @ApiUuid() campaignAcknowledgementId: string;
  @ApiUuid(
    { nullable: true, description: "A follower's acknowledgement of the lead's memo (issue 15)" },
    false,
  )
  leadMemoAcknowledgementId?: string | null;
  @ApiUuid({ nullable: true }) specialWarningId: string | null;
  @ApiProperty({ type: AcceptedWarningDto, nullable: true, required: false })
  specialWarning?: AcceptedWarningDto | null;
  @ApiProperty({ type: StartWindowsDto, required: false })
  windows?: StartWindowsDto;
  @ApiProperty({ type: [String], example: ['PLAT-01', 'CN-SUIT-09'] }) rules: string[];
}

export class ConfirmationCallRecordDto implements CallView {
  @ApiUuid() id: string;
  @ApiUuid({ description: 'The ADMIN who called' }) adminId: string;
  @ApiEnum(['CONFIRMED', 'RESCINDED', 'UNREACHABLE'])
  outcome: 'CONFIRMED' | 'RESCINDED' | 'UNREACHABLE';
  @ApiProperty() notes: string;
  @ApiDateTime() calledAt: string;
}

export class PledgeEvidenceDto implements PledgeEvidenceView {
  @ApiProperty({ type: PledgeDto }) pledge: PledgeDto;
  @ApiUuid() investorId: string;
  @ApiProperty({ type: PledgeDecisionDto }) decision: PledgeDecisionDto;
  @ApiProperty({
    type: [AcknowledgementEvidenceDto],
    description: 'Each acknowledgement behind the decision (CN-SUIT-16)',
  })
  acknowledgements: AcknowledgementEvidenceDto[];
  @ApiProperty({ type: [SpecialWarningDto] }) specialWarnings: SpecialWarningDto[];
  @ApiProperty({ type: [ConfirmationCallRecordDto] })
  confirmationCalls: ConfirmationCallRecordDto[];
}

export class CallQueueLastCallDto {
  @ApiEnum(['CONFIRMED', 'RESCINDED', 'UNREACHABLE']) outcome: string;
  @ApiDateTime() calledAt: string;
}

export class CallQueueEntryDto implements CallQueueEntry {
  @ApiUuid() pledgeId: string;
  @ApiUuid() campaignId: string;
  @ApiUuid() investorId: string;
  @ApiMoney() amount: string;
  @ApiCurrency() currency: string;
  @ApiEnum(['COOLING_OFF', 'AWAITING_CONFIRMATION']) status: string;
  @ApiDateTime({ description: 'the end of cooling-off: the call may be made from then (CN-PF-06)' })
  callableFrom: string;
  @ApiDateTime({
    description:
      'callableFrom + confirmationCallTimeoutHours: unconfirmed by then, the pledge is cancelled (CN-PF-07/08)',
  })
  dueBy: string;
  @ApiProperty({ type: CallQueueLastCallDto, nullable: true, description: 'e.g. UNREACHABLE' })
  lastCall: CallQueueLastCallDto | null;
}

/** The queue, earliest due first, in cursor pages (issue 16). */
export class CallQueueDto extends PageDtoOf(CallQueueEntryDto, 'CallQueueDto') {}
