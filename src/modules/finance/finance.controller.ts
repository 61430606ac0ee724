import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ValidationFailedError } from '../../common/errors/domain-error.js';
import { Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import { PATTERNS } from '../../common/openapi/api-properties.js';
import {
  DailyFlowsQueryDto,
  StatementQueryDto,
  TrialBalanceQueryDto,
} from './dto/finance-queries.dto.js';
import {
  CampaignEscrowReportDto,
  DailyFlowsDto,
  MonitorReportDto,
  SealsPageDto,
  StatementDto,
  TrialBalanceDto,
} from './dto/finance-response.dto.js';
import { SealsQueryDto } from './dto/seals-query.dto.js';
import { DailyFlowsService, type DailyFlows } from './daily-flows.service.js';
import { FinanceAudited } from './finance-audit.interceptor.js';
import {
  type CampaignEscrowReport,
  FinanceService,
  type SealsPage,
  type TrialBalance,
} from './finance.service.js';
import { InvariantMonitorService, type MonitorReport } from './invariant-monitor.service.js';
import { type Statement, StatementService } from './statement.service.js';

@ApiTags('finance')
@Roles('FINANCE')
@FinanceAudited()
@Controller('finance')
export class FinanceController {
  constructor(
    private readonly finance: FinanceService,
    private readonly statements: StatementService,
    private readonly monitor: InvariantMonitorService,
    private readonly flows: DailyFlowsService,
  ) {}

  @Get('trial-balance')
  @ApiOperation({
    summary:
      'Every account with its four counters, totals (also by account kind), and whether debits equal credits; asOf recomputes from the transfers',
  })
  @ApiOkResponse({ type: TrialBalanceDto })
  @ApiErrors('FINANCE.AS_OF_IN_FUTURE')
  trialBalance(@Query() query: TrialBalanceQueryDto): Promise<TrialBalance> {
    return this.finance.trialBalance(query.asOf);
  }

  @Get('accounts/:code/statement')
  @ApiParam({
    name: 'code',
    description: 'The ledger account code (DESIGN §4)',
    example: 'custody:cash',
    schema: { type: 'string', pattern: PATTERNS.accountCode },
  })
  @ApiOperation({
    summary: 'Every transfer touching the account, in ledger order, with the running balance',
  })
  @ApiOkResponse({ type: StatementDto })
  @ApiErrors('NOT_FOUND', 'FINANCE.INVALID_CURSOR', 'FINANCE.INVALID_RANGE')
  statement(@Param('code') code: string, @Query() query: StatementQueryDto): Promise<Statement> {
    return this.statements.statement(code, query);
  }

  @Get('campaigns/:id/escrow')
  @ApiOperation({
    summary:
      "A campaign's escrow: committed, held, posted, voided, fee, net, paid out, pledges by status, escrowZero",
  })
  @ApiUuidParam('id', 'The campaign')
  @ApiOkResponse({ type: CampaignEscrowReportDto })
  @ApiErrors('NOT_FOUND')
  campaignEscrow(@Param('id', ParseUUIDPipe) id: string): Promise<CampaignEscrowReport> {
    return this.finance.campaignEscrow(id);
  }

  @Get('verify')
  @ApiOperation({
    summary:
      'Recompute every sealed block and account from the transfers, and check the invariants of DESIGN §5',
  })
  @ApiOkResponse({ type: MonitorReportDto })
  @ApiQuery({
    name: 'incremental',
    required: false,
    type: 'boolean',
    description:
      'true: recompute only the blocks sealed after the last clean verification, and every account from its verified checkpoint plus the transfers after it. A full run (the default) also re-checks what earlier runs checked.',
  })
  // Other query parameters are ignored here, as before this one existed (the audit trail keeps them).
  verify(@Query('incremental') incremental?: string): Promise<MonitorReport> {
    if (incremental !== undefined && incremental !== 'true' && incremental !== 'false') {
      throw new ValidationFailedError([
        { field: 'incremental', problems: ['incremental must be true or false'] },
      ]);
    }
    return this.monitor.verify({ incremental: incremental === 'true' });
  }

  @Get('daily-flows')
  @ApiOperation({
    summary:
      'Daily deposits, pledges, settlements and payouts over the last N Shanghai days (the console chart)',
  })
  @ApiOkResponse({ type: DailyFlowsDto })
  dailyFlows(@Query() query: DailyFlowsQueryDto): Promise<DailyFlows> {
    return this.flows.dailyFlows(query.days ?? 90);
  }

  @Get('seals')
  @ApiOperation({ summary: 'Sealed blocks: range, Merkle root, hash, previous hash' })
  @ApiOkResponse({ type: SealsPageDto })
  seals(@Query() query: SealsQueryDto): Promise<SealsPage> {
    return this.finance.seals(query.after ?? 0, query.limit ?? 100);
  }
}
