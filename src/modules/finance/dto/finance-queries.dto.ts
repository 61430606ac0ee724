import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

const wholeNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;

/** ISO 8601 with a date and a time (a bare date would be read in no particular zone). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

export class TrialBalanceQueryDto {
  @ApiPropertyOptional({
    description:
      'ISO 8601 instant (with time zone). Balances as of then (inclusive), recomputed from the transfers; not later than now.',
    example: '2026-11-28T12:00:00Z',
    format: 'date-time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'asOf must be an ISO 8601 instant with a time zone' })
  asOf?: string;
}

export class StatementQueryDto {
  @ApiPropertyOptional({
    description: 'ISO 8601 instant with a zone, inclusive',
    format: 'date-time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'from must be an ISO 8601 instant with a time zone' })
  from?: string;

  @ApiPropertyOptional({
    description: 'ISO 8601 instant with a zone, exclusive',
    format: 'date-time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'to must be an ISO 8601 instant with a time zone' })
  to?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (opaque)', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class DailyFlowsQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    default: 90,
    minimum: 1,
    maximum: 366,
    description: 'How many Shanghai calendar days, today included',
  })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(366)
  days?: number;
}
