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
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import {
  type AuthUser,
  CurrentUser,
  CurrentUserOrNull,
  OptionalAuth,
  Roles,
} from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import { PageQueryDto, pageQuery } from '../../common/pagination/page-query.dto.js';
import {
  AcknowledgementReceiptDto,
  CampaignDisclosureDto,
} from '../risk-disclosure/dto/risk-disclosure.dto.js';
import { Client } from '../risk-disclosure/client-info.decorator.js';
import { DisclosureRequestDto } from '../risk-disclosure/dto/risk-disclosure.dto.js';
import type { ClientInfo } from '../risk-disclosure/risk-disclosure.types.js';
import { CampaignContentService } from './campaign-content.service.js';
import { CampaignFounderStanding, type FounderStanding } from './campaign-founder.service.js';
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
import {
  CampaignDto,
  CampaignPageDto,
  CampaignTransitionPageDto,
  CharityQualificationDto,
  FounderStandingDto,
  ProgressUpdateDto,
  ProgressUpdatePageDto,
} from './dto/campaign-response.dto.js';

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
  @ApiCreatedResponse({ type: CampaignDto })
  @ApiErrors('CAMPAIGN.LINE_NOT_ENABLED')
  create(@CurrentUser() user: AuthUser, @Body() body: CreateCampaignDto): Promise<CampaignView> {
    return this.campaigns.create(user.id, body);
  }

  @Get()
  @OptionalAuth()
  @ApiOperation({
    summary:
      'Campaigns the caller may see, filtered and paginated (reward and donation without signing in; equity and debt for real-name verified users)',
    description:
      'Reward and donation campaigns are listed for anyone; equity and debt only for real-name verified users (PLAT-01, CN-ECF-02), private offerings only for qualified investors (CN-ECF-03). `q` searches title, summary and story (two characters or more, Chinese included); `sort` orders the list; pass `nextCursor` back as `cursor` for the next page.',
  })
  @ApiOkResponse({ type: CampaignPageDto })
  list(
    @CurrentUserOrNull() user: AuthUser | null,
    @Query() q: CampaignListQueryDto,
  ): Promise<CampaignPage> {
    return this.campaigns.list(user, {
      kind: q.kind,
      status: q.status,
      mine: q.mine,
      q: q.q,
      category: q.category,
      sort: q.sort ?? 'newest',
      cursor: q.cursor,
      pageSize: q.pageSize ?? 20,
    });
  }

  @Get(':id')
  @OptionalAuth()
  @ApiOperation({
    summary:
      'Campaign detail with committed, investorCount and remaining (reward and donation without signing in)',
    description:
      'Reward and donation campaigns are readable by anyone; equity and debt need a real-name verified caller (PLAT-01, CN-ECF-02), private offerings a qualified one (CN-ECF-03). A DRAFT is visible to its founder and to staff only.',
  })
  @ApiUuidParam('id', 'The campaign')
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors('NOT_FOUND', 'IDENTITY.REAL_NAME_REQUIRED', 'CLASSIFICATION.NOT_QUALIFIED')
  detail(
    @CurrentUserOrNull() user: AuthUser | null,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<CampaignView> {
    return this.campaigns.detail(user, id);
  }

  @Patch(':id')
  @Roles('FOUNDER')
  @ApiOperation({ summary: 'Edit a DRAFT (or REJECTED, which returns it to DRAFT) campaign' })
  @ApiUuidParam('id', 'An own campaign')
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors('NOT_FOUND', 'CAMPAIGN.INVALID_STATE', 'CAMPAIGN.LINE_NOT_ENABLED')
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
  @ApiOperation({
    summary: 'Submit for review',
    description:
      "Needs real-name verification (PLAT-01), a verified e-mail (issue 13), market access (PLAT-03), a published disclosure (CN-ECF-07), an organisation for equity (CN-ECF-06), a rule pack that allows public equity for a public equity raise (CAV-02), a qualified charity for donations (PLAT-08), and for debt its loan terms within the caps of the borrower (CN-P2P-02, issue 14); a campaign of a linked raise needs its partner's deadline (issue 15).",
  })
  @ApiUuidParam('id', 'An own campaign')
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors(
    'NOT_FOUND',
    'IDENTITY.REAL_NAME_REQUIRED',
    'IDENTITY.EMAIL_NOT_VERIFIED',
    'CREDIT.MARKET_ACCESS_DENIED',
    'CAMPAIGN.INVALID_STATE',
    'CAMPAIGN.FOUNDER_NOT_ELIGIBLE',
    'CAMPAIGN.PUBLIC_EQUITY_NOT_AUTHORISED',
    'CAMPAIGN.DEADLINE_PASSED',
    'CAMPAIGN.DISCLOSURE_REQUIRED',
    // Issue 14: a DEBT campaign's submit check (the lending module registers it).
    'LENDING.TERMS_REQUIRED',
    'LENDING.BORROWER_CAP_EXCEEDED',
    'LENDING.RATE_ABOVE_CAP',
    'LENDING.TERMS_INVALID',
    'LENDING.PURPOSE_FORBIDDEN',
    // Registered by the modules above (CampaignSubmitChecks): RW-03 fulfilment, PLAT-08 charity.
    'FULFILMENT.DELIVERY_MONTH_REQUIRED',
    'CHARITY.PLAN_REQUIRED',
    'CHARITY.NOT_REGISTERED',
    // Issue 15: a linked raise goes to review with one deadline for both sides.
    'CAMPAIGN.LINKED_DEADLINES_DIFFER',
    'CAMPAIGN.LINK_NOT_ALLOWED',
  )
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
  @ApiUuidParam('id', 'An own campaign')
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors('NOT_FOUND', 'CAMPAIGN.INVALID_STATE', 'CAMPAIGN.HAS_PLEDGES')
  cancel(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: OptionalReasonDto,
  ): Promise<CampaignView> {
    return this.review.cancel(user, id, body.reason ?? null);
  }

  @Get(':id/transitions')
  @ApiOperation({
    summary: 'Every lifecycle transition: who, when, from, to, why; oldest first, in cursor pages',
  })
  @ApiUuidParam('id', 'The campaign')
  @ApiOkResponse({ type: CampaignTransitionPageDto })
  @ApiErrors('NOT_FOUND', 'IDENTITY.REAL_NAME_REQUIRED', 'CLASSIFICATION.NOT_QUALIFIED')
  transitions(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQueryDto,
  ) {
    return this.content.transitions(user, id, pageQuery(query));
  }

  @Post(':id/updates')
  @Roles('FOUNDER')
  @ApiOperation({ summary: 'Publish a progress update' })
  @ApiUuidParam('id', 'An own published campaign')
  @ApiCreatedResponse({ type: ProgressUpdateDto })
  @ApiErrors('NOT_FOUND', 'CAMPAIGN.NOT_PUBLISHED')
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
  @ApiUuidParam('id', 'An own campaign')
  @ApiCreatedResponse({ type: CampaignDisclosureDto })
  @ApiErrors('NOT_FOUND', 'CAMPAIGN.INVALID_STATE')
  publishDisclosure(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DisclosureRequestDto,
  ) {
    return this.content.publishDisclosure(user.id, id, body);
  }

  @Get(':id/disclosures/current')
  @ApiOperation({ summary: 'The current disclosure: version, sha256 of the exact body, body' })
  @ApiUuidParam('id', 'The campaign')
  @ApiOkResponse({ type: CampaignDisclosureDto })
  @ApiErrors('NOT_FOUND', 'IDENTITY.REAL_NAME_REQUIRED', 'CLASSIFICATION.NOT_QUALIFIED')
  currentDisclosure(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.content.currentDisclosure(user, id);
  }

  @Post(':id/disclosures/:version/acknowledge')
  @Roles('INVESTOR')
  @ApiOperation({
    summary: 'Acknowledge one exact version; a stale version is refused with the current one',
    description:
      'CN-SUIT-15/16. A version that was superseded is 409 DISCLOSURE.STALE_VERSION with the current version and hash; one that never existed is 404 NOT_FOUND. Acknowledging the current version again returns the original receipt.',
  })
  @ApiUuidParam('id', 'The campaign')
  @ApiParam({
    name: 'version',
    description: 'The disclosure version read',
    schema: { type: 'integer', minimum: 1 },
  })
  @ApiCreatedResponse({ type: AcknowledgementReceiptDto })
  @ApiErrors(
    'NOT_FOUND',
    'IDENTITY.REAL_NAME_REQUIRED',
    'CLASSIFICATION.NOT_QUALIFIED',
    'DISCLOSURE.STALE_VERSION',
  )
  acknowledge(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', ParseIntPipe) version: number,
    @Client() client: ClientInfo,
  ) {
    return this.content.acknowledgeDisclosure(user, id, version, client);
  }

  @Get(':id/updates')
  @ApiOperation({ summary: 'Progress updates, newest first, in cursor pages' })
  @ApiUuidParam('id', 'The campaign')
  @ApiOkResponse({ type: ProgressUpdatePageDto })
  @ApiErrors('NOT_FOUND', 'IDENTITY.REAL_NAME_REQUIRED', 'CLASSIFICATION.NOT_QUALIFIED')
  updates(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQueryDto,
  ) {
    return this.content.updates(user, id, pageQuery(query));
  }
}

@ApiTags('admin')
@Roles('ADMIN')
@Controller('admin')
export class CampaignAdminController {
  constructor(
    private readonly review: CampaignReview,
    private readonly content: CampaignContentService,
    private readonly founders: CampaignFounderStanding,
  ) {}

  @Get('campaigns/:id/founder')
  @ApiOperation({
    summary:
      "The founder's standing for the review: real-name state (PLAT-01), e-mail verified, credit records counted (PLAT-03)",
    description:
      'The masked name only (ID-RIC-08); the ID number or USCC is never in the answer, not even masked.',
  })
  @ApiUuidParam('id', 'The campaign')
  @ApiOkResponse({ type: FounderStandingDto })
  @ApiErrors('NOT_FOUND')
  founder(@Param('id', ParseUUIDPipe) id: string): Promise<FounderStanding> {
    return this.founders.standing(id);
  }

  @Post('campaigns/:id/approve')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Approve a campaign under review with the platform's risk rating (CN-SUIT-08/20): it goes LIVE",
    description:
      'The platform, not the founder, sets the final risk rating (CN-SUIT-08, CN-SUIT-20); without one, the default for the kind. Nobody approves their own campaign.',
  })
  @ApiUuidParam('id', 'The campaign')
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors(
    'NOT_FOUND',
    'CAMPAIGN.SELF_APPROVAL',
    'CAMPAIGN.INVALID_STATE',
    'CAMPAIGN.DEADLINE_PASSED',
  )
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
  @ApiUuidParam('id', 'The campaign')
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors('NOT_FOUND', 'CAMPAIGN.SELF_APPROVAL', 'CAMPAIGN.INVALID_STATE')
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
  @ApiUuidParam('id', 'The campaign')
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors('NOT_FOUND', 'CAMPAIGN.INVALID_STATE')
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
  @ApiUuidParam('id', 'A SUSPENDED campaign')
  @ApiOkResponse({ type: CampaignDto })
  @ApiErrors('NOT_FOUND', 'CAMPAIGN.INVALID_STATE')
  resume(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: OptionalReasonDto,
  ): Promise<CampaignView> {
    return this.review.resume(admin.id, id, body.reason ?? null);
  }

  @Post('charities')
  @ApiOperation({ summary: 'Mark a founder organisation as a qualified charity (PLAT-08)' })
  @ApiCreatedResponse({ type: CharityQualificationDto })
  @ApiErrors('NOT_FOUND', 'CAMPAIGN.NOT_AN_ORGANIZATION')
  charity(@CurrentUser() admin: AuthUser, @Body() body: CharityDto) {
    return this.content.qualifyCharity(admin.id, body.userId, body.certificateReference);
  }
}
