import { Body, Controller, Get, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type AuthUser,
  CurrentUser,
  CurrentUserOrNull,
  OptionalAuth,
  Roles,
} from '../../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../../common/openapi/api-docs.decorators.js';
import { CampaignPageContentDto, CampaignPageInputDto } from './campaign-page.dto.js';
import { CampaignPageService, type CampaignPageView } from './campaign-page.service.js';

@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignPageController {
  constructor(private readonly pages: CampaignPageService) {}

  @Get(':id/page')
  @OptionalAuth()
  @ApiOperation({
    summary:
      'The campaign page: story (Markdown and sanitised HTML), category, city, images, FAQ, team',
    description: 'Visible to whoever may read the campaign (PLAT-01, CN-ECF-02/03).',
  })
  @ApiUuidParam('id', 'The campaign')
  @ApiOkResponse({ type: CampaignPageContentDto })
  @ApiErrors('NOT_FOUND', 'IDENTITY.REAL_NAME_REQUIRED', 'CLASSIFICATION.NOT_QUALIFIED')
  read(
    @CurrentUserOrNull() user: AuthUser | null,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<CampaignPageView> {
    return this.pages.read(user, id);
  }

  @Patch(':id/page')
  @Roles('FOUNDER')
  @ApiOperation({
    summary: 'Edit the page of an own campaign (DRAFT or REJECTED; only the FAQ while LIVE)',
  })
  @ApiUuidParam('id', 'An own campaign')
  @ApiOkResponse({ type: CampaignPageContentDto })
  @ApiErrors('NOT_FOUND', 'CAMPAIGN.INVALID_STATE', 'CAMPAIGN.UNKNOWN_MEDIA')
  edit(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CampaignPageInputDto,
  ): Promise<CampaignPageView> {
    return this.pages.edit(user.id, id, body);
  }
}
