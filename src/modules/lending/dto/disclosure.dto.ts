import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import {
  ApiBoolean,
  ApiDateTime,
  ApiInteger,
  ApiMoney,
  ApiSha256,
  PATTERNS,
} from '../../../common/openapi/api-properties.js';
import type {
  BucketFigures,
  DisclosureView,
  OperatingDisclosure,
} from '../operating-disclosure.service.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const SHARE = { type: String, pattern: '^[01]\\.\\d{4}$', example: '0.0312' } as const;

export class DisclosureQueryDto {
  @ApiProperty({ example: '2026-12', pattern: MONTH.source, description: 'The month, YYYY-MM' })
  @Matches(MONTH, { message: 'month must be YYYY-MM' })
  month: string;
}

export class BucketFiguresDto implements BucketFigures {
  @ApiInteger({ description: 'Loans with an instalment in this bucket' }) count: number;
  @ApiMoney({ description: 'Unpaid principal and interest of those instalments' }) amount: string;
  @ApiProperty({ ...SHARE, description: 'Of outstanding principal' }) rate: string;
}

export class OverdueFiguresDto {
  @ApiProperty({ type: BucketFiguresDto, description: '1-30 days past due' }) M1: BucketFiguresDto;
  @ApiProperty({ type: BucketFiguresDto, description: '31-60 days' }) M2: BucketFiguresDto;
  @ApiProperty({ type: BucketFiguresDto, description: 'more than 60 days' })
  M3_PLUS: BucketFiguresDto;
  @ApiProperty({ type: BucketFiguresDto, description: 'more than 90 days (CN-P2P-10)' })
  over90Days: BucketFiguresDto;
}

export class OperatingDisclosureDto implements OperatingDisclosure {
  @ApiProperty({ example: '2026-12', pattern: MONTH.source }) month: string;
  @ApiProperty({ example: 'CNY', pattern: PATTERNS.currency }) currency: string;
  @ApiDateTime({ description: 'The end of the month: the figures stand as at this instant' })
  asOf: string;
  @ApiInteger() cumulativeLoans: number;
  @ApiMoney() cumulativeVolume: string;
  @ApiInteger() outstandingLoans: number;
  @ApiMoney({ description: 'From the ledger: lent minus principal paid out to lenders' })
  outstandingPrincipal: string;
  @ApiInteger() cumulativeBorrowers: number;
  @ApiInteger() currentBorrowers: number;
  @ApiInteger() cumulativeLenders: number;
  @ApiInteger() currentLenders: number;
  @ApiProperty({ type: OverdueFiguresDto }) overdue: OverdueFiguresDto;
  @ApiMoney() overdueAmount: string;
  @ApiProperty(SHARE) overdueRate: string;
  @ApiProperty(SHARE) top10BorrowerShare: string;
  @ApiProperty(SHARE) largestBorrowerShare: string;
  @ApiMoney({ description: 'Always 0.00: the platform guarantees nothing (CN-P2P-01)' })
  compensationPaid: string;
  @ApiInteger() relatedPartyLoans: number;
  @ApiMoney() relatedPartyAmount: string;
}

export class DisclosureViewDto implements DisclosureView {
  @ApiProperty({ type: OperatingDisclosureDto }) disclosure: OperatingDisclosureDto;
  @ApiBoolean({ description: 'True once the month has closed and the figures are stored' })
  frozen: boolean;
  @ApiSha256({ nullable: true, description: 'SHA-256 of the canonical JSON of `disclosure`' })
  hash: string | null;
  @ApiDateTime({ nullable: true }) frozenAt: string | null;
}
