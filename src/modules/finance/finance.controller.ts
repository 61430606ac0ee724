import { Controller, DefaultValuePipe, Get, ParseIntPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators.js';
import { FinanceService, type SealsPage, type TrialBalance } from './finance.service.js';
import type { VerificationReport } from '../escrow-ledger/ledger-verifier.service.js';

@ApiTags('finance')
@Roles('FINANCE')
@Controller('finance')
export class FinanceController {
  constructor(private readonly finance: FinanceService) {}

  @Get('trial-balance')
  @ApiOperation({ summary: 'Every account with its four counters, totals, and whether debits equal credits' })
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
  @ApiQuery({ name: 'after', required: false, description: 'height to start after' })
  @ApiQuery({ name: 'limit', required: false })
  seals(
    @Query('after', new DefaultValuePipe(0), ParseIntPipe) after: number,
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number,
  ): Promise<SealsPage> {
    return this.finance.seals(after, limit);
  }
}
