import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import { StartVerificationDto, VerificationJobDto } from './dto/verification-job.dto.js';
import { FinanceAudited } from './finance-audit.interceptor.js';
import { type VerificationJob, VerificationJobsService } from './verification-jobs.service.js';

/** Ledger verification with progress (issue 17): start it, then ask where it is. */
@ApiTags('finance')
@Roles('FINANCE')
@FinanceAudited()
@Controller('finance/verifications')
export class VerificationJobsController {
  constructor(private readonly jobs: VerificationJobsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Start a ledger verification (the run of GET /finance/verify) in the background; follow it at GET /finance/verifications/:id',
    description: 'One at a time: while one is running, 409 with its id in `details.id`.',
  })
  @ApiAcceptedResponse({ type: VerificationJobDto })
  @ApiErrors('FINANCE.VERIFICATION_RUNNING')
  start(
    @CurrentUser() user: AuthUser,
    @Body() body: StartVerificationDto = {},
  ): Promise<VerificationJob> {
    return this.jobs.start(user, { incremental: body?.incremental === true });
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'Where a verification is: blocks recomputed of the blocks to check, then the report with the named problems',
  })
  @ApiUuidParam('id', 'The verification')
  @ApiOkResponse({ type: VerificationJobDto })
  @ApiErrors('NOT_FOUND')
  find(@Param('id', ParseUUIDPipe) id: string): Promise<VerificationJob> {
    return this.jobs.find(id);
  }
}
