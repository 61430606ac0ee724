import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Put,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import {
  type AuthUser,
  CurrentUser,
  CurrentUserOrNull,
  OptionalAuth,
  Roles,
} from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import {
  ApiBoolean,
  ApiCurrency,
  ApiDateTime,
  ApiEnum,
  ApiInteger,
  ApiMoney,
  ApiSha256,
  ApiUuid,
} from '../../common/openapi/api-properties.js';
import { Client } from '../risk-disclosure/client-info.decorator.js';
import {
  AcknowledgementReceiptDto,
  CampaignDisclosureDto,
} from '../risk-disclosure/dto/risk-disclosure.dto.js';
import type {
  AcknowledgementReceipt,
  ClientInfo,
} from '../risk-disclosure/risk-disclosure.types.js';
import {
  type CampaignLeadView,
  CampaignLeads,
  type LeadMemoView,
} from './campaign-leads.service.js';

export class NameLeadDto {
  @ApiProperty({ format: 'uuid', description: 'The investor who leads (领投)' })
  @IsString()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  investorId: string;

  @ApiProperty({
    example: '0.2000',
    pattern: '^0(\\.\\d{1,4})?$',
    description: "The lead's share of each follower's profits at distributions, 0 to 0.5",
  })
  @IsString()
  @Matches(/^0(\.\d{1,4})?$/, {
    message: 'carryRate must be a decimal from 0 to 0.5, 4 places at most',
  })
  carryRate: string;
}

export class LeadMemoRequestDto {
  @ApiProperty({ example: 'Due diligence: team, market, terms', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  title: string;

  @ApiProperty({ minLength: 1, maxLength: 100_000 })
  @IsString()
  @Length(1, 100_000)
  body: string;
}

export class LeadWithdrawalDto {
  @ApiProperty({ minLength: 1, maxLength: 500 }) @IsString() @Length(1, 500) reason: string;
}

export class LeadMemoSummaryDto {
  @ApiInteger({ minimum: 1 }) version: number;
  @ApiSha256() sha256: string;
  @ApiDateTime() publishedAt: string;
}

export class CampaignLeadDto implements CampaignLeadView {
  @ApiUuid() campaignId: string;
  @ApiUuid() leadInvestorId: string;
  @ApiEnum(['PERSON', 'ORGANIZATION']) leadKind: 'PERSON' | 'ORGANIZATION';
  @ApiEnum(['ACTIVE', 'WITHDRAWN']) status: 'ACTIVE' | 'WITHDRAWN';
  @ApiProperty({ example: '0.1000', description: 'Share of the target the lead commits' })
  minShare: string;
  @ApiMoney({ description: 'minShare x target, rounded up to the fen' }) required: string;
  @ApiMoney({ description: "The lead's live and settled pledges" }) committed: string;
  @ApiCurrency() currency: string;
  @ApiBoolean({ description: 'Followers may pledge (committed >= required, memo published)' })
  inPlace: boolean;
  @ApiProperty({ example: '0.2000' }) carryRate: string;
  @ApiProperty({ type: LeadMemoSummaryDto, nullable: true })
  memo: LeadMemoSummaryDto | null;
  @ApiDateTime() namedAt: string;
  @ApiDateTime({ nullable: true }) withdrawnAt: string | null;
  @ApiProperty({ type: String, nullable: true }) withdrawalReason: string | null;
}

export class LeadMemoDto extends CampaignDisclosureDto implements LeadMemoView {
  @ApiUuid() campaignId: string;
  @ApiUuid() leadInvestorId: string;
  @ApiSha256({ description: "HMAC-SHA256 of the memo's facts under the platform's signing key" })
  signature: string;
}

/** Lead investors (issue 15, 领投 + 跟投). */
@ApiTags('pledges')
@Controller('campaigns/:id/lead')
export class CampaignLeadsController {
  constructor(private readonly leads: CampaignLeads) {}

  @Put()
  @Roles('FOUNDER')
  @ApiOperation({
    summary: 'Name the lead investor of an own EQUITY draft, and its carry',
    description:
      'The lead is a qualified or professional investor, or an organisation an ADMIN flagged institutional. Followers may pledge once the lead committed `leadMinShare` of the target and published its memo.',
  })
  @ApiUuidParam('id', 'An own EQUITY campaign, DRAFT')
  @ApiOkResponse({ type: CampaignLeadDto })
  @ApiErrors('NOT_FOUND', 'CAMPAIGN.LEAD_LOCKED', 'CAMPAIGN.LEAD_NOT_ELIGIBLE')
  name(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: NameLeadDto,
  ): Promise<CampaignLeadView> {
    return this.leads.name(user, id, body);
  }

  @Get()
  @OptionalAuth()
  @ApiOperation({ summary: "A campaign's lead: commitment, carry, memo (whoever may see it)" })
  @ApiUuidParam('id', 'A campaign with a lead')
  @ApiOkResponse({ type: CampaignLeadDto })
  @ApiErrors('NOT_FOUND', 'IDENTITY.REAL_NAME_REQUIRED', 'CLASSIFICATION.NOT_QUALIFIED')
  get(
    @CurrentUserOrNull() user: AuthUser | null,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<CampaignLeadView> {
    return this.leads.view(user, id);
  }

  @Post('memo')
  @Roles('INVESTOR')
  @ApiOperation({
    summary: 'The lead publishes a new version of its due-diligence memo (LEAD_MEMO)',
  })
  @ApiUuidParam('id', 'A campaign this investor leads')
  @ApiCreatedResponse({ type: LeadMemoDto })
  @ApiErrors('NOT_FOUND', 'CAMPAIGN.NOT_THE_LEAD', 'CAMPAIGN.LEAD_WITHDRAWN', 'CAMPAIGN.NOT_OPEN')
  publishMemo(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: LeadMemoRequestDto,
  ): Promise<LeadMemoView> {
    return this.leads.publishMemo(user, id, body);
  }

  @Get('memo')
  @OptionalAuth()
  @ApiOperation({ summary: "The lead's current memo, signed by the platform" })
  @ApiUuidParam('id', 'A campaign with a lead')
  @ApiOkResponse({ type: LeadMemoDto })
  @ApiErrors('NOT_FOUND', 'IDENTITY.REAL_NAME_REQUIRED', 'CLASSIFICATION.NOT_QUALIFIED')
  memo(
    @CurrentUserOrNull() user: AuthUser | null,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<LeadMemoView> {
    return this.leads.memo(user, id);
  }

  @Post('memo/:version/acknowledge')
  @Roles('INVESTOR')
  @ApiOperation({
    summary: "A follower acknowledges one exact version of the lead's memo",
    description:
      'Like a campaign disclosure (CN-SUIT-15/16): a superseded version is 409 DISCLOSURE.STALE_VERSION; the same version again returns the original receipt.',
  })
  @ApiUuidParam('id', 'A campaign with a lead')
  @ApiParam({ name: 'version', schema: { type: 'integer', minimum: 1 } })
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
  ): Promise<AcknowledgementReceipt> {
    return this.leads.acknowledgeMemo(user, id, version, client);
  }

  @Post('withdrawal')
  @Roles('INVESTOR')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The lead withdraws: a material change every follower reconfirms (CN-SUIT-14)',
  })
  @ApiUuidParam('id', 'A campaign this investor leads')
  @ApiOkResponse({ type: CampaignLeadDto })
  @ApiErrors('NOT_FOUND', 'CAMPAIGN.NOT_THE_LEAD', 'CAMPAIGN.LEAD_WITHDRAWN')
  withdraw(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: LeadWithdrawalDto,
  ): Promise<CampaignLeadView> {
    return this.leads.withdraw(user, id, body.reason);
  }
}
