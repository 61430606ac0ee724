import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import {
  ReconciliationDto,
  ReconciliationListQueryDto,
  ReconciliationPageDto,
  ReconciliationQueryDto,
} from './dto/reconciliation.dto.js';
import { FinanceAudited } from './finance-audit.interceptor.js';
import { ReconciliationService } from './reconciliation.service.js';

/** Reconciliation of the custody account with the custodian bank's statement (FINANCE only). */
@ApiTags('finance')
@Roles('FINANCE')
@FinanceAudited()
@Controller('finance')
export class ReconciliationController {
  constructor(private readonly reconciliations: ReconciliationService) {}

  @Post('reconciliations')
  @ApiOperation({
    summary: "Reconcile custody with the bank's statement (CSV or JSON lines upload)",
    description:
      'Body: the statement, `text/csv` with header `date,bankReference,direction,amount` or ' +
      "`application/x-ndjson` with one object of those fields per line. direction is the bank's " +
      'view: CREDIT = into custody (deposits), DEBIT = out of custody (settled withdrawals and ' +
      'payouts). A bad file is refused whole (400, the error names the line) and nothing is stored.',
  })
  @ApiConsumes('text/csv', 'application/x-ndjson')
  @ApiBody({ required: true, schema: { type: 'string' } })
  @ApiCreatedResponse({ type: ReconciliationDto })
  @ApiErrors(
    'RECONCILIATION.MALFORMED_STATEMENT',
    'RECONCILIATION.INVALID_LINE',
    'RECONCILIATION.DUPLICATE_REFERENCE',
    'RECONCILIATION.INVALID_PERIOD',
    'RECONCILIATION.UNSUPPORTED_FORMAT',
  )
  reconcile(
    @CurrentUser() user: AuthUser,
    @Query() query: ReconciliationQueryDto,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
  ): Promise<ReconciliationDto> {
    return this.reconciliations.reconcile({
      runBy: user.id,
      contentType,
      body,
      from: query.from,
      to: query.to,
      closingBalance: query.closingBalance,
    });
  }

  @Get('reconciliations')
  @ApiOperation({ summary: 'Stored reconciliations, newest first (cursor pages)' })
  @ApiOkResponse({ type: ReconciliationPageDto })
  list(@Query() query: ReconciliationListQueryDto): Promise<ReconciliationPageDto> {
    return this.reconciliations.list(query.cursor, query.limit ?? 50);
  }

  @Get('reconciliations/:id')
  @ApiOperation({ summary: 'One stored reconciliation with every result line' })
  @ApiUuidParam('id', 'The reconciliation')
  @ApiOkResponse({ type: ReconciliationDto })
  @ApiErrors('NOT_FOUND')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ReconciliationDto> {
    return this.reconciliations.get(id);
  }
}
