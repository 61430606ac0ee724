import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type AuthUser,
  CurrentUser,
  CurrentUserOrNull,
  OptionalAuth,
  Roles,
} from '../../common/auth/auth.decorators.js';
import { Client } from '../risk-disclosure/client-info.decorator.js';
import { DisclosureRequestDto } from '../risk-disclosure/dto/risk-disclosure.dto.js';
import type { ClientInfo } from '../risk-disclosure/risk-disclosure.types.js';
import { CampaignContentService } from './campaign-content.service.js';
import { CampaignReview } from './campaign-review.service.js';
import { type CampaignPage, CampaignService } from './campaign.service.js';
import type { CampaignView } from './campaign.view.js';
import {
  ApproveCampaignDto,
  CampaignListQueryDto,
  CampaignUpdateDto,
  CharityDto,
  CreateCampaignDto,
  OptionalReasonDto,
  ReasonDto,
  UpdateCampaignDto,
} from './dto/campaign.dto.js';

@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignController {
  constructor(
    private readonly campaigns: CampaignService,
    private readonly review: CampaignReview,
    private readonly content: CampaignContentService,
  ) {}

  @Post()
  @Roles('FOUNDER')
  @ApiOperation({ summary: 'Create a DRAFT campaign' })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateCampaignDto): Promise<CampaignView> {
    return this.campaigns.create(user.id, body);
  }

  @Get()
  @OptionalAuth()
  @ApiOperation({
    summary:
      'Campaigns the caller may see, filtered and paginated (reward and donation without signing in; equity and debt for real-name verified users)',
  })
  list(
    @CurrentUserOrNull() user: AuthUser | null,
    @Query() q: CampaignListQueryDto,
  ): Promise<CampaignPage> {
    return this.campaigns.list(user, {
      kind: q.kind,
      status: q.status,
      mine: q.mine,
      page: q.page ?? 1,
      pageSize: q.pageSize ?? 20,
    });
  }

  @Get(':id')
  @OptionalAuth()
  @ApiOperation({
    summary:
      'Campaign detail with committed, investorCount and remaining (reward and donation without signing in)',
  })
  detail(
    @CurrentUserOrNull() user: AuthUser | null,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<CampaignView> {
    return this.campaigns.detail(user, id);
  }

  @Patch(':id')
  @Roles('FOUNDER')
  @ApiOperation({ summary: 'Edit a DRAFT (or REJECTED, which returns it to DRAFT) campaign' })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateCampaignDto,
  ): Promise<CampaignView> {
    return this.campaigns.update(user.id, id, body);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('FOUNDER')
  @ApiOperation({ summary: 'Submit for review' })
  submit(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<CampaignView> {
    return this.campaigns.submit(user.id, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('FOUNDER')
  @ApiOperation({ summary: 'Cancel an own campaign (before any pledge)' })
  cancel(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: OptionalReasonDto,
  ): Promise<CampaignView> {
    return this.review.cancel(user, id, body.reason ?? null);
  }

  @Get(':id/transitions')
  @ApiOperation({ summary: 'Every lifecycle transition: who, when, from, to, why' })
  transitions(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.content.transitions(user, id);
  }

  @Post(':id/updates')
  @Roles('FOUNDER')
  @ApiOperation({ summary: 'Publish a progress update' })
  postUpdate(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CampaignUpdateDto,
  ) {
    return this.content.postUpdate(user.id, id, body);
  }

  @Post(':id/disclosures')
  @Roles('FOUNDER')
  @ApiOperation({
    summary:
      'Publish a new disclosure version; material on a LIVE campaign triggers reconfirmation',
  })
  publishDisclosure(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DisclosureRequestDto,
  ) {
    return this.content.publishDisclosure(user.id, id, body);
  }

  @Get(':id/disclosures/current')
  @ApiOperation({ summary: 'The current disclosure: version, sha256 of the exact body, body' })
  currentDisclosure(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.content.currentDisclosure(user, id);
  }

  @Post(':id/disclosures/:version/acknowledge')
  @Roles('INVESTOR')
  @ApiOperation({
    summary: 'Acknowledge one exact version; a stale version is refused with the current one',
  })
  acknowledge(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Client() client: ClientInfo,
  ) {
    return this.content.acknowledgeDisclosure(user, id, version, client);
  }

  @Get(':id/updates')
  @ApiOperation({ summary: 'Progress updates, newest first' })
  updates(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.content.updates(user, id);
  }
}

@ApiTags('admin')
@Roles('ADMIN')
@Controller('admin')
export class CampaignAdminController {
  constructor(
    private readonly review: CampaignReview,
    private readonly content: CampaignContentService,
  ) {}

  @Post('campaigns/:id/approve')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Approve a campaign under review with the platform's risk rating (CN-SUIT-08/20): it goes LIVE",
  })
  approve(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ApproveCampaignDto,
  ): Promise<CampaignView> {
    return this.review.approve(admin.id, id, body);
  }

  @Post('campaigns/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject with a reason' })
  reject(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
  ): Promise<CampaignView> {
    return this.review.reject(admin.id, id, body.reason);
  }

  @Post('campaigns/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel any campaign not yet settled; every hold is refunded' })
  cancel(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReasonDto,
  ): Promise<CampaignView> {
    return this.review.cancel(admin, id, body.reason);
  }

  @Post('campaigns/:id/resume')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Resume a SUSPENDED campaign (lifting the credit record does not do it, PLAT-03)',
  })
  resume(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: OptionalReasonDto,
  ): Promise<CampaignView> {
    return this.review.resume(admin.id, id, body.reason ?? null);
  }

  @Post('charities')
  @ApiOperation({ summary: 'Mark a founder organisation as a qualified charity (PLAT-08)' })
  charity(@CurrentUser() admin: AuthUser, @Body() body: CharityDto) {
    return this.content.qualifyCharity(admin.id, body.userId, body.certificateReference);
  }
}
