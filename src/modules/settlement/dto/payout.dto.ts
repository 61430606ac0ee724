import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';

export class PayoutRequestDto {
  @ApiProperty({ format: 'uuid', description: 'An own SETTLED campaign' })
  @IsUUID()
  campaignId: string;
}

export class PayoutRejectDto {
  @ApiProperty({ minLength: 1, maxLength: 1000 }) @IsString() @Length(1, 1000) reason: string;
}

/** GET /finance/payouts: the console's approval queue (issue 17). */
export class PayoutListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ['REQUESTED', 'APPROVED', 'REJECTED'],
    default: 'REQUESTED',
    description: 'Decision state; REQUESTED is the queue awaiting a second person',
  })
  @IsOptional()
  @IsIn(['REQUESTED', 'APPROVED', 'REJECTED'])
  status?: 'REQUESTED' | 'APPROVED' | 'REJECTED';
}
