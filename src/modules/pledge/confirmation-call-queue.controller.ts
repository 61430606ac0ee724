import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators.js';
import { ConfirmationCalls } from './confirmation-calls.service.js';
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
      'Pledges that need their confirmation call (CN-PF-07): callable from the end of cooling-off, due by the end of the call window',
  })
  @ApiOkResponse({ type: CallQueueDto })
  async queue(): Promise<CallQueueDto> {
    return { items: await this.calls.queue() };
  }
}
