import {
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  Get,
  Headers,
  HttpCode,
  Injectable,
  Post,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthUser, CurrentUser, Public, Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiIdempotencyKey } from '../../common/openapi/api-docs.decorators.js';
import { PATTERNS } from '../../common/openapi/api-properties.js';
import { CustodyNotificationDto, CustodyResultDto } from './dto/custody.dto.js';
import { WalletDto, WithdrawalDto, WithdrawalRequestDto } from './dto/wallet.dto.js';
import { CustodyService } from './custody.service.js';
import { requireIdempotencyKey } from './idempotency.service.js';
import { WalletService } from './wallet.service.js';

@ApiTags('wallet')
@Controller()
export class WalletController {
  constructor(private readonly wallets: WalletService) {}

  @Get('wallet')
  @Roles('INVESTOR', 'FOUNDER')
  @ApiOperation({ summary: 'Own balance: available and held' })
  @ApiOkResponse({ type: WalletDto })
  wallet(@CurrentUser() user: AuthUser): Promise<WalletDto> {
    return this.wallets.wallet(user.id, user.role);
  }

  @Post('wallet/withdrawals')
  @Roles('INVESTOR', 'FOUNDER')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Withdraw to the bank: held until the custodian confirms' })
  @ApiCreatedResponse({ type: WithdrawalDto })
  @ApiErrors('LEDGER.INSUFFICIENT_FUNDS', 'WALLET.LINE_NOT_ENABLED')
  async withdraw(
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') key: unknown,
    @Body() body: WithdrawalRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WithdrawalDto> {
    const result = await this.wallets.requestWithdrawal(
      user.id,
      user.role,
      body.amount,
      requireIdempotencyKey(key),
      body.line,
    );
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
  }
}

/** Runs before the body is validated: an unsigned request learns nothing about the body format. */
@Injectable()
export class CustodySignatureGuard implements CanActivate {
  constructor(private readonly custody: CustodyService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { rawBody?: Buffer }>();
    this.custody.verifySignature(request.rawBody, request.headers['x-custody-signature']);
    return true;
  }
}

@ApiTags('custody')
@Controller('custody')
export class CustodyController {
  constructor(private readonly custody: CustodyService) {}

  @Public()
  @Post('notifications')
  @HttpCode(200)
  @ApiHeader({
    name: 'X-Custody-Signature',
    required: true,
    description:
      'sha256=<hex HMAC-SHA256 of the raw body with the shared custody secret>: the custodian authenticates with this, not with a bearer token',
    schema: { type: 'string', pattern: PATTERNS.custodySignature },
  })
  @ApiOperation({
    summary: 'Custodian bank notifications (HMAC-signed, idempotent by bankReference)',
    description:
      "DEPOSIT credits a wallet; REPAYMENT credits a loan's repayment account and is applied to its instalments; DISTRIBUTION funds an announced distribution, paid out to the holders at once; WITHDRAWAL_* and PAYOUT_* post or void the held transfer (PLAT-05). The same bankReference with the same body replays the first answer.",
  })
  @ApiOkResponse({ type: CustodyResultDto })
  @ApiErrors(
    'CUSTODY.BAD_SIGNATURE',
    'NOT_FOUND',
    'IDEMPOTENCY.KEY_REUSED',
    'LEDGER.ALREADY_RESOLVED',
    'CUSTODY.CURRENCY_MISMATCH',
    'CUSTODY.USER_REQUIRED',
    'CUSTODY.UNKNOWN_USER',
    'CUSTODY.TRANSFER_REQUIRED',
    'CUSTODY.MISMATCH',
    'CUSTODY.LOAN_REQUIRED',
    'CUSTODY.UNKNOWN_LOAN',
    'CUSTODY.DISTRIBUTION_REQUIRED',
    'CUSTODY.UNKNOWN_DISTRIBUTION',
    'HOLDINGS.DISTRIBUTION_PAID',
    'WALLET.LINE_NOT_ENABLED',
  )
  @UseGuards(CustodySignatureGuard)
  notify(@Body() body: CustodyNotificationDto): Promise<CustodyResultDto> {
    return this.custody.apply(body);
  }
}
