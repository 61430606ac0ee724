import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

/** Query strings arrive as text: only plain digits become numbers, anything else fails. */
const wholeNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;

/** ISO 8601 with a date and a time (a bare date would be read in no particular zone). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An action (`pledge.refused`) or a refusal code (`PLEDGE.LIMIT_EXCEEDED`). */
const CODE = /^[A-Za-z0-9_.:-]{1,100}$/;

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

/** GET /admin/audit-events: every filter is optional; all given filters must hold (AND). */
export class AuditEventsQueryDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'events this user did (actor) or that are about them (subject `user`)',
  })
  @IsOptional()
  @IsUUID('all')
  userId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'events about this campaign (subject `campaign`, or `details.campaignId`)',
  })
  @IsOptional()
  @IsUUID('all')
  campaignId?: string;

  @ApiPropertyOptional({
    pattern: CODE.source,
    example: 'PLEDGE.LIMIT_EXCEEDED',
    description:
      'an action (`pledge.refused`) or a refusal code in `details.code` (`PLEDGE.LIMIT_EXCEEDED`)',
  })
  @IsOptional()
  @IsString()
  @Matches(CODE, { message: 'code must be 1-100 letters, digits, or . _ : -' })
  code?: string;

  @ApiPropertyOptional({
    description: 'ISO 8601 instant with a time zone, inclusive',
    format: 'date-time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'from must be an ISO 8601 instant with a time zone' })
  from?: string;

  @ApiPropertyOptional({
    description: 'ISO 8601 instant with a time zone, exclusive',
    format: 'date-time',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(INSTANT, { message: 'to must be an ISO 8601 instant with a time zone' })
  to?: string;

  @ApiPropertyOptional({
    description: '`nextCursor` of the previous page (opaque)',
    maxLength: 1000,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    default: AUDIT_PAGE_DEFAULT,
    minimum: 1,
    maximum: AUDIT_PAGE_MAX,
  })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(AUDIT_PAGE_MAX)
  limit?: number;
}

export class AuditEventDto {
  @ApiProperty({
    example: '4711',
    pattern: '^(0|[1-9]\\d*)$',
    description: 'position in the trail (ascending with time)',
  })
  id: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  actorId: string | null;

  @ApiProperty({ example: 'pledge.refused' })
  action: string;

  @ApiProperty({ example: 'campaign' })
  subjectType: string;

  @ApiProperty({
    description: 'A uuid for users, campaigns, pledges...; the route for finance reads',
  })
  subjectId: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'what the event records (ids, codes, rule IDs, inputs; never personal data)',
  })
  details: Record<string, unknown>;
}

export class AuditEventPageDto {
  @ApiProperty({ type: [AuditEventDto], description: 'newest first' })
  events: AuditEventDto[];

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'pass as `cursor` for the next (older) page; null on the last page',
  })
  nextCursor: string | null;
}
