import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class VerifyQueryDto {
  @ApiPropertyOptional({
    type: 'boolean',
    default: false,
    description:
      'true: recompute only the blocks sealed after the last clean verification, and every account from its verified checkpoint plus the transfers after it. A full run (the default) also re-checks what earlier runs checked.',
  })
  @IsOptional()
  // Query strings arrive as text: only the words true and false become booleans.
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  incremental?: boolean;
}
