import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import {
  ApiDateTime,
  ApiEnum,
  ApiInteger,
  ApiUuid,
} from '../../../common/openapi/api-properties.js';
import type { VerificationJob } from '../verification-jobs.service.js';
import { MonitorReportDto } from './finance-response.dto.js';

export class StartVerificationDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description:
      'true: only the blocks sealed after the last clean verification (as GET /finance/verify?incremental=true)',
  })
  @IsOptional()
  @IsBoolean()
  incremental?: boolean;
}

export class VerificationJobDto implements VerificationJob {
  @ApiUuid() id: string;
  @ApiEnum(['FULL', 'INCREMENTAL']) mode: 'FULL' | 'INCREMENTAL';
  @ApiEnum(['RUNNING', 'DONE', 'FAILED'], {
    description:
      'DONE: `report` holds the outcome (its `ok` says whether problems were found). FAILED: the run itself broke (`error`), or its instance stopped (no heartbeat for a minute)',
  })
  state: 'RUNNING' | 'DONE' | 'FAILED';
  @ApiEnum(['STARTING', 'BLOCKS', 'CHECKS', 'FINISHED'], {
    description:
      'BLOCKS: recomputing the sealed blocks (blocksDone of blocksTotal); CHECKS: the counters, totals and invariants over every account',
  })
  step: 'STARTING' | 'BLOCKS' | 'CHECKS' | 'FINISHED';
  @ApiInteger({ minimum: 0 }) blocksDone: number;
  @ApiInteger({ minimum: 0, description: 'Known once STARTING is over' }) blocksTotal: number;
  @ApiUuid({ description: 'The FINANCE user who started it' }) startedBy: string;
  @ApiDateTime() startedAt: string;
  @ApiDateTime({ description: 'Last progress or heartbeat written by the running instance' })
  heartbeatAt: string;
  @ApiDateTime({ nullable: true }) finishedAt: string | null;
  @ApiProperty({
    type: MonitorReportDto,
    nullable: true,
    description: 'Once DONE: the body GET /finance/verify answers, with the named problems',
  })
  report: MonitorReportDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it FAILED' }) error: string | null;
}
