import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { pageQuery } from '../../common/pagination/page-query.dto.js';
import { CreditService, type CreditRecordView } from './credit.service.js';
import type { RecordCreditInput } from './credit.types.js';
import {
  CreditRecordDto,
  CreditRecordPageDto,
  CreditRecordsQueryDto,
  LiftCreditDto,
  RecordCreditDto,
} from './dto/credit.dto.js';

@ApiTags('admin')
@Roles('ADMIN')
@Controller('admin/credit-records')
export class CreditRecordsAdminController {
  constructor(private readonly credit: CreditService) {}

  @Post()
  @ApiOperation({ summary: 'Record a credit finding about a user (PLAT-03)' })
  @ApiCreatedResponse({ type: CreditRecordDto })
  @ApiErrors('NOT_FOUND')
  record(@CurrentUser() admin: AuthUser, @Body() body: RecordCreditDto): Promise<CreditRecordView> {
    return this.credit.record(admin.id, toRecordInput(body));
  }

  @Get()
  @ApiOperation({
    summary: 'Credit records, newest first, by user and whether in force now; in cursor pages',
  })
  @ApiOkResponse({ type: CreditRecordPageDto })
  list(@Query() query: CreditRecordsQueryDto): Promise<Page<CreditRecordView>> {
    return this.credit.list({ userId: query.userId, active: query.active }, pageQuery(query));
  }

  @Post(':id/lift')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lift a credit record (once), with a reason' })
  @ApiUuidParam('id', 'The credit record')
  @ApiOkResponse({ type: CreditRecordDto })
  @ApiErrors('NOT_FOUND', 'CREDIT.ALREADY_LIFTED')
  lift(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: LiftCreditDto,
  ): Promise<CreditRecordView> {
    return this.credit.lift(admin.id, id, body.reason);
  }
}

function toRecordInput(body: RecordCreditDto): RecordCreditInput {
  return {
    userId: body.userId,
    kind: body.kind,
    severity: body.severity,
    source: body.source,
    effectiveFrom: body.effectiveFrom === undefined ? undefined : new Date(body.effectiveFrom),
    effectiveUntil: body.effectiveUntil === undefined ? null : new Date(body.effectiveUntil),
    note: body.note,
  };
}
