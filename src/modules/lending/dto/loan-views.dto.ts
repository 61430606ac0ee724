import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  ApiCurrency,
  ApiDateTime,
  ApiEnum,
  ApiInteger,
  ApiMoney,
  ApiUuid,
  PATTERNS,
} from '../../../common/openapi/api-properties.js';
import { PageDtoOf, PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import type {
  ClaimView,
  InstalmentView,
  LoanView,
  OverdueBucket,
} from '../loan-queries.service.js';
import type { CreditWithdrawalView } from '../loan-credit.service.js';
import type { LoanStatus } from '../loans.repository.js';

const LOAN_STATUSES = ['ACTIVE', 'REPAID', 'DEFAULTED'] as const;
const BUCKETS = ['CURRENT', 'M1', 'M2', 'M3_PLUS'] as const;
const INSTALMENT_STATUSES = ['SCHEDULED', 'OVERDUE', 'PAID'] as const;
const ApiDate = (description?: string) =>
  ApiProperty({ type: String, pattern: PATTERNS.isoDate, example: '2027-01-05', description });

export class NextDueDto {
  @ApiInteger() number: number;
  @ApiDate() dueDate: string;
  @ApiMoney({ description: 'Penalty, interest and principal still owed on it' }) amount: string;
}

export class LoanViewDto implements LoanView {
  @ApiUuid() id: string;
  @ApiUuid() campaignId: string;
  @ApiUuid() borrowerId: string;
  @ApiEnum(LOAN_STATUSES) status: LoanStatus;
  @ApiProperty({ example: 'CNY', pattern: PATTERNS.currency }) currency: string;
  @ApiMoney() principal: string;
  @ApiMoney({ description: 'From the ledger: principal not yet paid out to the lenders' })
  outstandingPrincipal: string;
  @ApiProperty({ example: '0.0800' }) annualRate: string;
  @ApiInteger() termMonths: number;
  @ApiProperty() method: string;
  @ApiInteger() graceDays: number;
  @ApiProperty({ example: '0.1800' }) penaltyAnnualRate: string;
  @ApiInteger() dayCountBasis: number;
  @ApiDate() startDate: string;
  @ApiInteger() lenderCount: number;
  @ApiMoney() overdueAmount: string;
  @ApiInteger() overdueDays: number;
  @ApiEnum(BUCKETS, { description: 'M1: 1-30 days past due, M2: 31-60, M3_PLUS: more' })
  bucket: OverdueBucket;
  @ApiMoney({ description: 'Overpayment held for the borrower' }) borrowerCredit: string;
  @ApiProperty({ type: NextDueDto, nullable: true }) nextDue: NextDueDto | null;
  @ApiDateTime() createdAt: string;
  @ApiDateTime({ nullable: true }) closedAt: string | null;
}

export class InstalmentViewDto implements InstalmentView {
  @ApiInteger() number: number;
  @ApiDate() dueDate: string;
  @ApiEnum(INSTALMENT_STATUSES) status: string;
  @ApiMoney() principal: string;
  @ApiMoney() interest: string;
  @ApiMoney({ description: 'Interest waived by an early payoff' }) interestWaived: string;
  @ApiMoney() penalty: string;
  @ApiMoney() principalPaid: string;
  @ApiMoney() interestPaid: string;
  @ApiMoney() penaltyPaid: string;
  @ApiDateTime({ nullable: true }) paidAt: string | null;
}

export class NextPaymentDto {
  @ApiInteger() number: number;
  @ApiDate() dueDate: string;
  @ApiMoney() principal: string;
  @ApiMoney() interest: string;
}

export class ClaimViewDto implements ClaimView {
  @ApiUuid() loanId: string;
  @ApiUuid() campaignId: string;
  @ApiEnum(LOAN_STATUSES) loanStatus: LoanStatus;
  @ApiProperty({ example: 'CNY', pattern: PATTERNS.currency }) currency: string;
  @ApiMoney() principal: string;
  @ApiMoney() principalReceived: string;
  @ApiMoney() principalOutstanding: string;
  @ApiMoney({ description: 'Interest and penalty received, net of the service fee' })
  interestReceived: string;
  @ApiProperty({
    type: NextPaymentDto,
    nullable: true,
    description: 'Your share of the next instalment',
  })
  nextPayment: NextPaymentDto | null;
}

export class LoanPageDto extends PageDtoOf(LoanViewDto, 'LoanPageDto') {}
export class ClaimPageDto extends PageDtoOf(ClaimViewDto, 'ClaimPageDto') {}

/** The CSV's filter: the export holds every loan of it. */
export class LoansQueryDto {
  @ApiEnum(LOAN_STATUSES, {}, false)
  @IsOptional()
  @IsIn(LOAN_STATUSES)
  status?: LoanStatus;
}

/** The book's filter and `?cursor&limit` (issue 16). */
export class LoansPageQueryDto extends PageQueryDto {
  @ApiEnum(LOAN_STATUSES, {}, false)
  @IsOptional()
  @IsIn(LOAN_STATUSES)
  status?: LoanStatus;
}

export class BucketTotalsDto {
  @ApiInteger() loans: number;
  @ApiMoney() amount: string;
}

/** One cursor page of the book (issue 16); the totals are over every loan of the filter. */
export class FinanceLoansDto extends LoanPageDto {
  @ApiMoney() outstandingPrincipal: string;
  @ApiProperty({ type: BucketTotalsDto }) M1: BucketTotalsDto;
  @ApiProperty({ type: BucketTotalsDto }) M2: BucketTotalsDto;
  @ApiProperty({ type: BucketTotalsDto }) M3_PLUS: BucketTotalsDto;
}

export class CreditWithdrawalDto implements CreditWithdrawalView {
  @ApiUuid({ description: 'The loan' }) loanId: string;
  @ApiUuid({ description: "The posted CREDIT_WITHDRAWAL into the borrower's wallet" })
  transferId: string;
  @ApiMoney({ description: 'All the credit the loan held' }) amount: string;
  @ApiCurrency() currency: string;
  @ApiDateTime() createdAt: string;
}
