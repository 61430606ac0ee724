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
  Res,
} from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import {
  ApiErrors,
  ApiIdempotencyKey,
  ApiUuidParam,
} from '../../common/openapi/api-docs.decorators.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { PageQueryDto, pageQuery } from '../../common/pagination/page-query.dto.js';
import { requireIdempotencyKey } from '../escrow-ledger/idempotency.service.js';
import { Client } from '../risk-disclosure/client-info.decorator.js';
import type { ClientInfo } from '../risk-disclosure/risk-disclosure.types.js';
import { ConfirmationCalls } from './confirmation-calls.service.js';
import { CompiledBodyPipe } from '../../common/http/compiled-body.pipe.js';
import { ConfirmationCallDto, PLEDGE_REQUEST_SCHEMA, PledgeRequestDto } from './dto/pledge.dto.js';
import { PledgeDto, PledgeEvidenceDto, PledgePageDto } from './dto/pledge-response.dto.js';
import { PledgeCancellation } from './pledge-cancellation.service.js';
import { PledgePlacement, type PledgeRequest } from './pledge-placement.service.js';
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

  // Declared here (OpenAPI, roles); at run time pledge-route.ts serves it without Nest's
  // per-request pipeline, with the same checks in the same order (issue 18). This method runs only
  // in an app built with `pledgesThroughNest` (the parity test's second instance).
  @Post('campaigns/:id/pledges')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Pledge: every check, then the money held in the campaign escrow',
    description:
      'Real name (PLAT-01), a verified e-mail (issue 13), age (PLAT-02), market access (PLAT-03), an open campaign, qualification for private offerings (CN-ECF-03), the current disclosures acknowledged (CN-ECF-10, CN-SUIT-15), a valid assessment (PLAT-09), suitability (CN-SUIT-09..12), amounts and caps (INV-7), the 12-month limit (INV-9) and funds; on a campaign with a lead investor, a follower pledges once the lead has committed its share and published its memo (CAMPAIGN.LEAD_REQUIRED, issue 15). A refusal by a rule (422) is remembered under the Idempotency-Key and replayed.',
  })
  @ApiUuidParam('id', 'The campaign')
  @ApiBody({ type: PledgeRequestDto })
  @ApiCreatedResponse({ type: PledgeDto })
  @ApiErrors(
    'NOT_FOUND',
    'CAMPAIGN.LEAD_REQUIRED',
    'IDENTITY.REAL_NAME_REQUIRED',
    'IDENTITY.EMAIL_NOT_VERIFIED',
    'CREDIT.MARKET_ACCESS_DENIED',
    'CLASSIFICATION.NOT_QUALIFIED',
    'DISCLOSURE.STALE_VERSION',
    'IDENTITY.UNDERAGE',
    'CAMPAIGN.NOT_OPEN',
    'DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED',
    'CLASSIFICATION.ASSESSMENT_REQUIRED',
    'CLASSIFICATION.ASSESSMENT_EXPIRED',
    'SUITABILITY.BLOCKED',
    'SUITABILITY.SPECIAL_WARNING_REQUIRED',
    'PLEDGE.BELOW_MINIMUM',
    'PLEDGE.ABOVE_MAXIMUM',
    'PLEDGE.NOT_A_UNIT_MULTIPLE',
    'PLEDGE.REWARD_TIER_INVALID',
    'PLEDGE.HARD_CAP_EXCEEDED',
    'PLEDGE.INVESTOR_CAP_REACHED',
    'PLEDGE.REWARD_SOLD_OUT',
    'PLEDGE.LIMIT_EXCEEDED',
    'LEDGER.INSUFFICIENT_FUNDS',
  )
  async place(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) campaignId: string,
    @Headers('idempotency-key') key: unknown,
    // Checked by a schema compiled once (issue 18); refused bodies get PledgeRequestDto's answer.
    @Body(new CompiledBodyPipe(PledgeRequestDto, PLEDGE_REQUEST_SCHEMA)) body: PledgeRequest,
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
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Cancel or rescind an own pledge while the rules allow it',
    description:
      'Free during cooling-off (CN-PF-06), rescission until the confirmation call (CN-PF-08), while a reconfirmation is pending (CN-SUIT-14), reward pledges until the cut-off before the deadline.',
  })
  @ApiUuidParam('id', 'An own pledge')
  @ApiOkResponse({ type: PledgeDto })
  @ApiErrors('NOT_FOUND', 'PLEDGE.NOT_CANCELLABLE')
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
  @ApiUuidParam('id', 'An own pledge')
  @ApiOkResponse({ type: PledgeDto })
  @ApiErrors(
    'NOT_FOUND',
    'DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED',
    'PLEDGE.NOT_AWAITING_RECONFIRMATION',
  )
  reconfirm(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<PledgeView> {
    return this.cancellation.reconfirm(user, id);
  }

  @Get('pledges')
  @ApiOperation({ summary: 'Own pledges, newest first, in cursor pages' })
  @ApiOkResponse({ type: PledgePageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<Page<PledgeView>> {
    return this.queries.list(user.id, pageQuery(query));
  }

  @Get('pledges/:id')
  @ApiOperation({ summary: 'One own pledge' })
  @ApiUuidParam('id', 'An own pledge')
  @ApiOkResponse({ type: PledgeDto })
  @ApiErrors('NOT_FOUND')
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
    description:
      'CONFIRMED makes the pledge ACTIVE; RESCINDED cancels it with a full refund (CN-PF-08); UNREACHABLE is recorded and the pledge keeps waiting.',
  })
  @ApiUuidParam('id', 'The pledge')
  @ApiOkResponse({ type: PledgeDto })
  @ApiErrors('NOT_FOUND', 'PLEDGE.CALL_TOO_EARLY', 'PLEDGE.NOT_AWAITING_CONFIRMATION')
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
  @ApiUuidParam('id', 'The pledge')
  @ApiOkResponse({ type: PledgeEvidenceDto })
  @ApiErrors('NOT_FOUND')
  evidence(@Param('id', ParseUUIDPipe) id: string) {
    return this.queries.evidence(id);
  }
}
