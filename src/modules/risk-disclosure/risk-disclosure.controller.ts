import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors } from '../../common/openapi/api-docs.decorators.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { PageQueryDto, pageQuery } from '../../common/pagination/page-query.dto.js';
import { Client } from './client-info.decorator.js';
import {
  AcknowledgementDto,
  AcknowledgementPageDto,
  AcknowledgementReceiptDto,
  AcknowledgeRequestDto,
  PlatformDisclosureDto,
} from './dto/risk-disclosure.dto.js';
import { RiskDisclosureService } from './risk-disclosure.service.js';
import type { ClientInfo } from './risk-disclosure.types.js';

@ApiTags('risk disclosure')
@Controller()
export class RiskDisclosureController {
  constructor(private readonly disclosures: RiskDisclosureService) {}

  @Get('platform-disclosure')
  @ApiOperation({ summary: 'The current general risk disclosure (风险揭示书, CN-ECF-10)' })
  @ApiOkResponse({ type: PlatformDisclosureDto })
  @ApiErrors('NOT_FOUND')
  platformDisclosure(): Promise<PlatformDisclosureDto> {
    return this.disclosures.currentPlatformDisclosure();
  }

  @Post('platform-disclosure/acknowledge')
  @Roles('INVESTOR')
  @ApiOperation({
    summary: 'Acknowledge the current version of the general risk disclosure (idempotent)',
  })
  @ApiCreatedResponse({ type: AcknowledgementReceiptDto })
  @ApiErrors('NOT_FOUND', 'DISCLOSURE.STALE_VERSION')
  acknowledgePlatform(
    @CurrentUser() user: AuthUser,
    @Body() body: AcknowledgeRequestDto,
    @Client() client: ClientInfo,
  ): Promise<AcknowledgementReceiptDto> {
    return this.disclosures.acknowledgePlatform(user.id, body.version, client);
  }

  @Get('me/acknowledgements')
  @Roles('INVESTOR', 'FOUNDER')
  @ApiOperation({ summary: 'Own disclosure acknowledgements, newest first, in cursor pages' })
  @ApiOkResponse({ type: AcknowledgementPageDto })
  acknowledgements(
    @CurrentUser() user: AuthUser,
    @Query() query: PageQueryDto,
  ): Promise<Page<AcknowledgementDto>> {
    return this.disclosures.listAcknowledgements(user.id, pageQuery(query));
  }
}
