import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length, Matches } from 'class-validator';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';
import { PageDtoOf } from '../../../common/pagination/page-query.dto.js';
import {
  ApiCurrency,
  ApiDateTime,
  ApiInteger,
  ApiMoney,
  ApiMoneyInput,
  ApiUuid,
  ApiBoolean,
} from '../../../common/openapi/api-properties.js';
import { ValidateEach } from '../../../common/http/validate-each.js';

// ------------------------------------------------------------------ requests

export class PlanItemDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: '山区学校图书' })
  @IsString()
  @Length(1, 200)
  purpose: string;

  @ApiMoneyInput({ example: '5000.00' }) @IsMoneyAmount() amount: string;
}

export class CharityPlanDto {
  @ApiProperty({
    pattern: '^[0-9A-Za-z -]{18,24}$',
    example: '91330106MA2B3C4D5D',
    description:
      "The charity's unified social credit code (GB 32100); the verified one of the organisation running the campaign (PLAT-08)",
  })
  @IsString()
  @Matches(/^[0-9A-Za-z -]{18,24}$/)
  charityUscc: string;

  @ApiProperty({ type: [PlanItemDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateEach(() => PlanItemDto)
  fundUsePlan: PlanItemDto[];
}

export class ReportItemDto {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'A purpose of the fund-use plan' })
  @IsString()
  @Length(1, 200)
  purpose: string;

  @ApiMoneyInput({ example: '1200.00' }) @IsMoneyAmount() amount: string;

  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: 20,
    description: 'Evidence references (invoice numbers, document ids, URLs)',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 300, { each: true })
  evidence: string[];
}

export class FundUseReportDto {
  @ApiProperty({ type: [ReportItemDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateEach(() => ReportItemDto)
  items: ReportItemDto[];
}

// ------------------------------------------------------------------ responses

export class PlanItemViewDto {
  @ApiProperty() purpose: string;
  @ApiMoney() amount: string;
}

export class CharityDetailsDto {
  @ApiProperty({ description: 'Registered name' }) name: string;
  @ApiProperty({ example: '91330106MA2B3C4D5D' }) uscc: string;
  @ApiProperty({ description: 'The qualification an ADMIN recorded (PLAT-08)' })
  certificateReference: string;
}

export class CharityPlanViewDto {
  @ApiUuid() campaignId: string;
  @ApiProperty({ type: CharityDetailsDto }) charity: CharityDetailsDto;
  @ApiProperty({ type: [PlanItemViewDto] }) fundUsePlan: PlanItemViewDto[];
  @ApiMoney() planTotal: string;
  @ApiCurrency() currency: string;
}

export class ReceiptDto {
  @ApiUuid() id: string;
  @ApiProperty({ example: '91330106MA2B3C4D5D-2026-000001' }) receiptNo: string;
  @ApiInteger() year: number;
  @ApiInteger({ minimum: 1, description: 'Gapless per charity and year' }) number: number;
  @ApiUuid() campaignId: string;
  @ApiUuid() pledgeId: string;
  @ApiProperty({ example: '李*' }) donorNameMasked: string;
  @ApiMoney() amount: string;
  @ApiCurrency() currency: string;
  @ApiDateTime() donatedAt: string;
  @ApiProperty() charityName: string;
  @ApiProperty() charityUscc: string;
  @ApiDateTime() issuedAt: string;
}

export class ReceiptPageDto extends PageDtoOf(ReceiptDto, 'ReceiptPageDto') {}

export class PurposeSpendDto {
  @ApiProperty() purpose: string;
  @ApiMoney() planned: string;
  @ApiMoney() spent: string;
}

export class ReportItemViewDto {
  @ApiProperty() purpose: string;
  @ApiMoney() amount: string;
  @ApiProperty({ type: [String] }) evidence: string[];
}

export class FundUseReportViewDto {
  @ApiUuid() id: string;
  @ApiDateTime() filedAt: string;
  @ApiMoney() total: string;
  @ApiProperty({ type: [ReportItemViewDto] }) items: ReportItemViewDto[];
}

export class FundUseDto {
  @ApiUuid() campaignId: string;
  @ApiCurrency() currency: string;
  @ApiMoney({ description: 'Donations settled' }) raised: string;
  @ApiMoney({ description: 'What the charity received (less the platform fee)' }) received: string;
  @ApiMoney() spent: string;
  @ApiMoney({ description: 'received - spent' }) unspent: string;
  @ApiDateTime() reportDueAt: string;
  @ApiBoolean({ description: 'No report by the due date (PLAT-08)' }) reportOverdue: boolean;
  @ApiProperty({ type: [PurposeSpendDto] }) byPurpose: PurposeSpendDto[];
  @ApiProperty({ type: [FundUseReportViewDto] }) reports: FundUseReportViewDto[];
}
