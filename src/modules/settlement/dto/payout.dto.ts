import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';

export class PayoutRequestDto {
  @ApiProperty({ format: 'uuid', description: 'An own SETTLED campaign' })
  @IsUUID()
  campaignId: string;
}

export class PayoutRejectDto {
  @ApiProperty({ minLength: 1, maxLength: 1000 }) @IsString() @Length(1, 1000) reason: string;
}
