import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';
import {
  ApiDateTime,
  ApiEnum,
  ApiInteger,
  ApiMoney,
  ApiMoneyInput,
  ApiUuid,
} from '../../../common/openapi/api-properties.js';
import { REPAYMENT_METHODS, type RepaymentMethod } from '../loan-schedule.js';
import {
  PURPOSE_CATEGORIES,
  type PurposeCategory,
  type LoanTermsView,
} from '../loan-terms.service.js';

/** An annual rate as a decimal string with up to 4 decimals, 0 <= rate < 1 ("0.0800" = 8 %). */
const RATE = /^0(\.\d{1,4})?$/;
const NOT_BLANK = /\S/;

export class LoanTermsDto {
  @ApiProperty({
    example: '0.0800',
    pattern: RATE.source,
    description: 'Annual interest rate, capped by the pack (CN: 24 %)',
  })
  @Matches(RATE, { message: 'annualRate must be a decimal string such as "0.0800"' })
  annualRate: string;

  @ApiInteger({ minimum: 1, maximum: 600, example: 12 })
  @IsInt()
  @Min(1)
  @Max(600)
  termMonths: number;

  @ApiEnum(REPAYMENT_METHODS, { description: '等额本息, 等额本金 or 先息后本' })
  @IsIn(REPAYMENT_METHODS)
  method: RepaymentMethod;

  @ApiInteger({ minimum: 0, maximum: 365, example: 3 })
  @IsInt()
  @Min(0)
  @Max(365)
  graceDays: number;

  @ApiProperty({
    example: '0.1800',
    pattern: RATE.source,
    description: 'Annual penalty rate on overdue amounts',
  })
  @Matches(RATE, { message: 'penaltyAnnualRate must be a decimal string such as "0.1800"' })
  penaltyAnnualRate: string;

  @ApiEnum(PURPOSE_CATEGORIES, {
    description: 'STOCKS, OFF_MARKET_MARGIN, FUTURES and DERIVATIVES are refused (CN-P2P-05(11))',
  })
  @IsIn(PURPOSE_CATEGORIES)
  purposeCategory: PurposeCategory;

  @ApiProperty({ minLength: 1, maxLength: 2000, example: 'Two lathes for the workshop' })
  @IsString()
  @Length(1, 2000)
  @Matches(NOT_BLANK, { message: 'purpose must not be blank' })
  purpose: string;

  @ApiMoneyInput({
    allowZero: true,
    description: 'What the borrower owes on other platforms (CN-P2P-02), declared',
  })
  @IsMoneyAmount({ allowZero: true })
  otherPlatformDebt: string;
}

export class LoanTermsViewDto implements LoanTermsView {
  @ApiUuid() campaignId: string;
  @ApiProperty({ example: '0.0800' }) annualRate: string;
  @ApiInteger() termMonths: number;
  @ApiEnum(REPAYMENT_METHODS) method: RepaymentMethod;
  @ApiInteger() graceDays: number;
  @ApiProperty({ example: '0.1800' }) penaltyAnnualRate: string;
  @ApiEnum(PURPOSE_CATEGORIES) purposeCategory: PurposeCategory;
  @ApiProperty() purpose: string;
  @ApiMoney() otherPlatformDebt: string;
  @ApiInteger({ description: 'Day-count basis from the pack: 365 = ACT/365, 360 = ACT/360' })
  dayCountBasis: number;
  @ApiDateTime() updatedAt: string;
}
