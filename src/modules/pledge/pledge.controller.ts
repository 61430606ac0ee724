import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Res,
} from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import { requireIdempotencyKey } from '../escrow-ledger/idempotency.service.js';
import { Client } from '../risk-disclosure/client-info.decorator.js';
import type { ClientInfo } from '../risk-disclosure/risk-disclosure.types.js';
import { ConfirmationCalls } from './confirmation-calls.service.js';
import { ConfirmationCallDto, PledgeRequestDto } from './dto/pledge.dto.js';
import { PledgeCancellation } from './pledge-cancellation.service.js';
import { PledgePlacement } from './pledge-placement.service.js';
import { PledgeQueries } from './pledge-queries.service.js';
import type { PledgeView } from './pledge.view.js';

@ApiTags('pledges')
@Roles('INVESTOR')
@Controller()
export class PledgeController {
  constructor(
    private readonly placement: PledgePlacement,
    private readonly cancellation: PledgeCancellation,
    private readonly queries: PledgeQueries,
  ) {}

  @Post('campaigns/:id/pledges')
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOperation({ summary: 'Pledge: every check, then the money held in the campaign escrow' })
  async place(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) campaignId: string,
    @Headers('idempotency-key') key: unknown,
    @Body() body: PledgeRequestDto,
    @Client() client: ClientInfo,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PledgeView> {
    const result = await this.placement.place(
      user,
      campaignId,
      body,
      requireIdempotencyKey(key),
      client,
    );
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
  }

  @Post('pledges/:id/cancel')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOperation({ summary: 'Cancel or rescind an own pledge while the rules allow it' })
  async cancel(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) pledgeId: string,
    @Headers('idempotency-key') key: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PledgeView> {
    const result = await this.cancellation.cancel(user, pledgeId, requireIdempotencyKey(key));
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
  }

  @Post('pledges/:id/reconfirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Keep a pledge after a material change (acknowledge the new disclosure first)',
  })
  reconfirm(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<PledgeView> {
    return this.cancellation.reconfirm(user, id);
  }

  @Get('pledges')
  @ApiOperation({ summary: 'Own pledges, newest first' })
  list(@CurrentUser() user: AuthUser): Promise<PledgeView[]> {
    return this.queries.list(user.id);
  }

  @Get('pledges/:id')
  @ApiOperation({ summary: 'One own pledge' })
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<PledgeView> {
    return this.queries.get(user.id, id);
  }
}

@ApiTags('admin')
@Controller('admin/pledges')
export class PledgeAdminController {
  constructor(
    private readonly calls: ConfirmationCalls,
    private readonly queries: PledgeQueries,
  ) {}

  @Post(':id/confirmation-call')
  @HttpCode(200)
  @Roles('ADMIN')
  @ApiOperation({
    summary: 'Record the confirmation call (回访); only after cooling-off (CN-PF-07)',
  })
  call(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ConfirmationCallDto,
  ): Promise<PledgeView> {
    return this.calls.record(admin.id, id, body);
  }

  @Get(':id/evidence')
  @Roles('ADMIN', 'FINANCE')
  @ApiOperation({
    summary:
      'Suitability decision with rule pack and inputs, acknowledgements, special warnings, calls',
  })
  evidence(@Param('id', ParseUUIDPipe) id: string) {
    return this.queries.evidence(id);
  }
}
