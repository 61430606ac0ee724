import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Length } from 'class-validator';

export class PayoutRequestDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() campaignId: string;
}

export class PayoutRejectDto {
  @ApiProperty() @IsString() @Length(1, 1000) reason: string;
}
