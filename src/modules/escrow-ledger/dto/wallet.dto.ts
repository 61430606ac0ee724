import { ApiProperty } from '@nestjs/swagger';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';

export class WalletDto {
  @ApiProperty({ example: '1000.00' }) available: string;
  @ApiProperty({ example: '0.00' }) held: string;
  @ApiProperty({ example: 'CNY' }) currency: string;
}

export class WithdrawalRequestDto {
  @ApiProperty({ example: '100.00' })
  @IsMoneyAmount()
  amount: string;
}

export class WithdrawalDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['PENDING'] }) status: 'PENDING';
  @ApiProperty() amount: string;
  @ApiProperty() currency: string;
  @ApiProperty() createdAt: string;
}
