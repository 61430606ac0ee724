import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors } from '../../common/openapi/api-docs.decorators.js';
import { JournalQueryDto } from './dto/journal-query.dto.js';
import { FinanceAudited } from './finance-audit.interceptor.js';
import { JournalService } from './journal.service.js';

@ApiTags('finance')
@Roles('FINANCE')
@FinanceAudited()
@Controller('finance')
export class JournalController {
  constructor(private readonly journal: JournalService) {}

  @Get('journal.csv')
  @ApiOperation({
    summary:
      'Every ledger transfer created in [from, to) as CSV, in seq order, with its canonical hash and sealed block height',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description:
      'RFC 4180 CSV with a header row: seq,id,createdAt,kind,status,debitAccount,creditAccount,amount,currency,pendingId,reference,hash,blockHeight',
    schema: { type: 'string' },
    headers: {
      'Content-Disposition': {
        description: 'attachment; filename="journal-<from>-<to>.csv"',
        schema: { type: 'string' },
      },
    },
  })
  @ApiErrors('FINANCE.INVALID_RANGE')
  async journalCsv(@Query() query: JournalQueryDto): Promise<StreamableFile> {
    const { filename, stream } = await this.journal.csv(query);
    return new StreamableFile(stream, {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="${filename}"`,
    });
  }
}
