import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PATTERNS } from '../../../common/openapi/api-properties.js';
import { OPAQUE_TOKEN } from '../account-secrets.js';

const lowerTrimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

const TOKEN_MESSAGE = 'must be the 43-character token from the e-mail or the sign-in';

export class TokenPairDto {
  @ApiProperty({ description: 'Short-lived bearer token (JWT_EXPIRES_IN_SECONDS).' })
  accessToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ type: 'integer', description: 'seconds the access token lives' })
  expiresIn: number;
  @ApiProperty({
    description:
      'Single-use: POST /auth/refresh returns a new one; presenting a used one ends the session.',
    pattern: PATTERNS.opaqueToken,
  })
  refreshToken: string;
  @ApiProperty({ type: 'integer', description: 'seconds the refresh token lives' })
  refreshExpiresIn: number;
}

/**
 * Either tokens, or (for an account with a TOTP factor) a challenge to complete at
 * POST /auth/login/totp.
 */
export class LoginResponseDto {
  @ApiProperty({
    description: 'True: no tokens yet; send challengeToken and a code to POST /auth/login/totp.',
  })
  secondFactorRequired: boolean;
  @ApiPropertyOptional() challengeToken?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'seconds' }) challengeExpiresIn?: number;
  @ApiPropertyOptional({
    description:
      'A staff account without a TOTP factor: this session may only enrol (POST /me/totp/enrol).',
  })
  secondFactorEnrolmentRequired?: boolean;
  @ApiPropertyOptional() accessToken?: string;
  @ApiPropertyOptional({ enum: ['Bearer'] }) tokenType?: 'Bearer';
  @ApiPropertyOptional({ type: 'integer' }) expiresIn?: number;
  @ApiPropertyOptional({ pattern: PATTERNS.opaqueToken }) refreshToken?: string;
  @ApiPropertyOptional({ type: 'integer' }) refreshExpiresIn?: number;
}

/** The console's tokens (issue 17): the refresh token is in the HttpOnly cookie, never here. */
export class ConsoleTokenDto {
  @ApiProperty({ description: 'Short-lived bearer token; keep it in memory only.' })
  accessToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ type: 'integer', description: 'seconds the access token lives' })
  expiresIn: number;
}

/** POST /auth/console/login: a TOTP challenge, or tokens with the refresh token as a cookie. */
export class ConsoleLoginResponseDto {
  @ApiProperty({
    description:
      'True: send challengeToken and a code to POST /auth/console/login/totp (no tokens yet).',
  })
  secondFactorRequired: boolean;
  @ApiPropertyOptional() challengeToken?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'seconds' }) challengeExpiresIn?: number;
  @ApiPropertyOptional() secondFactorEnrolmentRequired?: boolean;
  @ApiPropertyOptional() accessToken?: string;
  @ApiPropertyOptional({ enum: ['Bearer'] }) tokenType?: 'Bearer';
  @ApiPropertyOptional({ type: 'integer' }) expiresIn?: number;
}

export class LoginTotpDto {
  @ApiProperty({ description: 'From POST /auth/login', maxLength: 2000 })
  @IsString()
  @MaxLength(2000)
  challengeToken: string;

  @ApiProperty({
    description: 'A 6-digit TOTP code, or one of the recovery codes (XXXXX-XXXXX)',
    pattern: '^(?:[0-9]{6}|[0-9A-Za-z]{5}[-\\s]?[0-9A-Za-z]{5})$',
  })
  @IsString()
  @Matches(/^(?:[0-9]{6}|[0-9A-Za-z]{5}[-\s]?[0-9A-Za-z]{5})$/, {
    message: 'code must be a 6-digit TOTP code or a recovery code (XXXXX-XXXXX)',
  })
  code: string;
}

export class RefreshTokenDto {
  @ApiProperty({ pattern: PATTERNS.opaqueToken })
  @IsString()
  @Matches(OPAQUE_TOKEN, { message: `refreshToken ${TOKEN_MESSAGE}` })
  refreshToken: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({
    example: 'li.wei@example.com',
    format: 'email',
    pattern: PATTERNS.email,
    maxLength: 254,
  })
  @Transform(lowerTrimmed)
  @IsEmail()
  @MaxLength(254)
  email: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ pattern: PATTERNS.opaqueToken, description: 'From the reset e-mail' })
  @IsString()
  @Matches(OPAQUE_TOKEN, { message: `token ${TOKEN_MESSAGE}` })
  token: string;

  @ApiProperty({ minLength: 10, maxLength: 128, format: 'password' })
  @IsString()
  @MinLength(10)
  @MaxLength(128)
  newPassword: string;
}

export class ChangePasswordDto {
  @ApiProperty({ maxLength: 128, format: 'password' })
  @IsString()
  @MaxLength(128)
  currentPassword: string;

  @ApiProperty({ minLength: 10, maxLength: 128, format: 'password' })
  @IsString()
  @MinLength(10)
  @MaxLength(128)
  newPassword: string;
}

export class VerifyEmailDto {
  @ApiProperty({ pattern: PATTERNS.opaqueToken, description: 'From the verification e-mail' })
  @IsString()
  @Matches(OPAQUE_TOKEN, { message: `token ${TOKEN_MESSAGE}` })
  token: string;
}

export class TotpCodeDto {
  @ApiProperty({ example: '123456', pattern: PATTERNS.totpCode })
  @IsString()
  @Matches(/^[0-9]{6}$/, { message: 'code must be 6 digits' })
  code: string;
}

export class AcceptedDto {
  @ApiProperty({ enum: ['ACCEPTED'] }) status: 'ACCEPTED';
  @ApiProperty() message: string;
}

export class EmailVerifiedDto {
  @ApiProperty({ enum: [true] }) emailVerified: true;
}

export class TotpEnrolmentDto {
  @ApiProperty({ description: 'Base32 secret, for typing into an authenticator app' })
  secret: string;
  @ApiProperty({
    description: 'otpauth://totp/... URI: show it as a QR code',
    example: 'otpauth://totp/zhongchou:admin%40example.com?secret=...&issuer=zhongchou',
  })
  otpauthUri: string;
}

export class RecoveryCodesDto {
  @ApiProperty({
    type: [String],
    description: 'Shown once: each works once instead of a TOTP code. Store them offline.',
  })
  recoveryCodes: string[];
}
