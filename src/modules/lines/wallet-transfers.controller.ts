import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiIdempotencyKey } from '../../common/openapi/api-docs.decorators.js';
import { requireIdempotencyKey } from '../escrow-ledger/index.js';
import { LineTransferDto, LineTransferRequestDto } from './dto/line-transfer.dto.js';
import { LineTransfers } from './line-transfers.service.js';

@ApiTags('wallet')
@Controller('wallet')
export class WalletTransfersController {
  constructor(private readonly transfers: LineTransfers) {}

  @Post('transfers')
  @Roles('INVESTOR')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "Move money between one's own wallets (PLAT-07 line separation)",
    description:
      'GENERAL, EQUITY and DEBT (the latter two only when both lines are enabled): an explicit, audited LINE_TRANSFER. Pledges to an EQUITY or DEBT campaign pay only from that line’s wallet.',
  })
  @ApiCreatedResponse({ type: LineTransferDto })
  @ApiErrors('LEDGER.INSUFFICIENT_FUNDS', 'WALLET.LINE_NOT_ENABLED', 'WALLET.SAME_LINE')
  async transfer(
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') key: unknown,
    @Body() body: LineTransferRequestDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LineTransferDto> {
    const result = await this.transfers.transfer(user.id, body, requireIdempotencyKey(key));
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
  }
}
