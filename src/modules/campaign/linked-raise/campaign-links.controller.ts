import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '../../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../../common/openapi/api-docs.decorators.js';
import { CampaignLinks, type LinkedRaiseView } from './campaign-links.service.js';
import { LinkedRaiseDto, LinkRaiseDto } from './linked-raise.dto.js';

/** Linked raises (issue 15, 投贷联动): an equity and a debt campaign that succeed or fail together. */
@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignLinksController {
  constructor(private readonly links: CampaignLinks) {}

  @Post(':id/linked-raise')
  @HttpCode(201)
  @Roles('FOUNDER')
  @ApiOperation({
    summary: 'Link an own EQUITY draft with an own DEBT draft: they succeed or fail together',
    description:
      'Issue 15 (投贷联动), RW-01: at their common deadline both must meet their targets, else both fail and refund; the pair settles in one transaction. Both campaigns are DRAFTs of the caller, ALL_OR_NOTHING, and in no other link.',
  })
  @ApiUuidParam('id', 'An own EQUITY campaign (DRAFT)')
  @ApiCreatedResponse({ type: LinkedRaiseDto })
  @ApiErrors(
    'NOT_FOUND',
    'CAMPAIGN.INVALID_STATE',
    'CAMPAIGN.LINK_NOT_ALLOWED',
    'CAMPAIGN.ALREADY_LINKED',
  )
  link(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: LinkRaiseDto,
  ): Promise<LinkedRaiseView> {
    return this.links.link(user.id, id, body.debtCampaignId);
  }

  @Get(':id/linked-raise')
  @ApiOperation({
    summary: 'The linked raise a campaign is part of, and its partner (404 when it has none)',
  })
  @ApiUuidParam('id', 'The campaign (either side)')
  @ApiOkResponse({ type: LinkedRaiseDto })
  @ApiErrors('NOT_FOUND', 'IDENTITY.REAL_NAME_REQUIRED', 'CLASSIFICATION.NOT_QUALIFIED')
  view(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<LinkedRaiseView> {
    return this.links.view(user, id);
  }

  @Delete(':id/linked-raise')
  @Roles('FOUNDER')
  @ApiOperation({
    summary: 'Take a linked raise apart while neither side went to review (DRAFT or CANCELLED)',
  })
  @ApiUuidParam('id', 'An own campaign (either side)')
  @ApiOkResponse({ type: LinkedRaiseDto })
  @ApiErrors('NOT_FOUND', 'CAMPAIGN.INVALID_STATE')
  unlink(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<LinkedRaiseView> {
    return this.links.unlink(user.id, id);
  }
}
