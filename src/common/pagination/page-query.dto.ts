import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** Rows on a page unless `limit` says otherwise, and the most a page may hold. */
export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 200;

/** Query strings arrive as text: only plain digits become numbers, anything else fails validation. */
const wholeNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value;

/**
 * `?cursor&limit` of a cursor-paged list (issue 16). A cursor this list did not give out, and a
 * limit outside 1..PAGE_MAX, are 400 VALIDATION_FAILED naming the field; nothing is read.
 */
export class PageQueryDto {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 300,
    description: 'The `nextCursor` of the previous page (opaque)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', default: PAGE_DEFAULT, minimum: 1, maximum: PAGE_MAX })
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(PAGE_MAX)
  limit?: number;
}

/** The page's rows and where to continue. */
export function pageQuery(query: PageQueryDto): { cursor?: string; limit: number } {
  return { cursor: query.cursor, limit: query.limit ?? PAGE_DEFAULT };
}

/** The OpenAPI schema of `{items, nextCursor}` for rows of `item` (one named class per list). */
export function PageDtoOf(item: Type<unknown>, name: string) {
  class PageDto {
    @ApiProperty({ type: [item] }) items: unknown[];
    @ApiProperty({
      type: String,
      nullable: true,
      description: 'Pass as `cursor` for the next page; null on the last page',
    })
    nextCursor: string | null;
  }
  Object.defineProperty(PageDto, 'name', { value: name });
  return PageDto;
}
