import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { PageDtoOf } from '../../../common/pagination/page-query.dto.js';

export class RegisterWebhookDto {
  @ApiProperty({
    example: 'https://hooks.example.com/zhongchou',
    description: 'HTTPS; plain http only to a loopback address outside production',
    format: 'uri',
    minLength: 8,
    maxLength: 2000,
  })
  @IsString()
  @MinLength(8)
  @MaxLength(2000)
  url: string;
}

export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() url: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) disabledAt: string | null;
}

export class RegisteredWebhookDto extends WebhookEndpointDto {
  @ApiProperty({
    description:
      'The signing secret, shown this once: X-Zhongchou-Signature = sha256=hex(HMAC-SHA256(timestamp + "." + body, secret))',
  })
  secret: string;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'The event id (X-Zhongchou-Event-Id)' })
  eventId: string;
  @ApiProperty() eventType: string;
  @ApiProperty({ enum: ['PENDING', 'DELIVERED', 'FAILED'] })
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Tries so far' }) attempts: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastAttemptAt: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: "The endpoint's last HTTP status" })
  lastStatusCode: number | null;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextAttemptAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deliveredAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class WebhookDeliveryPageDto extends PageDtoOf(
  WebhookDeliveryDto,
  'WebhookDeliveryPageDto',
) {}
