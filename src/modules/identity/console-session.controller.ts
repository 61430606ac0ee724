import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/auth.decorators.js';
import { ApiErrors } from '../../common/openapi/api-docs.decorators.js';
import { appConfig } from '../../config/namespaces.js';
import type { AppConfig } from '../../config/app-config.js';
import { RefreshTokenInvalidError } from './account.errors.js';
import { OPAQUE_TOKEN } from './account-secrets.js';
import { AuthService } from './auth.service.js';
import { CredentialRateLimit } from './credential-rate-limit.guard.js';
import { ConsoleLoginResponseDto, ConsoleTokenDto, LoginTotpDto } from './dto/account.dto.js';
import { LoginDto } from './dto/identity.dto.js';
import type { TokenPair } from './session.service.js';

/** The cookie that carries the console's refresh token; sent only to the routes below. */
export const CONSOLE_REFRESH_COOKIE = 'zc_console_refresh';
export const CONSOLE_COOKIE_PATH = '/api/v1/auth/console';

/** The value of `name` in a Cookie header, if it is there and looks like one of our tokens. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      const value = part.slice(at + 1).trim();
      return OPAQUE_TOKEN.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * The staff console's sessions (issue 17). The same sign-in, TOTP challenge and rotating refresh
 * tokens as /auth (issue 13), but the refresh token travels only in an `HttpOnly; SameSite=Strict`
 * cookie scoped to these routes (`Secure` in production): the console's script never sees it, and
 * keeps its access token in memory only. The JSON routes under /auth are unchanged for API clients.
 */
@ApiTags('identity')
@Controller('auth/console')
export class ConsoleSessionController {
  constructor(
    private readonly auth: AuthService,
    @Inject(appConfig.KEY) private readonly app: AppConfig['app'],
  ) {}

  @Public()
  @CredentialRateLimit('login')
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Console sign-in: a TOTP challenge, or (an account without one) an access token with the refresh token set as an HttpOnly cookie',
  })
  @ApiOkResponse({ type: ConsoleLoginResponseDto })
  @ApiErrors('AUTH.UNAUTHENTICATED', 'RATE_LIMITED')
  async login(
    @Body() body: LoginDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConsoleLoginResponseDto> {
    const result = await this.auth.login(body.email, body.password);
    if (result.secondFactorRequired) return result;
    return {
      secondFactorRequired: false,
      secondFactorEnrolmentRequired: result.secondFactorEnrolmentRequired,
      ...this.handOver(result, reply),
    };
  }

  @Public()
  @CredentialRateLimit('login-totp')
  @Post('login/totp')
  @HttpCode(200)
  @ApiOperation({ summary: 'Console sign-in, second step: the refresh token as a cookie' })
  @ApiOkResponse({ type: ConsoleTokenDto })
  @ApiErrors('AUTH.CHALLENGE_INVALID', 'AUTH.INVALID_SECOND_FACTOR', 'RATE_LIMITED')
  async loginTotp(
    @Body() body: LoginTotpDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConsoleTokenDto> {
    return this.handOver(await this.auth.completeLogin(body.challengeToken, body.code), reply);
  }

  @Public()
  @CredentialRateLimit('refresh')
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Rotate the refresh-token cookie: a new access token and a new cookie; a used one presented again ends the session',
  })
  @ApiOkResponse({ type: ConsoleTokenDto })
  @ApiErrors('AUTH.REFRESH_TOKEN_INVALID', 'AUTH.REFRESH_TOKEN_REUSED', 'RATE_LIMITED')
  async refresh(
    @Headers('cookie') cookie: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ConsoleTokenDto> {
    const token = cookieValue(cookie, CONSOLE_REFRESH_COOKIE);
    if (!token) throw new RefreshTokenInvalidError();
    return this.handOver(await this.auth.refresh(token), reply);
  }

  @Public()
  @CredentialRateLimit('logout')
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: "End the console's session and clear its cookie" })
  @ApiResponse({ status: 204, description: 'Ended (or already ended)' })
  @ApiErrors('RATE_LIMITED')
  async logout(
    @Headers('cookie') cookie: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const token = cookieValue(cookie, CONSOLE_REFRESH_COOKIE);
    if (token) await this.auth.logout(token);
    void reply.header('set-cookie', this.cookie('', 0));
  }

  private handOver(pair: TokenPair, reply: FastifyReply): ConsoleTokenDto {
    void reply.header('set-cookie', this.cookie(pair.refreshToken, pair.refreshExpiresIn));
    void reply.header('cache-control', 'no-store');
    return { accessToken: pair.accessToken, tokenType: 'Bearer', expiresIn: pair.expiresIn };
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    const secure = this.app.env === 'production' ? '; Secure' : '';
    return `${CONSOLE_REFRESH_COOKIE}=${value}; Path=${CONSOLE_COOKIE_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure}`;
  }
}
