import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  StreamableFile,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  type AuthUser,
  CurrentUser,
  OptionalAuth,
  Roles,
} from '../../common/auth/auth.decorators.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import { CampaignQueries } from '../campaign/index.js';
import { Deliveries, type TierDeliveryView } from './deliveries.service.js';
import {
  DeliveryPlanDto,
  HoldbackDto,
  ShipmentsDto,
  ShipmentsRecordedDto,
  TierDeliveryViewDto,
} from './dto/fulfilment.dto.js';
import { Holdbacks, type HoldbackView } from './holdbacks.service.js';
import { Shipments } from './shipments.service.js';

/** A founder's side of reward delivery (RW-03): plan, fulfilment list, shipments, holdback. */
@ApiTags('fulfilment')
@Controller('campaigns')
export class FulfilmentController {
  constructor(
    private readonly deliveries: Deliveries,
    private readonly shipments: Shipments,
    private readonly holdbacks: Holdbacks,
    private readonly campaigns: CampaignQueries,
  ) {}

  @Put(':id/delivery-plan')
  @Roles('FOUNDER')
  @ApiOperation({
    summary:
      'Set the estimated delivery month (and whether it ships a physical item) per reward tier',
    description:
      'RW-03: required for every tier before submit. Replaces the whole plan; a draft or rejected campaign only.',
  })
  @ApiUuidParam('id', 'An own reward campaign')
  @ApiOkResponse({ type: [TierDeliveryViewDto] })
  @ApiErrors(
    'NOT_FOUND',
    'FULFILMENT.NOT_A_REWARD_CAMPAIGN',
    'FULFILMENT.PLAN_LOCKED',
    'FULFILMENT.UNKNOWN_TIER',
  )
  setPlan(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DeliveryPlanDto,
  ): Promise<TierDeliveryView[]> {
    return this.deliveries.setPlan(user, id, body.tiers);
  }

  @Get(':id/delivery-plan')
  @OptionalAuth()
  @ApiOperation({ summary: "A published reward campaign's delivery months per tier (RW-03)" })
  @ApiUuidParam('id', 'A published reward campaign')
  @ApiOkResponse({ type: [TierDeliveryViewDto] })
  @ApiErrors('NOT_FOUND')
  async plan(@Param('id', ParseUUIDPipe) id: string): Promise<TierDeliveryView[]> {
    const campaign = await this.campaigns.find(id);
    if (!campaign || campaign.kind !== 'REWARD' || campaign.publishedAt === null)
      throw new NotFoundError('Campaign');
    return this.deliveries.plan(id);
  }

  @Get(':id/fulfilment.csv')
  @Roles('FOUNDER')
  @ApiOperation({
    summary: 'The fulfilment list: one row per settled pledge to a physical tier, with its address',
    description:
      'The decrypted shipping address is given to the founder who owns the campaign only (PLAT-06); anyone else gets 404.',
  })
  @ApiUuidParam('id', 'An own reward campaign')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description:
      'RFC 4180 CSV with a header row: pledgeId,tierId,tierTitle,deliveryMonth,amount,currency,recipient,phone,region,addressLine,postalCode,status,carrier,trackingNumber',
    schema: { type: 'string' },
  })
  @ApiErrors('NOT_FOUND', 'FULFILMENT.NOT_A_REWARD_CAMPAIGN')
  async csv(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<StreamableFile> {
    const body = await this.shipments.csv(user, id);
    return new StreamableFile(Buffer.from(body, 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="fulfilment-${id}.csv"`,
    });
  }

  @Post(':id/shipments')
  @HttpCode(200)
  @Roles('FOUNDER')
  @ApiOperation({
    summary: 'Record shipments in bulk: carrier and tracking number per pledge (all or nothing)',
  })
  @ApiUuidParam('id', 'An own settled reward campaign')
  @ApiOkResponse({ type: ShipmentsRecordedDto })
  @ApiErrors(
    'NOT_FOUND',
    'FULFILMENT.NOT_A_REWARD_CAMPAIGN',
    'FULFILMENT.NOT_SETTLED',
    'FULFILMENT.NOT_A_PHYSICAL_PLEDGE',
    'FULFILMENT.ALREADY_SHIPPED',
  )
  record(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ShipmentsDto,
  ): Promise<{ recorded: number }> {
    return this.shipments.record(user, id, body.shipments);
  }

  @Get(':id/holdback')
  @Roles('FOUNDER', 'ADMIN', 'FINANCE')
  @ApiOperation({ summary: 'The reward holdback kept in escrow until delivery (RW-03)' })
  @ApiUuidParam('id', 'A settled reward campaign (founders: their own)')
  @ApiOkResponse({ type: HoldbackDto })
  @ApiErrors('NOT_FOUND')
  async holdback(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<HoldbackView> {
    const campaign = await this.campaigns.find(id);
    if (!campaign || (user.role === 'FOUNDER' && campaign.founderId !== user.id))
      throw new NotFoundError('Campaign');
    const view = await this.holdbacks.view(id);
    if (!view) throw new NotFoundError('Holdback');
    return view;
  }
}
