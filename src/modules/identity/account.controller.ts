import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AllowWithoutSecondFactor,
  type AuthUser,
  CurrentUser,
} from '../../common/auth/auth.decorators.js';
import { ApiErrors } from '../../common/openapi/api-docs.decorators.js';
import { CredentialRateLimit } from './credential-rate-limit.guard.js';
import {
  AcceptedDto,
  ChangePasswordDto,
  RecoveryCodesDto,
  TotpCodeDto,
  TotpEnrolmentDto,
} from './dto/account.dto.js';
import { EmailVerificationService } from './email-verification.service.js';
import { PasswordService } from './password.service.js';
import { TotpService } from './totp.service.js';

/** The signed-in user's own credentials: password, e-mail verification, TOTP second factor. */
@ApiTags('identity')
@Controller('me')
export class AccountController {
  constructor(
    private readonly passwords: PasswordService,
    private readonly verification: EmailVerificationService,
    private readonly totp: TotpService,
  ) {}

  @CredentialRateLimit('password-change')
  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change the password (current + new); ends every session' })
  @ApiResponse({ status: 204, description: 'Changed; sign in again' })
  @ApiErrors('AUTH.WRONG_PASSWORD', 'NOT_FOUND', 'RATE_LIMITED')
  changePassword(@CurrentUser() user: AuthUser, @Body() body: ChangePasswordDto): Promise<void> {
    return this.passwords.change(user, body.currentPassword, body.newPassword);
  }

  @CredentialRateLimit('email-verification')
  @Post('email-verification')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send the e-mail verification link again' })
  @ApiResponse({ status: 202, type: AcceptedDto })
  @ApiErrors('AUTH.EMAIL_ALREADY_VERIFIED', 'NOT_FOUND', 'RATE_LIMITED')
  async resendVerification(@CurrentUser() user: AuthUser): Promise<AcceptedDto> {
    await this.verification.resend(user.id);
    return { status: 'ACCEPTED', message: 'A new verification link is on its way.' };
  }

  @AllowWithoutSecondFactor()
  @CredentialRateLimit('totp')
  @Post('totp/enrol')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start TOTP enrolment: a secret and an otpauth:// URI for a QR code (RFC 6238)',
  })
  @ApiOkResponse({ type: TotpEnrolmentDto })
  @ApiErrors('AUTH.TOTP_ALREADY_ENROLLED', 'NOT_FOUND', 'RATE_LIMITED')
  enrolTotp(@CurrentUser() user: AuthUser): Promise<TotpEnrolmentDto> {
    return this.totp.enrol(user.id);
  }

  @AllowWithoutSecondFactor()
  @CredentialRateLimit('totp')
  @Post('totp/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Activate TOTP with a first code; returns the recovery codes once. Then sign in again with a code.',
  })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiErrors(
    'AUTH.TOTP_NOT_ENROLLED',
    'AUTH.TOTP_ALREADY_ENROLLED',
    'AUTH.INVALID_TOTP_CODE',
    'RATE_LIMITED',
  )
  confirmTotp(@CurrentUser() user: AuthUser, @Body() body: TotpCodeDto): Promise<RecoveryCodesDto> {
    return this.totp.confirm(user.id, body.code);
  }
}
