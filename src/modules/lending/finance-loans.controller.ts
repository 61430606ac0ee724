import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators.js';
import { FinanceAudited } from '../finance/index.js';
import { pageQuery } from '../../common/pagination/page-query.dto.js';
import { FinanceLoansDto, LoansPageQueryDto, LoansQueryDto } from './dto/loan-views.dto.js';
import { LoanBook } from './loan-book.service.js';

@ApiTags('finance')
@Roles('FINANCE')
@FinanceAudited()
@Controller('finance/loans')
export class FinanceLoansController {
  constructor(private readonly book: LoanBook) {}

  @Get()
  @ApiOperation({
    summary:
      'Loans in cursor pages, oldest first, with outstanding principal (from the ledger) and overdue buckets M1, M2, M3+ over every loan of the filter',
  })
  @ApiOkResponse({ type: FinanceLoansDto })
  list(@Query() query: LoansPageQueryDto): Promise<FinanceLoansDto> {
    return this.book.list(query.status ?? null, pageQuery(query));
  }

  @Get('export.csv')
  @ApiOperation({ summary: 'Every loan of the filter as CSV (RFC 4180, header row; not paged)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description:
      'CSV: id,campaignId,borrowerId,status,currency,principal,outstandingPrincipal,annualRate,termMonths,method,startDate,lenderCount,overdueAmount,overdueDays,bucket,borrowerCredit',
    schema: { type: 'string' },
  })
  async csv(@Query() query: LoansQueryDto): Promise<StreamableFile> {
    const text = await this.book.csv(query.status ?? null);
    return new StreamableFile(Buffer.from(text, 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: 'attachment; filename="loans.csv"',
    });
  }
}
