import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type AuthUser,
  CurrentUser,
  OptionalAuth,
  Roles,
} from '../../common/auth/auth.decorators.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { PageQueryDto, pageQuery } from '../../common/pagination/page-query.dto.js';
import { CampaignQueries } from '../campaign/index.js';
import { CharityPlans, type CharityPlanView } from './charity-plans.service.js';
import {
  CharityPlanDto,
  CharityPlanViewDto,
  FundUseDto,
  FundUseReportDto,
  ReceiptPageDto,
} from './dto/charity.dto.js';
import { FundUse, type FundUseView } from './fund-use.service.js';
import { type ReceiptView, Receipts } from './receipts.service.js';

/** A donation campaign's charity, fund-use plan, receipts and fund-use reports (PLAT-08). */
@ApiTags('charity')
@Controller('campaigns')
export class CharityController {
  constructor(
    private readonly plans: CharityPlans,
    private readonly fundUse: FundUse,
    private readonly receipts: Receipts,
    private readonly campaigns: CampaignQueries,
  ) {}

  @Put(':id/charity-plan')
  @Roles('FOUNDER')
  @ApiOperation({
    summary: 'Name the registered charity (USCC) and the fund-use plan of a donation campaign',
    description:
      'PLAT-08: the USCC must pass GB 32100 and be the verified USCC of the ADMIN-qualified charity running the campaign; the plan accounts for at least the target. Required before submit.',
  })
  @ApiUuidParam('id', 'An own donation campaign')
  @ApiOkResponse({ type: CharityPlanViewDto })
  @ApiErrors(
    'NOT_FOUND',
    'CHARITY.NOT_A_DONATION_CAMPAIGN',
    'CHARITY.PLAN_LOCKED',
    'CHARITY.NOT_REGISTERED',
    'CHARITY.PLAN_TOO_SMALL',
    'IDENTITY.INVALID_USCC',
  )
  setPlan(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CharityPlanDto,
  ): Promise<CharityPlanView> {
    return this.plans.setPlan(user, id, body);
  }

  @Get(':id/charity-plan')
  @OptionalAuth()
  @ApiOperation({ summary: "A published donation campaign's charity and fund-use plan" })
  @ApiUuidParam('id', 'A published donation campaign')
  @ApiOkResponse({ type: CharityPlanViewDto })
  @ApiErrors('NOT_FOUND')
  async plan(@Param('id', ParseUUIDPipe) id: string): Promise<CharityPlanView> {
    const campaign = await this.campaigns.find(id);
    if (!campaign || campaign.kind !== 'DONATION' || campaign.publishedAt === null)
      throw new NotFoundError('Campaign');
    return this.plans.view(id);
  }

  @Post(':id/fund-use-reports')
  @Roles('FOUNDER')
  @ApiOperation({
    summary: 'File a fund-use report: amount spent per purpose of the plan, with evidence',
  })
  @ApiUuidParam('id', 'An own settled donation campaign')
  @ApiCreatedResponse({ type: FundUseDto })
  @ApiErrors(
    'NOT_FOUND',
    'CHARITY.NOT_A_DONATION_CAMPAIGN',
    'CHARITY.NOT_SETTLED',
    'CHARITY.UNKNOWN_PURPOSE',
    'CHARITY.SPENT_EXCEEDS_RAISED',
  )
  file(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FundUseReportDto,
  ): Promise<FundUseView> {
    return this.fundUse.file(user, id, body.items);
  }

  @Get(':id/fund-use')
  @OptionalAuth()
  @ApiOperation({ summary: 'Spent against raised, per purpose, with every report (PLAT-08)' })
  @ApiUuidParam('id', 'A settled donation campaign')
  @ApiOkResponse({ type: FundUseDto })
  @ApiErrors('NOT_FOUND', 'CHARITY.NOT_A_DONATION_CAMPAIGN', 'CHARITY.NOT_SETTLED')
  view(@Param('id', ParseUUIDPipe) id: string): Promise<FundUseView> {
    return this.fundUse.view(id);
  }

  @Get(':id/receipts')
  @Roles('FOUNDER', 'ADMIN', 'FINANCE')
  @ApiOperation({
    summary:
      "A donation campaign's receipts in number order (its charity or staff), in cursor pages",
  })
  @ApiUuidParam('id', 'A donation campaign (founders: their own)')
  @ApiOkResponse({ type: ReceiptPageDto })
  @ApiErrors('NOT_FOUND')
  receiptsOf(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ReceiptView>> {
    return this.receipts.ofCampaign(user, id, pageQuery(query));
  }
}
