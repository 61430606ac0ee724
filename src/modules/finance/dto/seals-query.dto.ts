import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Query strings arrive as text: only plain digits become numbers, anything else fails validation. */
const wholeNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;

export class SealsQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    description: 'height to start after',
    default: 0,
    minimum: 0,
  })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ type: 'integer', default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
