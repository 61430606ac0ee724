import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';
import { ApiMoneyInput } from '../../../common/openapi/api-properties.js';

export class PledgeRequestDto {
  @ApiMoneyInput({ example: '1000.00' }) @IsMoneyAmount() amount: string;
  @ApiPropertyOptional({ format: 'uuid', description: "One of the campaign's reward tiers" })
  @IsOptional()
  @IsUUID()
  rewardTierId?: string;

  @ApiPropertyOptional({
    description: 'The investor accepts the special written risk warning (CN-SUIT-11)',
  })
  @IsOptional()
  @IsBoolean()
  specialWarningAccepted?: boolean;
}

export class ConfirmationCallDto {
  @ApiProperty({ enum: ['CONFIRMED', 'RESCINDED', 'UNREACHABLE'] })
  @IsIn(['CONFIRMED', 'RESCINDED', 'UNREACHABLE'])
  outcome: 'CONFIRMED' | 'RESCINDED' | 'UNREACHABLE';

  @ApiProperty({
    description: 'what was confirmed (CN-PF-07: identity, own purchase, risks understood)',
    minLength: 1,
    maxLength: 2000,
  })
  @IsString()
  @Length(1, 2000)
  notes: string;
}
