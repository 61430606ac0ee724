import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type AuthUser,
  CurrentUser,
  RequireFreshSecondFactor,
  Roles,
} from '../../common/auth/auth.decorators.js';
import {
  ApiErrors,
  ApiIdempotencyKey,
  ApiUuidParam,
} from '../../common/openapi/api-docs.decorators.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { pageQuery } from '../../common/pagination/page-query.dto.js';
import { FinanceAudited } from '../finance/index.js';
import { requireIdempotencyKey } from '../escrow-ledger/index.js';
import { PayoutListQueryDto, PayoutRejectDto, PayoutRequestDto } from './dto/payout.dto.js';
import { PayoutDto, PayoutListDto } from './dto/payout-response.dto.js';
import { type PayoutView, PayoutsService } from './payouts.service.js';

@ApiTags('payouts')
@Controller()
export class PayoutsController {
  constructor(private readonly payouts: PayoutsService) {}

  @Post('payouts')
  @Roles('FOUNDER')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: "Request the payout of a settled campaign's net amount" })
  @ApiCreatedResponse({ type: PayoutDto })
  @ApiErrors('NOT_FOUND', 'PAYOUT.ALREADY_REQUESTED', 'PAYOUT.NOT_SETTLED', 'PAYOUT.NOTHING_TO_PAY')
  async request(
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') key: unknown,
    @Body() body: PayoutRequestDto,
  ): Promise<PayoutView> {
    return (await this.payouts.request(user, body.campaignId, requireIdempotencyKey(key))).body;
  }

  @Get('payouts/:id')
  @Roles('FOUNDER', 'FINANCE')
  @ApiOperation({ summary: 'One payout (founders see their own)' })
  @ApiUuidParam('id', 'The payout')
  @ApiOkResponse({ type: PayoutDto })
  @ApiErrors('NOT_FOUND')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<PayoutView> {
    return this.payouts.get(user, id);
  }

  @Get('finance/payouts')
  @Roles('FINANCE')
  @FinanceAudited()
  @ApiOperation({
    summary:
      'Payouts by decision state (default REQUESTED: the queue awaiting a second person), oldest request first, in cursor pages',
  })
  @ApiOkResponse({ type: PayoutListDto })
  list(@Query() query: PayoutListQueryDto): Promise<Page<PayoutView>> {
    return this.payouts.list(query.status ?? 'REQUESTED', pageQuery(query));
  }

  @Post('finance/payouts/:id/approve')
  @HttpCode(200)
  @Roles('FINANCE')
  @RequireFreshSecondFactor() // issue 13: a payout approval re-checks the second factor
  @FinanceAudited()
  @ApiOperation({
    summary: 'Approve (maker-checker): holds the amount against custody until the bank confirms',
  })
  @ApiUuidParam('id', 'The payout')
  @ApiOkResponse({ type: PayoutDto })
  @ApiErrors(
    'NOT_FOUND',
    'PAYOUT.MAKER_CHECKER',
    'PAYOUT.ALREADY_DECIDED',
    'LEDGER.INSUFFICIENT_FUNDS',
  )
  approve(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<PayoutView> {
    return this.payouts.approve(user, id);
  }

  @Post('finance/payouts/:id/reject')
  @HttpCode(200)
  @Roles('FINANCE')
  @FinanceAudited()
  @ApiOperation({ summary: 'Reject with a reason' })
  @ApiUuidParam('id', 'The payout')
  @ApiOkResponse({ type: PayoutDto })
  @ApiErrors('NOT_FOUND', 'PAYOUT.MAKER_CHECKER', 'PAYOUT.ALREADY_DECIDED')
  reject(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: PayoutRejectDto,
  ): Promise<PayoutView> {
    return this.payouts.reject(user, id, body.reason);
  }
}
