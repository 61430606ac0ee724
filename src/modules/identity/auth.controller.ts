import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/auth.decorators.js';
import { ApiErrors } from '../../common/openapi/api-docs.decorators.js';
import { AuthService } from './auth.service.js';
import { CredentialRateLimit } from './credential-rate-limit.guard.js';
import {
  AcceptedDto,
  EmailVerifiedDto,
  LoginResponseDto,
  LoginTotpDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  RefreshTokenDto,
  TokenPairDto,
  VerifyEmailDto,
} from './dto/account.dto.js';
import { LoginDto } from './dto/identity.dto.js';
import { EmailVerificationService } from './email-verification.service.js';
import { PasswordService } from './password.service.js';

/** Sign-in, sessions, password reset and e-mail verification: the public credential routes. */
@ApiTags('identity')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwords: PasswordService,
    private readonly verification: EmailVerificationService,
  ) {}

  @Public()
  @CredentialRateLimit('login')
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'E-mail and password: tokens, or a TOTP challenge for an account with a second factor (rate limited)',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors('AUTH.UNAUTHENTICATED', 'RATE_LIMITED')
  login(@Body() body: LoginDto): Promise<LoginResponseDto> {
    return this.auth.login(body.email, body.password);
  }

  @Public()
  @CredentialRateLimit('login-totp')
  @Post('login/totp')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete a sign-in with a TOTP code or a recovery code' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors('AUTH.CHALLENGE_INVALID', 'AUTH.INVALID_SECOND_FACTOR', 'RATE_LIMITED')
  loginTotp(@Body() body: LoginTotpDto): Promise<TokenPairDto> {
    return this.auth.completeLogin(body.challengeToken, body.code);
  }

  @Public()
  @CredentialRateLimit('refresh')
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Rotate a refresh token: a new pair; a used token presented again ends the session',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors('AUTH.REFRESH_TOKEN_INVALID', 'AUTH.REFRESH_TOKEN_REUSED', 'RATE_LIMITED')
  refresh(@Body() body: RefreshTokenDto): Promise<TokenPairDto> {
    return this.auth.refresh(body.refreshToken);
  }

  @Public()
  @CredentialRateLimit('logout')
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'End the session of this refresh token (its access tokens stop working too)',
  })
  @ApiResponse({ status: 204, description: 'Ended (or already ended)' })
  @ApiErrors('RATE_LIMITED')
  logout(@Body() body: RefreshTokenDto): Promise<void> {
    return this.auth.logout(body.refreshToken);
  }

  @Public()
  @CredentialRateLimit('password-reset')
  @Post('password-reset')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'E-mail a one-time reset token; the same answer whether or not the address has an account',
  })
  @ApiResponse({ status: 202, type: AcceptedDto })
  @ApiErrors('RATE_LIMITED')
  requestPasswordReset(@Body() body: PasswordResetRequestDto): AcceptedDto {
    this.passwords.requestReset(body.email);
    return {
      status: 'ACCEPTED',
      message: 'If an account uses this address, a reset token is on its way.',
    };
  }

  @Public()
  @CredentialRateLimit('password-reset-confirm')
  @Post('password-reset/confirm')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with the e-mailed token; ends every session' })
  @ApiResponse({ status: 204, description: 'Password set; sign in again' })
  @ApiErrors('AUTH.RESET_TOKEN_INVALID', 'RATE_LIMITED')
  confirmPasswordReset(@Body() body: PasswordResetConfirmDto): Promise<void> {
    return this.passwords.confirmReset(body.token, body.newPassword);
  }

  @Public()
  @CredentialRateLimit('verify-email')
  @Post('verify-email')
  @HttpCode(200)
  @ApiOperation({ summary: 'Verify the e-mail address with the token from the mail' })
  @ApiOkResponse({ type: EmailVerifiedDto })
  @ApiErrors('AUTH.VERIFICATION_TOKEN_INVALID', 'RATE_LIMITED')
  async verifyEmail(@Body() body: VerifyEmailDto): Promise<EmailVerifiedDto> {
    await this.verification.verify(body.token);
    return { emailVerified: true };
  }

  @Public()
  @CredentialRateLimit('verify-email')
  @Get('verify-email')
  @ApiOperation({ summary: 'The link in the verification mail (same as the POST)' })
  @ApiOkResponse({ type: EmailVerifiedDto })
  @ApiErrors('AUTH.VERIFICATION_TOKEN_INVALID', 'RATE_LIMITED')
  async verifyEmailLink(@Query() query: VerifyEmailDto): Promise<EmailVerifiedDto> {
    await this.verification.verify(query.token);
    return { emailVerified: true };
  }
}
