import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import { Deliveries } from './deliveries.service.js';
import {
  DeliveryProblemDto,
  DeliveryViewDto,
  LateRefundDto,
  ShippingAddressDto,
  ShippingAddressViewDto,
} from './dto/fulfilment.dto.js';
import type { ShippingAddress } from './fulfilment.rules.js';
import { type LateRefundView, LateRefunds } from './late-refunds.service.js';
import { type DeliveryView, Shipments } from './shipments.service.js';

/** A backer's side of reward delivery: address, receipt or problem, late-delivery refund (RW-03). */
@ApiTags('fulfilment')
@Roles('INVESTOR')
@Controller('pledges')
export class DeliveryController {
  constructor(
    private readonly deliveries: Deliveries,
    private readonly shipments: Shipments,
    private readonly refunds: LateRefunds,
  ) {}

  @Put(':id/shipping-address')
  @ApiOperation({
    summary: 'Give or correct the shipping address of a pledge to a physical tier',
    description: 'Stored encrypted (PLAT-06), answered masked; until the reward ships.',
  })
  @ApiUuidParam('id', 'An own pledge')
  @ApiOkResponse({ type: ShippingAddressViewDto })
  @ApiErrors(
    'NOT_FOUND',
    'FULFILMENT.NOT_A_REWARD_CAMPAIGN',
    'FULFILMENT.NOT_A_PHYSICAL_PLEDGE',
    'FULFILMENT.ALREADY_SHIPPED',
  )
  setAddress(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ShippingAddressDto,
  ): Promise<{ pledgeId: string; address: ShippingAddress }> {
    return this.deliveries.setAddress(user, id, { ...body, postalCode: body.postalCode ?? null });
  }

  @Get(':id/delivery')
  @ApiOperation({ summary: 'Delivery of the reward: month, masked address, shipment, lateness' })
  @ApiUuidParam('id', 'An own pledge to a physical tier')
  @ApiOkResponse({ type: DeliveryViewDto })
  @ApiErrors('NOT_FOUND', 'FULFILMENT.NOT_A_REWARD_CAMPAIGN', 'FULFILMENT.NOT_A_PHYSICAL_PLEDGE')
  view(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<DeliveryView> {
    return this.shipments.view(user, id);
  }

  @Post(':id/delivery/confirm')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm the reward arrived',
    description:
      'RW-03: once every physical reward is confirmed, the holdback goes to the founder.',
  })
  @ApiUuidParam('id', 'An own pledge to a physical tier')
  @ApiOkResponse({ type: DeliveryViewDto })
  @ApiErrors(
    'NOT_FOUND',
    'FULFILMENT.NOT_A_REWARD_CAMPAIGN',
    'FULFILMENT.NOT_A_PHYSICAL_PLEDGE',
    'FULFILMENT.NOT_SHIPPED',
  )
  confirm(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<DeliveryView> {
    return this.shipments.confirm(user, id);
  }

  @Post(':id/delivery/problem')
  @HttpCode(200)
  @ApiOperation({ summary: 'Report a problem with the delivered reward (the founder may re-ship)' })
  @ApiUuidParam('id', 'An own pledge to a physical tier')
  @ApiOkResponse({ type: DeliveryViewDto })
  @ApiErrors(
    'NOT_FOUND',
    'FULFILMENT.NOT_A_REWARD_CAMPAIGN',
    'FULFILMENT.NOT_A_PHYSICAL_PLEDGE',
    'FULFILMENT.NOT_SHIPPED',
  )
  problem(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DeliveryProblemDto,
  ): Promise<DeliveryView> {
    return this.shipments.reportProblem(user, id, body.problem);
  }

  @Post(':id/late-delivery-refund')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ask for the pledge back when the reward is late (RW-03)',
    description:
      "Paid from the campaign's holdback first, then from the founder's payable; any shortfall is recorded as a claim and a credit WARNING on the founder. Once per pledge: asking again answers the same refund.",
  })
  @ApiUuidParam('id', 'An own settled pledge to a physical tier')
  @ApiOkResponse({ type: LateRefundDto })
  @ApiErrors(
    'NOT_FOUND',
    'FULFILMENT.NOT_A_REWARD_CAMPAIGN',
    'FULFILMENT.NOT_A_PHYSICAL_PLEDGE',
    'FULFILMENT.NOT_SETTLED',
    'FULFILMENT.NOT_LATE',
    'LEDGER.INSUFFICIENT_FUNDS',
  )
  refund(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<LateRefundView> {
    return this.refunds.request(user, id);
  }
}
