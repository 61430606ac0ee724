import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';

export class PledgeRequestDto {
  @ApiProperty({ example: '1000.00' }) @IsMoneyAmount() amount: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() rewardTierId?: string;

  @ApiPropertyOptional({
    description: 'The investor accepts the special written risk warning (CN-SUIT-11)',
  })
  @IsOptional()
  @IsBoolean()
  specialWarningAccepted?: boolean;
}
