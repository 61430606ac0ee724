import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/auth.decorators.js';
import { FailedDeliveryDto, FailedQueryDto } from './dto/notifications.dto.js';
import { FailedDeliveriesService, type FailedDeliveryView } from './failed-deliveries.service.js';

@ApiTags('admin')
@Roles('ADMIN')
@Controller('admin/notifications')
export class NotificationsAdminController {
  constructor(private readonly failed: FailedDeliveriesService) {}

  @Get('failed')
  @ApiOperation({ summary: 'E-mails and webhook deliveries given up after the last try' })
  @ApiOkResponse({ type: [FailedDeliveryDto] })
  list(@Query() query: FailedQueryDto): Promise<FailedDeliveryView[]> {
    return this.failed.list(query.limit ?? 100);
  }
}
