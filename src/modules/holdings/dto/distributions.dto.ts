import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';
import {
  ApiBigint,
  ApiCurrency,
  ApiDateTime,
  ApiEnum,
  ApiInteger,
  ApiMoney,
  ApiMoneyInput,
  ApiUuid,
} from '../../../common/openapi/api-properties.js';
import { PageDtoOf } from '../../../common/pagination/page-query.dto.js';
import { DISTRIBUTION_KINDS, type DistributionKind } from '../distributions.repository.js';

export class AnnounceDistributionDto {
  @ApiEnum(DISTRIBUTION_KINDS) @IsIn(DISTRIBUTION_KINDS) kind: DistributionKind;

  @ApiMoneyInput({ description: 'What the issuer pays in through the custodian' })
  @IsMoneyAmount()
  amount: string;

  @ApiProperty({ required: false, nullable: true, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string | null;
}

export class DistributionDto {
  @ApiUuid() id: string;
  @ApiUuid() campaignId: string;
  @ApiEnum(DISTRIBUTION_KINDS) kind: DistributionKind;
  @ApiMoney() amount: string;
  @ApiCurrency() currency: string;
  @ApiProperty({ example: '0.2000', description: "The pack's withholding rate when announced" })
  withholdingRate: string;
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiEnum(['ANNOUNCED', 'PAID']) status: 'ANNOUNCED' | 'PAID';
  @ApiProperty({
    example: 'distribution:…:funding',
    description: 'Funded by a DISTRIBUTION notice',
  })
  fundingAccount: string;
  @ApiDateTime() announcedAt: string;
  @ApiDateTime({ nullable: true }) paidAt: string | null;
  @ApiInteger({ nullable: true }) holders: number | null;
  @ApiMoney({ nullable: true }) taxWithheld: string | null;
  @ApiMoney({ nullable: true, description: 'Paid to the lead investor as carry (issue 15)' })
  carryPaid: string | null;
}

export class DistributionPaymentDto {
  @ApiUuid() distributionId: string;
  @ApiUuid() investorId: string;
  @ApiBigint() units: string;
  @ApiMoney() gross: string;
  @ApiMoney() tax: string;
  @ApiMoney({ description: "The lead investor's carry (issue 15)" }) carry: string;
  @ApiMoney() net: string;
  @ApiCurrency() currency: string;
  @ApiDateTime() paidAt: string;
}

export class DistributionDetailDto extends DistributionDto {
  @ApiProperty({ type: [DistributionPaymentDto] }) payments: DistributionPaymentDto[];
}

export class DistributionStatementDto {
  @ApiUuid() distributionId: string;
  @ApiUuid() campaignId: string;
  @ApiEnum(DISTRIBUTION_KINDS) kind: DistributionKind;
  @ApiBigint() units: string;
  @ApiMoney() gross: string;
  @ApiMoney({ description: 'Withheld for the tax office' }) tax: string;
  @ApiMoney({ description: "The lead investor's carry on this payment (issue 15)" }) carry: string;
  @ApiMoney({ description: 'Paid to the wallet' }) net: string;
  @ApiCurrency() currency: string;
  @ApiDateTime() paidAt: string;
}

export class DistributionPageDto extends PageDtoOf(DistributionDto, 'DistributionPageDto') {}
export class DistributionStatementPageDto extends PageDtoOf(
  DistributionStatementDto,
  'DistributionStatementPageDto',
) {}
