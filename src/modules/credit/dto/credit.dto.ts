import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import {
  CREDIT_KINDS,
  CREDIT_SEVERITIES,
  type CreditKind,
  type CreditSeverity,
} from '../credit.types.js';
import { PageDtoOf, PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import type { CreditRecordView } from '../credit.service.js';

/** A full timestamp with an explicit zone: a zoneless time would be read in the server's zone. */
const TIMESTAMP_WITH_ZONE =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const NOT_BLANK = /\S/;

/** Query strings arrive as text: only the words true and false become booleans. */
const booleanWord = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class RecordCreditDto {
  @ApiProperty({ format: 'uuid', description: 'The user the record is about' })
  @IsUUID()
  userId: string;

  @ApiProperty({ enum: CREDIT_KINDS })
  @IsIn(CREDIT_KINDS)
  kind: CreditKind;

  @ApiProperty({
    enum: CREDIT_SEVERITIES,
    description: 'BLOCKING denies market access while in force; WARNING never blocks',
  })
  @IsIn(CREDIT_SEVERITIES)
  severity: CreditSeverity;

  @ApiProperty({
    example: 'CITY_CREDIT_SYSTEM',
    description: 'Where the finding comes from',
    minLength: 1,
    maxLength: 100,
  })
  @IsString()
  @Length(1, 100)
  @Matches(NOT_BLANK, { message: 'source must not be blank' })
  source: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'ISO 8601 with a zone; defaults to now',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(TIMESTAMP_WITH_ZONE, { message: 'effectiveFrom must be a timestamp with a time zone' })
  effectiveFrom?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'ISO 8601 with a zone, after effectiveFrom; absent: until lifted',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(TIMESTAMP_WITH_ZONE, { message: 'effectiveUntil must be a timestamp with a time zone' })
  effectiveUntil?: string;

  @ApiProperty({
    description: 'What was found; shown to admins only',
    minLength: 1,
    maxLength: 1000,
  })
  @IsString()
  @Length(1, 1000)
  @Matches(NOT_BLANK, { message: 'note must not be blank' })
  note: string;
}

export class LiftCreditDto {
  @ApiProperty({ minLength: 1, maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @Matches(NOT_BLANK, { message: 'reason must not be blank' })
  reason: string;
}

export class CreditRecordsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'true: only records in force now; false: lifted, expired or not yet effective',
  })
  @IsOptional()
  @Transform(booleanWord)
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

export class CreditRecordDto implements CreditRecordView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ enum: CREDIT_KINDS }) kind: CreditKind;
  @ApiProperty({ enum: CREDIT_SEVERITIES }) severity: CreditSeverity;
  @ApiProperty() source: string;
  @ApiProperty({ format: 'date-time' }) effectiveFrom: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  effectiveUntil: string | null;
  @ApiProperty() note: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'The ADMIN who recorded it; null when the platform recorded it by rule (loans, fulfilment, charity)',
  })
  createdBy: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) liftedAt: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) liftedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) liftReason: string | null;
  @ApiProperty({ type: Boolean, description: 'In force now (PLAT-03)' }) active: boolean;
}

export class CreditRecordPageDto extends PageDtoOf(CreditRecordDto, 'CreditRecordPageDto') {}
