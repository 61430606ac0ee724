import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/auth.decorators.js';
import { ApiErrors } from '../openapi/api-docs.decorators.js';
import { HealthDto, LiveDto } from './health-response.dto.js';

@ApiTags('ops')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Public()
  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and database reachability' })
  @ApiOkResponse({ type: HealthDto })
  @ApiErrors('SERVICE_UNAVAILABLE')
  check() {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 3000 })]);
  }

  /** The process answers at all: no database, no work (also the bench's HTTP-overhead reference). */
  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness only: the process is up and serving HTTP' })
  @ApiOkResponse({ type: LiveDto })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
