import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import {
  ApiDateTime,
  ApiEnum,
  ApiInteger,
  ApiUuid,
} from '../../../common/openapi/api-properties.js';
import { PageDtoOf } from '../../../common/pagination/page-query.dto.js';
import { REPORT_KINDS, type ReportKind } from '../issuer-reports.repository.js';

const NOT_BLANK = /\S/;

export class FileIssuerReportDto {
  @ApiEnum(REPORT_KINDS, { description: 'ANNUAL (CN-ECF-07, US-CF-20) or MATERIAL_EVENT' })
  @IsIn(REPORT_KINDS)
  kind: ReportKind;

  @ApiInteger(
    { minimum: 2000, maximum: 9999, description: 'ANNUAL: the (Beijing) fiscal year reported' },
    false,
  )
  @IsOptional()
  @IsInt()
  @Min(2000)
  @Max(9999)
  fiscalYear?: number | null;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'title must not be blank' })
  title: string;

  @ApiProperty({ minLength: 1, maxLength: 20000, description: 'The report, plain text' })
  @IsString()
  @Length(1, 20000)
  @Matches(NOT_BLANK, { message: 'body must not be blank' })
  body: string;
}

export class IssuerReportDto {
  @ApiUuid() id: string;
  @ApiUuid() campaignId: string;
  @ApiEnum(REPORT_KINDS) kind: ReportKind;
  @ApiInteger({ nullable: true }) fiscalYear: number | null;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiDateTime() filedAt: string;
}

export class IssuerReportPageDto extends PageDtoOf(IssuerReportDto, 'IssuerReportPageDto') {}
