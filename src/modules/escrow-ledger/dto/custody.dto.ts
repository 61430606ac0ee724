import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';

export const CUSTODY_NOTIFICATION_TYPES = [
  'DEPOSIT',
  'WITHDRAWAL_SETTLED',
  'WITHDRAWAL_FAILED',
  'PAYOUT_SETTLED',
  'PAYOUT_FAILED',
] as const;

export class CustodyNotificationDto {
  @ApiProperty({ enum: CUSTODY_NOTIFICATION_TYPES })
  @IsIn(CUSTODY_NOTIFICATION_TYPES)
  type: (typeof CUSTODY_NOTIFICATION_TYPES)[number];

  @ApiProperty({
    description: "The bank's unique reference; a retried notice carries the same one.",
  })
  @IsString()
  @Length(1, 100)
  @Matches(/^[A-Za-z0-9._:-]+$/)
  bankReference: string;

  @ApiPropertyOptional({ description: 'DEPOSIT: the user credited' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ description: 'WITHDRAWAL_*/PAYOUT_*: the held transfer' })
  @IsOptional()
  @IsUUID()
  transferId?: string;

  @ApiProperty({ example: '1000.00' })
  @IsMoneyAmount()
  amount: string;

  @ApiProperty({ example: 'CNY' })
  @Matches(/^[A-Z]{3}$/)
  currency: string;

  @ApiProperty()
  @IsISO8601({ strict: true })
  occurredAt: string;
}

export class CustodyResultDto {
  @ApiProperty() bankReference: string;
  @ApiProperty() transferId: string;
  @ApiProperty({ enum: ['POSTED', 'POST', 'VOID'] }) transferStatus: string;
  @ApiProperty() replayed: boolean;
}
