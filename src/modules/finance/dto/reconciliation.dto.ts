import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The statement's period and closing balance, sent as query parameters next to the file. */
export class ReconciliationQueryDto {
  @ApiProperty({ description: 'first day of the statement (inclusive, UTC), YYYY-MM-DD' })
  @Matches(ISO_DATE, { message: 'from must be an ISO date YYYY-MM-DD' })
  from: string;

  @ApiProperty({ description: 'last day of the statement (inclusive, UTC), YYYY-MM-DD' })
  @Matches(ISO_DATE, { message: 'to must be an ISO date YYYY-MM-DD' })
  to: string;

  @ApiProperty({
    example: '12500.00',
    description: "the custody account's closing balance at the end of `to`, per the bank",
  })
  @IsMoneyAmount({ allowZero: true })
  closingBalance: string;
}

/** Query strings arrive as text: only plain digits become numbers, anything else fails validation. */
const wholeNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;

export class ReconciliationListQueryDto {
  @ApiPropertyOptional({ description: '`nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class StatementSideDto {
  @ApiProperty({ description: 'line number in the uploaded file' }) line: number;
  @ApiProperty({ example: '2026-11-28' }) date: string;
  @ApiProperty({ enum: ['CREDIT', 'DEBIT'] }) direction: string;
  @ApiProperty({ example: '1500.00' }) amount: string;
}

export class LedgerSideDto {
  @ApiProperty() transferId: string;
  @ApiProperty({ example: 'DEPOSIT' }) kind: string;
  @ApiProperty({ enum: ['CREDIT', 'DEBIT'], description: "the bank's point of view" })
  direction: string;
  @ApiProperty({ example: '1500.00' }) amount: string;
  @ApiProperty() at: string;
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
  @ApiProperty() statementLines: number;
  @ApiProperty() matched: number;
  @ApiProperty() unmatchedStatement: number;
  @ApiProperty() unmatchedLedger: number;
  @ApiProperty() amountMismatches: number;
}

export class ReconciliationTotalsDto {
  @ApiProperty({ description: 'sum of CREDIT lines on the statement' }) statementCredits: string;
  @ApiProperty({ description: 'sum of DEBIT lines on the statement' }) statementDebits: string;
  @ApiProperty({ description: 'money into custody in the period, per the ledger' })
  ledgerCredits: string;
  @ApiProperty({ description: 'money out of custody in the period, per the ledger' })
  ledgerDebits: string;
}

export class ReconciliationSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'the FINANCE user who ran it' }) runBy: string;
  @ApiProperty() runAt: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ enum: ['CSV', 'JSONL'] }) statementFormat: string;
  @ApiProperty({ description: 'SHA-256 of the uploaded bytes' }) statementSha256: string;
  @ApiProperty({ type: ReconciliationCountsDto }) counts: ReconciliationCountsDto;
  @ApiProperty({ type: ReconciliationTotalsDto }) totals: ReconciliationTotalsDto;
  @ApiProperty({ description: "the bank's closing balance" }) closingBalance: string;
  @ApiProperty({ description: 'custody:cash posted balance at the end of the period' })
  ledgerBalance: string;
  @ApiProperty({ description: 'ledgerBalance - closingBalance', example: '0.00' })
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
