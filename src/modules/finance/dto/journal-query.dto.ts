import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

/** The createdAt window [from, to) of a journal export; both ends optional. */
export class JournalQueryDto {
  @ApiPropertyOptional({
    description: 'ISO 8601 timestamp; transfers created at or after it',
    example: '2026-11-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({
    description: 'ISO 8601 timestamp; transfers created before it',
    example: '2026-12-01T00:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;
}
