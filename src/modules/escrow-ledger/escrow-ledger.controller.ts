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
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthUser, CurrentUser, Public, Roles } from '../../common/auth/auth.decorators.js';
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
  @ApiResponse({ status: 200, type: WalletDto })
  wallet(@CurrentUser() user: AuthUser): Promise<WalletDto> {
    return this.wallets.wallet(user.id, user.role);
  }

  @Post('wallet/withdrawals')
  @Roles('INVESTOR', 'FOUNDER')
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOperation({ summary: 'Withdraw to the bank: held until the custodian confirms' })
  @ApiResponse({ status: 201, type: WithdrawalDto })
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
    description: 'sha256=<hex HMAC-SHA256(raw body)>',
  })
  @ApiOperation({
    summary: 'Custodian bank notifications (HMAC-signed, idempotent by bankReference)',
  })
  @ApiResponse({ status: 200, type: CustodyResultDto })
  @UseGuards(CustodySignatureGuard)
  notify(@Body() body: CustodyNotificationDto): Promise<CustodyResultDto> {
    return this.custody.apply(body);
  }
}
