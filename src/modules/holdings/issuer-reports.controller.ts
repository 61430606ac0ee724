import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { PageQueryDto, pageQuery } from '../../common/pagination/page-query.dto.js';
import {
  FileIssuerReportDto,
  IssuerReportDto,
  IssuerReportPageDto,
} from './dto/issuer-reports.dto.js';
import { type IssuerReportView, IssuerReports } from './issuer-reports.service.js';

/** Issuer reporting to holders (issue 15; CN-ECF-07, US-CF-20 analogue). */
@ApiTags('holdings')
@Controller('campaigns/:id/reports')
export class IssuerReportsController {
  constructor(private readonly reports: IssuerReports) {}

  @Post()
  @HttpCode(201)
  @Roles('FOUNDER')
  @ApiOperation({
    summary: 'File an annual or material-event report to the holders (each is notified)',
  })
  @ApiUuidParam('id', 'An own EQUITY campaign with a register')
  @ApiCreatedResponse({ type: IssuerReportDto })
  @ApiErrors('NOT_FOUND', 'HOLDINGS.NO_REGISTER', 'HOLDINGS.FISCAL_YEAR', 'HOLDINGS.REPORT_EXISTS')
  file(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: FileIssuerReportDto,
  ): Promise<IssuerReportView> {
    return this.reports.file(user, id, body);
  }

  @Get()
  @Roles('INVESTOR', 'FOUNDER', 'ADMIN', 'FINANCE')
  @ApiOperation({ summary: "The issuer's reports, newest first (its holders, the issuer, staff)" })
  @ApiUuidParam('id', 'An EQUITY campaign')
  @ApiOkResponse({ type: IssuerReportPageDto })
  @ApiErrors('NOT_FOUND', 'VALIDATION_FAILED')
  list(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<IssuerReportView>> {
    return this.reports.list(user, id, pageQuery(query));
  }
}
