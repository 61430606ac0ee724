import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { ApiEnum } from '../openapi/api-properties.js';

/** By indicator (`database`): its status and any detail (@nestjs/terminus's shape). */
const indicators = (required: boolean): ApiPropertyOptions => ({
  type: 'object',
  properties: {},
  selfRequired: required,
  description: 'By indicator (`database`): `status` up or down, and any detail',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
});

/** GET /health when every indicator is up (503 SERVICE_UNAVAILABLE otherwise). */
export class HealthDto {
  @ApiEnum(['ok']) status: 'ok';
  @ApiProperty(indicators(false)) info?: Record<string, unknown>;
  @ApiProperty(indicators(false)) error?: Record<string, unknown>;
  @ApiProperty(indicators(true)) details: Record<string, unknown>;
}

export class LiveDto {
  @ApiEnum(['ok']) status: 'ok';
}
