import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors } from '../../common/openapi/api-docs.decorators.js';
import { AuditService } from './audit.service.js';
import { AuditEventPageDto, AuditEventsQueryDto } from './dto/audit-events.dto.js';

@ApiTags('audit')
@Controller('admin/audit-events')
export class AuditEventsController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('ADMIN', 'FINANCE')
  @ApiOperation({
    summary:
      'The audit trail, refusals included (CONV-05): filter by user, campaign, action or refusal code, and time; newest first, cursor-paginated',
  })
  @ApiOkResponse({ type: AuditEventPageDto })
  @ApiErrors('VALIDATION_FAILED')
  list(@Query() query: AuditEventsQueryDto): Promise<AuditEventPageDto> {
    return this.audit.search(query);
  }
}
