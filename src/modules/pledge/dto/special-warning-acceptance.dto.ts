import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { PATTERNS } from '../../../common/openapi/api-properties.js';

/**
 * The special written risk warning an investor accepts with a pledge (CN-SUIT-11): the version
 * and hash of the exact text the 422 SUITABILITY.SPECIAL_WARNING_REQUIRED showed them in
 * `details.warning`. A stale or wrong hash is 409 DISCLOSURE.STALE_VERSION. For the pledge
 * request's `specialWarning` field (issue 12), which replaces `specialWarningAccepted`.
 */
export class SpecialWarningAcceptanceDto {
  @ApiProperty({
    description: 'details.warning.version of the refusal',
    minLength: 1,
    maxLength: 40,
  })
  @IsString()
  @Length(1, 40)
  version: string;

  @ApiProperty({
    description: 'details.warning.sha256 of the refusal: the hash of the exact text read',
    pattern: PATTERNS.sha256,
  })
  @Matches(new RegExp(PATTERNS.sha256), { message: 'sha256 must be 64 lower-case hex characters' })
  sha256: string;
}
