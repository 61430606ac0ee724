import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';
import { WIRE_FORMAT } from '../../../common/money/money.js';
import { ApiMoneyInput } from '../../../common/openapi/api-properties.js';

/** CN-SUIT-11: which warning text was accepted. */
export class SpecialWarningAcceptanceDto {
  @ApiProperty({ example: 'SW-2026.1', minLength: 1, maxLength: 40 })
  @IsString()
  @Length(1, 40)
  version: string;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the exact warning text' })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/)
  sha256: string;
}

export class PledgeRequestDto {
  @ApiMoneyInput({ example: '1000.00' }) @IsMoneyAmount() amount: string;
  @ApiPropertyOptional({ format: 'uuid', description: "One of the campaign's reward tiers" })
  @IsOptional()
  @IsUUID()
  rewardTierId?: string;

  @ApiPropertyOptional({
    type: () => SpecialWarningAcceptanceDto,
    description:
      'The special written risk warning the investor was shown (in the 422 SUITABILITY.SPECIAL_WARNING_REQUIRED refusal) and accepts, by version and hash (CN-SUIT-11)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SpecialWarningAcceptanceDto)
  specialWarning?: SpecialWarningAcceptanceDto;
}

/**
 * PledgeRequestDto as a JSON schema, compiled once (CompiledBodyPipe, issue 18): it accepts only
 * what the DTO accepts (test/pledge-request-schema.spec.ts checks it with generated bodies); what
 * it refuses is left to the DTO, for the same answer and messages. A positive amount (INV-7's
 * wire format, greater than zero), a UUID of versions 1-8, the warning's version of 1-40 UTF-16
 * units and its SHA-256 in lowercase hex; nothing else.
 */
export const PLEDGE_REQUEST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['amount'],
  properties: {
    amount: {
      type: 'string',
      pattern: WIRE_FORMAT.source,
      not: { type: 'string', pattern: '^0(\\.0{1,2})?$' },
    },
    rewardTierId: {
      type: 'string',
      pattern:
        '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$',
    },
    specialWarning: {
      type: 'object',
      additionalProperties: false,
      required: ['version', 'sha256'],
      properties: {
        version: { type: 'string', pattern: '^[\\s\\S]{1,40}$' },
        sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
    },
  },
} as const;

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
