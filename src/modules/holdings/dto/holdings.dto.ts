import { ApiProperty } from '@nestjs/swagger';
import {
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
  IsNotEmpty,
} from 'class-validator';
import {
  ApiBigint,
  ApiCurrency,
  ApiDateTime,
  ApiEnum,
  ApiInteger,
  ApiMoney,
  ApiUuid,
} from '../../../common/openapi/api-properties.js';
import { PageDtoOf } from '../../../common/pagination/page-query.dto.js';
import { VEHICLES } from '../equity-terms.service.js';
import type { Vehicle } from '../holdings.repository.js';

const NOT_BLANK = /\S/;

export class EquityTermsDto {
  @ApiProperty({ example: 'ORDINARY', minLength: 1, maxLength: 60 })
  @IsString()
  @Length(1, 60)
  @Matches(NOT_BLANK, { message: 'shareClass must not be blank' })
  shareClass: string;

  @ApiEnum(VEHICLES, {
    description: 'DIRECT: investors hold the shares; NOMINEE: one legal holder for them all',
  })
  @IsIn(VEHICLES)
  vehicle: Vehicle;

  @ApiProperty({
    required: false,
    nullable: true,
    maxLength: 200,
    description: 'Required with NOMINEE: who holds legal title for the beneficial owners',
  })
  @ValidateIf((o: EquityTermsDto) => o.vehicle === 'NOMINEE' || o.nomineeName != null)
  @IsString()
  @IsNotEmpty()
  @Length(1, 200)
  @Matches(NOT_BLANK, { message: 'nomineeName must not be blank' })
  nomineeName?: string | null;
}

export class EquityTermsViewDto {
  @ApiUuid() campaignId: string;
  @ApiProperty() shareClass: string;
  @ApiEnum(VEHICLES) vehicle: Vehicle;
  @ApiProperty({ type: String, nullable: true }) nomineeName: string | null;
  @ApiDateTime({ nullable: true, description: 'Null while the defaults apply' })
  updatedAt: string | null;
}

export class HoldingDto {
  @ApiUuid() id: string;
  @ApiUuid() campaignId: string;
  @ApiInteger({ minimum: 1, description: 'Gapless per campaign' }) certificateNo: number;
  @ApiUuid() investorId: string;
  @ApiProperty({ example: '李*' }) holderNameMasked: string;
  @ApiBigint({ description: 'Whole units' }) units: string;
  @ApiMoney() unitPrice: string;
  @ApiMoney() cost: string;
  @ApiCurrency() currency: string;
  @ApiProperty() shareClass: string;
  @ApiEnum(VEHICLES) vehicle: Vehicle;
  @ApiProperty({ type: String, nullable: true, description: 'NOMINEE: the legal holder' })
  legalHolder: string | null;
  @ApiEnum(['ISSUE', 'CORRECTION']) entry: 'ISSUE' | 'CORRECTION';
  @ApiUuid({ nullable: true, description: 'CORRECTION: the holding it supersedes' })
  correctsId: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiDateTime() issuedAt: string;
}

export class MyHoldingDto extends HoldingDto {
  @ApiProperty() campaignTitle: string;
}

export class MyHoldingPageDto extends PageDtoOf(MyHoldingDto, 'MyHoldingPageDto') {}

export class HoldingsRegisterDto {
  @ApiUuid() campaignId: string;
  @ApiProperty() campaignTitle: string;
  @ApiUuid() issuerId: string;
  @ApiProperty() shareClass: string;
  @ApiEnum(VEHICLES) vehicle: Vehicle;
  @ApiProperty({ type: String, nullable: true }) nomineeName: string | null;
  @ApiMoney() unitPrice: string;
  @ApiCurrency() currency: string;
  @ApiInteger({ description: 'Beneficial owners with units (look-through)' }) holders: number;
  @ApiBigint() totalUnits: string;
  @ApiMoney() totalCost: string;
  @ApiProperty({ type: [HoldingDto] }) holdings: HoldingDto[];
}

export class HoldingsRegisterQueryDto {
  @ApiEnum(['true', 'false'], { required: false, description: 'true: every entry, superseded too' })
  @IsOptional()
  @IsIn(['true', 'false'])
  all?: 'true' | 'false';
}

export class HoldingCorrectionDto {
  @ApiBigint({ description: 'The corrected number of whole units (0 cancels the holding)' })
  @Matches(/^(0|[1-9][0-9]{0,14})$/, {
    message: 'units must be whole units as a string, e.g. "40"',
  })
  units: string;

  @ApiProperty({ minLength: 1, maxLength: 500 })
  @IsString()
  @Length(1, 500)
  @Matches(NOT_BLANK, { message: 'reason must not be blank' })
  reason: string;
}
