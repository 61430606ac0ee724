import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';
import {
  ApiBoolean,
  ApiDateTime,
  ApiEnum,
  ApiMoneyInput,
  ApiUuid,
  PATTERNS,
} from '../../../common/openapi/api-properties.js';
import type { CustodyResult } from '../custody.service.js';
import { WALLET_LINES, type WalletLine } from '../wallet-lines.js';

export const CUSTODY_NOTIFICATION_TYPES = [
  'DEPOSIT',
  'WITHDRAWAL_SETTLED',
  'WITHDRAWAL_FAILED',
  'PAYOUT_SETTLED',
  'PAYOUT_FAILED',
  'REPAYMENT',
  'DISTRIBUTION',
] as const;

export class CustodyNotificationDto {
  @ApiEnum(CUSTODY_NOTIFICATION_TYPES)
  @IsIn(CUSTODY_NOTIFICATION_TYPES)
  type: (typeof CUSTODY_NOTIFICATION_TYPES)[number];

  @ApiProperty({
    description: "The bank's unique reference; a retried notice carries the same one.",
    pattern: '^[A-Za-z0-9._:-]+$',
    minLength: 1,
    maxLength: 100,
  })
  @IsString()
  @Length(1, 100)
  @Matches(/^[A-Za-z0-9._:-]+$/)
  bankReference: string;

  @ApiUuid({ description: 'DEPOSIT: the user credited' }, false)
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiEnum(
    WALLET_LINES,
    {
      description:
        "DEPOSIT to an investor (PLAT-07): the wallet line credited. Under line separation EQUITY or DEBT names that line's wallet and no line (or GENERAL) the general wallet; otherwise every deposit is general and the only financial line enabled may be named. A line not enabled is refused (422 WALLET.LINE_NOT_ENABLED).",
    },
    false,
  )
  @IsOptional()
  @IsIn(WALLET_LINES)
  line?: WalletLine;

  @ApiUuid({ description: 'REPAYMENT: the loan repaid (its repayment account is credited)' }, false)
  @IsOptional()
  @IsUUID()
  loanId?: string;

  @ApiUuid({ description: 'DISTRIBUTION: the announced distribution funded (issue 15)' }, false)
  @IsOptional()
  @IsUUID()
  distributionId?: string;

  @ApiUuid({ description: 'WITHDRAWAL_*/PAYOUT_*: the held transfer' }, false)
  @IsOptional()
  @IsUUID()
  transferId?: string;

  @ApiMoneyInput()
  @IsMoneyAmount()
  amount: string;

  @ApiProperty({ example: 'CNY', pattern: PATTERNS.currency })
  @Matches(/^[A-Z]{3}$/)
  currency: string;

  @ApiDateTime({ description: 'When the bank booked it (ISO 8601)' })
  @IsISO8601({ strict: true })
  occurredAt: string;
}

export class CustodyResultDto implements CustodyResult {
  @ApiProperty() bankReference: string;
  @ApiUuid({ description: 'The ledger transfer the notice booked' }) transferId: string;
  @ApiEnum(['POSTED', 'POST', 'VOID'], {
    description:
      'POSTED: a deposit or a repayment; POST / VOID: a held withdrawal or payout settled or failed',
  })
  transferStatus: CustodyResult['transferStatus'];
  @ApiBoolean({ description: 'True when this bankReference was already applied' })
  replayed: boolean;
}
