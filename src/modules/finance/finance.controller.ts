import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators.js';
import { FinanceService, type SealsPage, type TrialBalance } from './finance.service.js';
import type { VerificationReport } from '../escrow-ledger/ledger-verifier.service.js';
import { SealsQueryDto } from './dto/seals-query.dto.js';

@ApiTags('finance')
@Roles('FINANCE')
@Controller('finance')
export class FinanceController {
  constructor(private readonly finance: FinanceService) {}

  @Get('trial-balance')
  @ApiOperation({
    summary: 'Every account with its four counters, totals, and whether debits equal credits',
  })
  trialBalance(): Promise<TrialBalance> {
    return this.finance.trialBalance();
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recompute every sealed block and every account from the transfers' })
  verify(): Promise<VerificationReport> {
    return this.finance.verify();
  }

  @Get('seals')
  @ApiOperation({ summary: 'Sealed blocks: range, Merkle root, hash, previous hash' })
  seals(@Query() query: SealsQueryDto): Promise<SealsPage> {
    return this.finance.seals(query.after ?? 0, query.limit ?? 100);
  }
}
