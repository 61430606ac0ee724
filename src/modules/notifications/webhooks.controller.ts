import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { PageQueryDto, pageQuery } from '../../common/pagination/page-query.dto.js';
import {
  RegisteredWebhookDto,
  RegisterWebhookDto,
  WebhookDeliveryPageDto,
  WebhookEndpointDto,
} from './dto/webhooks.dto.js';
import {
  type RegisteredWebhookView,
  type WebhookDeliveryView,
  type WebhookEndpointView,
  WebhooksService,
} from './webhooks.service.js';

/** A founder's webhook endpoints for their campaigns' events (issue 13). */
@ApiTags('webhooks')
@Roles('FOUNDER')
@Controller('me/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Register an endpoint; the signing secret is in this answer only' })
  @ApiCreatedResponse({ type: RegisteredWebhookDto })
  @ApiErrors('WEBHOOK.LIMIT_REACHED')
  register(
    @CurrentUser() founder: AuthUser,
    @Body() body: RegisterWebhookDto,
  ): Promise<RegisteredWebhookView> {
    return this.webhooks.register(founder.id, body.url);
  }

  @Get()
  @ApiOperation({ summary: 'My live endpoints' })
  @ApiOkResponse({ type: [WebhookEndpointDto] })
  list(@CurrentUser() founder: AuthUser): Promise<WebhookEndpointView[]> {
    return this.webhooks.list(founder.id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Remove an endpoint: nothing more is sent to it' })
  @ApiUuidParam('id', 'One of my endpoints')
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiErrors('NOT_FOUND')
  remove(
    @CurrentUser() founder: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<WebhookEndpointView> {
    return this.webhooks.remove(founder.id, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: "An endpoint's deliveries, newest first, with their tries; in cursor pages",
  })
  @ApiUuidParam('id', 'One of my endpoints')
  @ApiOkResponse({ type: WebhookDeliveryPageDto })
  @ApiErrors('NOT_FOUND')
  deliveries(
    @CurrentUser() founder: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<WebhookDeliveryView>> {
    return this.webhooks.deliveries(founder.id, id, pageQuery(query));
  }
}
