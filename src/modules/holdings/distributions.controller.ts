import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { PageQueryDto, pageQuery } from '../../common/pagination/page-query.dto.js';
import {
  AnnounceDistributionDto,
  DistributionDetailDto,
  DistributionDto,
  DistributionPageDto,
  DistributionStatementPageDto,
} from './dto/distributions.dto.js';
import {
  type DistributionView,
  Distributions,
  type StatementView,
} from './distributions.service.js';

/** Distributions to holders (issue 15): announced by the issuer, funded through custody. */
@ApiTags('holdings')
@Controller()
export class DistributionsController {
  constructor(private readonly distributions: Distributions) {}

  @Post('campaigns/:id/distributions')
  @HttpCode(201)
  @Roles('FOUNDER')
  @ApiOperation({
    summary: 'Announce a distribution to the holders (funded by a custody DISTRIBUTION notice)',
  })
  @ApiUuidParam('id', 'An own EQUITY campaign with a register')
  @ApiCreatedResponse({ type: DistributionDto })
  @ApiErrors('NOT_FOUND', 'HOLDINGS.NO_REGISTER')
  announce(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AnnounceDistributionDto,
  ): Promise<DistributionView> {
    return this.distributions.announce(user, id, body);
  }

  @Get('campaigns/:id/distributions')
  @Roles('FOUNDER', 'ADMIN', 'FINANCE')
  @ApiOperation({
    summary:
      "A campaign's distributions, newest first, in cursor pages (its issuer, ADMIN, FINANCE)",
  })
  @ApiUuidParam('id', 'An EQUITY campaign')
  @ApiOkResponse({ type: DistributionPageDto })
  @ApiErrors('NOT_FOUND')
  list(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<DistributionView>> {
    return this.distributions.ofCampaign(user, id, pageQuery(query));
  }

  @Get('distributions/:id')
  @Roles('FOUNDER', 'ADMIN', 'FINANCE')
  @ApiOperation({
    summary: 'One distribution with every holder’s payment (issuer, ADMIN, FINANCE)',
  })
  @ApiUuidParam('id', 'A distribution')
  @ApiOkResponse({ type: DistributionDetailDto })
  @ApiErrors('NOT_FOUND')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.distributions.get(user, id);
  }

  @Get('me/distributions')
  @Roles('INVESTOR')
  @ApiOperation({
    summary:
      "The holder's statements: units, gross, tax withheld, net, newest first, in cursor pages",
  })
  @ApiOkResponse({ type: DistributionStatementPageDto })
  mine(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<Page<StatementView>> {
    return this.distributions.mine(user, pageQuery(query));
  }
}
