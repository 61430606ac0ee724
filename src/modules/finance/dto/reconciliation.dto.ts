import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';
import {
  ApiCurrency,
  ApiDateTime,
  ApiEnum,
  ApiInteger,
  ApiMoney,
  ApiMoneyInput,
  ApiSha256,
  ApiUuid,
  PATTERNS,
} from '../../../common/openapi/api-properties.js';
import { TRANSFER_KINDS } from './finance-response.dto.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The statement's period and closing balance, sent as query parameters next to the file. */
export class ReconciliationQueryDto {
  @ApiProperty({
    description: 'first day of the statement (inclusive, UTC), YYYY-MM-DD',
    format: 'date',
    pattern: PATTERNS.isoDate,
  })
  @Matches(ISO_DATE, { message: 'from must be an ISO date YYYY-MM-DD' })
  from: string;

  @ApiProperty({
    description: 'last day of the statement (inclusive, UTC), YYYY-MM-DD',
    format: 'date',
    pattern: PATTERNS.isoDate,
  })
  @Matches(ISO_DATE, { message: 'to must be an ISO date YYYY-MM-DD' })
  to: string;

  @ApiMoneyInput({
    allowZero: true,
    example: '12500.00',
    description: "the custody account's closing balance at the end of `to`, per the bank (>= 0)",
  })
  @IsMoneyAmount({ allowZero: true })
  closingBalance: string;
}

/** Query strings arrive as text: only plain digits become numbers, anything else fails validation. */
const wholeNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;

export class ReconciliationListQueryDto {
  @ApiPropertyOptional({ description: '`nextCursor` of the previous page', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class StatementSideDto {
  @ApiInteger({ description: 'line number in the uploaded file (the CSV header is line 1)' })
  line: number;
  @ApiProperty({ example: '2026-11-28', format: 'date', pattern: PATTERNS.isoDate }) date: string;
  @ApiEnum(['CREDIT', 'DEBIT']) direction: string;
  @ApiMoney() amount: string;
}

export class LedgerSideDto {
  @ApiUuid() transferId: string;
  @ApiEnum(TRANSFER_KINDS, { example: 'DEPOSIT' }) kind: string;
  @ApiEnum(['CREDIT', 'DEBIT'], { description: "the bank's point of view" })
  direction: string;
  @ApiMoney() amount: string;
  @ApiDateTime() at: string;
}

export class ReconciliationLineDto {
  @ApiProperty({ type: String, nullable: true }) bankReference: string | null;
  @ApiProperty({ type: StatementSideDto, nullable: true }) statement: StatementSideDto | null;
  @ApiProperty({ type: LedgerSideDto, nullable: true }) ledger: LedgerSideDto | null;
}

export class ReconciliationMismatchDto extends ReconciliationLineDto {
  @ApiProperty({ enum: ['amount', 'direction'], isArray: true }) differs: string[];
}

export class ReconciliationCountsDto {
  @ApiInteger({ minimum: 0 }) statementLines: number;
  @ApiInteger({ minimum: 0 }) matched: number;
  @ApiInteger({ minimum: 0 }) unmatchedStatement: number;
  @ApiInteger({ minimum: 0 }) unmatchedLedger: number;
  @ApiInteger({ minimum: 0 }) amountMismatches: number;
}

export class ReconciliationTotalsDto {
  @ApiMoney({ description: 'sum of CREDIT lines on the statement' }) statementCredits: string;
  @ApiMoney({ description: 'sum of DEBIT lines on the statement' }) statementDebits: string;
  @ApiMoney({ description: 'money into custody in the period, per the ledger' })
  ledgerCredits: string;
  @ApiMoney({ description: 'money out of custody in the period, per the ledger' })
  ledgerDebits: string;
}

export class ReconciliationSummaryDto {
  @ApiUuid() id: string;
  @ApiUuid({ description: 'the FINANCE user who ran it' }) runBy: string;
  @ApiDateTime() runAt: string;
  @ApiProperty({ format: 'date', pattern: PATTERNS.isoDate }) from: string;
  @ApiProperty({ format: 'date', pattern: PATTERNS.isoDate }) to: string;
  @ApiCurrency() currency: string;
  @ApiEnum(['CSV', 'JSONL']) statementFormat: string;
  @ApiSha256({ description: 'SHA-256 of the uploaded bytes' }) statementSha256: string;
  @ApiProperty({ type: ReconciliationCountsDto }) counts: ReconciliationCountsDto;
  @ApiProperty({ type: ReconciliationTotalsDto }) totals: ReconciliationTotalsDto;
  @ApiMoney({ description: "the bank's closing balance" }) closingBalance: string;
  @ApiMoney(
    { description: 'custody:cash posted balance at the end of the period' },
    { signed: true },
  )
  ledgerBalance: string;
  @ApiMoney({ description: 'ledgerBalance - closingBalance', example: '0.00' }, { signed: true })
  difference: string;
}

export class ReconciliationDto extends ReconciliationSummaryDto {
  @ApiProperty({ type: ReconciliationLineDto, isArray: true }) matched: ReconciliationLineDto[];
  @ApiProperty({ type: ReconciliationLineDto, isArray: true, description: 'no ledger transfer' })
  unmatchedStatement: ReconciliationLineDto[];
  @ApiProperty({
    type: ReconciliationLineDto,
    isArray: true,
    description: 'custody transfers in the period that no statement line names',
  })
  unmatchedLedger: ReconciliationLineDto[];
  @ApiProperty({
    type: ReconciliationMismatchDto,
    isArray: true,
    description: 'same bankReference, different amount (or direction)',
  })
  amountMismatches: ReconciliationMismatchDto[];
}

export class ReconciliationPageDto {
  @ApiProperty({ type: ReconciliationSummaryDto, isArray: true })
  reconciliations: ReconciliationSummaryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
