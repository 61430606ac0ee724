import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { PageQueryDto, pageQuery } from '../../common/pagination/page-query.dto.js';
import { FailedDeliveryPageDto } from './dto/notifications.dto.js';
import { FailedDeliveriesService, type FailedDeliveryView } from './failed-deliveries.service.js';

@ApiTags('admin')
@Roles('ADMIN')
@Controller('admin/notifications')
export class NotificationsAdminController {
  constructor(private readonly failed: FailedDeliveriesService) {}

  @Get('failed')
  @ApiOperation({
    summary:
      'E-mails and webhook deliveries given up after the last try, last try newest first; in cursor pages',
  })
  @ApiOkResponse({ type: FailedDeliveryPageDto })
  list(@Query() query: PageQueryDto): Promise<Page<FailedDeliveryView>> {
    return this.failed.list(pageQuery(query));
  }
}
