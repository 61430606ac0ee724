import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageDtoOf } from '../../../common/pagination/page-query.dto.js';
import { LOCALES, type Locale } from '../notice-format.js';

/** Query strings arrive as text: only the words true and false become booleans. */
const booleanWord = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;
/** Only plain digits become numbers; anything else fails validation. */
const wholeNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;

export class InboxQueryDto {
  @ApiPropertyOptional({ description: 'true: unread notices only' })
  @IsOptional()
  @Transform(booleanWord)
  @IsBoolean()
  unread?: boolean;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'pledge.placed' }) type: string;
  @ApiProperty({ description: "In the reader's locale" }) title: string;
  @ApiProperty({
    description: "In the reader's locale; amounts with currency, times in Beijing time and UTC",
  })
  body: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The facts the text was made from (never an ID number, a password or a token)',
  })
  params: Record<string, unknown>;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) campaignId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt: string | null;
}

export class InboxPageDto {
  @ApiProperty({ type: [NotificationDto] }) items: NotificationDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) unreadCount: number;
}

export class MarkedReadDto {
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'How many unread notices were marked read',
  })
  marked: number;
}

export class LocaleDto {
  @ApiProperty({ enum: LOCALES, description: 'Language of notices (zh-CN by default)' })
  @IsIn(LOCALES)
  locale: Locale;
}

export class FailedDeliveryDto {
  @ApiProperty({ enum: ['EMAIL', 'WEBHOOK'] }) channel: 'EMAIL' | 'WEBHOOK';
  @ApiProperty({ format: 'uuid', description: 'The notification (EMAIL) or webhook delivery' })
  id: string;
  @ApiProperty({ format: 'uuid' }) notificationId: string;
  @ApiProperty() type: string;
  @ApiProperty({ format: 'uuid', description: 'Recipient, or the founder owning the endpoint' })
  userId: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) endpointId: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) attempts: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastAttemptAt: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: "The endpoint's last HTTP status" })
  lastStatusCode: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
}

export class FailedDeliveryPageDto extends PageDtoOf(FailedDeliveryDto, 'FailedDeliveryPageDto') {}
