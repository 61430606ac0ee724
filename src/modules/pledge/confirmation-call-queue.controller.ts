import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { PageQueryDto, pageQuery } from '../../common/pagination/page-query.dto.js';
import { type CallQueueEntry, ConfirmationCalls } from './confirmation-calls.service.js';
import { CallQueueDto } from './dto/pledge-response.dto.js';

/** ADMIN's confirmation-call queue (回访, CN-PF-07), as the staff console shows it (issue 17). */
@ApiTags('admin')
@Controller('admin/confirmation-calls')
export class ConfirmationCallQueueController {
  constructor(private readonly calls: ConfirmationCalls) {}

  @Get()
  @Roles('ADMIN')
  @ApiOperation({
    summary:
      'Pledges that need their confirmation call (CN-PF-07), in cursor pages: callable from the end of cooling-off, due by the end of the call window',
  })
  @ApiOkResponse({ type: CallQueueDto })
  queue(@Query() query: PageQueryDto): Promise<Page<CallQueueEntry>> {
    return this.calls.queue(pageQuery(query));
  }
}
