import { PageDtoOf } from '../../../common/pagination/page-query.dto.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import {
  ApiDateTime,
  ApiEnum,
  ApiMoney,
  ApiUuid,
  ApiBoolean,
  ApiCurrency,
} from '../../../common/openapi/api-properties.js';
import { ValidateEach } from '../../../common/http/validate-each.js';

const MONTH = '^\\d{4}-(0[1-9]|1[0-2])$';

// ------------------------------------------------------------------ requests

export class TierDeliveryDto {
  @ApiProperty({ format: 'uuid', description: "One of the campaign's reward tiers" })
  @IsUUID()
  tierId: string;

  @ApiProperty({
    pattern: MONTH,
    example: '2027-03',
    description: 'Estimated delivery month (RW-03)',
  })
  @IsString()
  @Matches(new RegExp(MONTH))
  deliveryMonth: string;

  @ApiProperty({ description: 'The tier ships a physical item (needs a shipping address)' })
  @IsBoolean()
  physical: boolean;
}

export class DeliveryPlanDto {
  @ApiProperty({ type: [TierDeliveryDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateEach(() => TierDeliveryDto)
  tiers: TierDeliveryDto[];
}

export class ShippingAddressDto {
  @ApiProperty({ minLength: 1, maxLength: 50, example: '李雷' })
  @IsString()
  @Length(1, 50)
  recipient: string;

  @ApiProperty({ pattern: '^\\+?[0-9][0-9 -]{4,19}$', example: '13800138000' })
  @IsString()
  @Matches(/^\+?[0-9][0-9 -]{4,19}$/)
  phone: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: '浙江省杭州市西湖区' })
  @IsString()
  @Length(1, 100)
  region: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: '文三路 100 号 5 幢 301' })
  @IsString()
  @Length(1, 200)
  line: string;

  @ApiPropertyOptional({ pattern: '^[0-9]{6}$', example: '310012' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9]{6}$/)
  postalCode?: string;
}

export class ShipmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  pledgeId: string;

  @ApiProperty({ minLength: 1, maxLength: 100, example: '顺丰速运' })
  @IsString()
  @Length(1, 100)
  carrier: string;

  @ApiProperty({ pattern: '^[A-Za-z0-9-]{1,100}$', example: 'SF1234567890' })
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,100}$/)
  trackingNumber: string;
}

export class ShipmentsDto {
  @ApiProperty({ type: [ShipmentDto], minItems: 1, maxItems: 500 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateEach(() => ShipmentDto)
  shipments: ShipmentDto[];
}

export class DeliveryProblemDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 1000,
    description: 'What went wrong (damaged, missing...)',
  })
  @IsString()
  @Length(1, 1000)
  problem: string;
}

// ------------------------------------------------------------------ responses

export class TierDeliveryViewDto {
  @ApiUuid() tierId: string;
  @ApiProperty({ pattern: MONTH, example: '2027-03' }) deliveryMonth: string;
  @ApiBoolean() physical: boolean;
}

export class MaskedAddressDto {
  @ApiProperty({ example: '李*' }) recipient: string;
  @ApiProperty({ example: '138****8000' }) phone: string;
  @ApiProperty() region: string;
  @ApiProperty({ example: '********' }) line: string;
  @ApiProperty({ type: String, nullable: true }) postalCode: string | null;
}

export class ShippingAddressViewDto {
  @ApiUuid() pledgeId: string;
  @ApiProperty({ type: MaskedAddressDto, description: 'Masked (PLAT-06)' })
  address: MaskedAddressDto;
}

export class ShipmentViewDto {
  @ApiProperty() carrier: string;
  @ApiProperty() trackingNumber: string;
  @ApiEnum(['SHIPPED', 'DELIVERED', 'PROBLEM']) status: string;
  @ApiDateTime() shippedAt: string;
  @ApiDateTime({ nullable: true }) confirmedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) problem: string | null;
}

export class RefundPartsDto {
  @ApiMoney() amount: string;
  @ApiMoney() fromHoldback: string;
  @ApiMoney() fromPayable: string;
  @ApiMoney() shortfall: string;
  @ApiEnum(['NONE', 'OPEN', 'PAID'], {
    description:
      "RW-03: the backer's claim (the shortfall): NONE when the refund was covered, OPEN until paid in full from the founder's payable",
  })
  claimStatus: string;
  @ApiMoney({ description: 'Paid so far toward the claim' }) claimPaid: string;
  @ApiMoney({ description: 'Still owed on the claim' }) claimRemaining: string;
}

export class DeliveryViewDto {
  @ApiUuid() pledgeId: string;
  @ApiUuid() campaignId: string;
  @ApiUuid() tierId: string;
  @ApiProperty({ pattern: MONTH }) deliveryMonth: string;
  @ApiDateTime({ description: 'When the delivery month ends (Beijing time)' }) dueAt: string;
  @ApiProperty({ type: MaskedAddressDto, nullable: true }) address: MaskedAddressDto | null;
  @ApiProperty({ type: ShipmentViewDto, nullable: true }) shipment: ShipmentViewDto | null;
  @ApiBoolean({ description: 'RW-03: late; POST .../late-delivery-refund may be asked' })
  late: boolean;
  @ApiProperty({ type: RefundPartsDto, nullable: true }) refund: RefundPartsDto | null;
}

export class ShipmentsRecordedDto {
  @ApiProperty({ type: 'integer', minimum: 1 }) recorded: number;
}

export class LateRefundDto {
  @ApiUuid() pledgeId: string;
  @ApiUuid() campaignId: string;
  @ApiCurrency() currency: string;
  @ApiMoney() amount: string;
  @ApiMoney({ description: "Paid from the campaign's holdback" }) fromHoldback: string;
  @ApiMoney({ description: "Paid from the founder's payable" }) fromPayable: string;
  @ApiMoney({ description: "Not covered: the backer's claim (a credit WARNING on the founder)" })
  shortfall: string;
  @ApiUuid({ nullable: true }) claimCreditRecordId: string | null;
  @ApiEnum(['NONE', 'OPEN', 'PAID'], {
    description:
      "RW-03: the backer's claim (the shortfall): NONE when the refund was covered, OPEN until paid in full from the founder's payable",
  })
  claimStatus: string;
  @ApiMoney({ description: 'Paid so far toward the claim' }) claimPaid: string;
  @ApiMoney({ description: 'Still owed on the claim' }) claimRemaining: string;
  @ApiDateTime() requestedAt: string;
}

/** FINANCE: a backer's claim on a founder (RW-03), from GET /finance/claims. */
export class BackerClaimDto {
  @ApiUuid() pledgeId: string;
  @ApiUuid() campaignId: string;
  @ApiUuid() investorId: string;
  @ApiUuid() founderId: string;
  @ApiCurrency() currency: string;
  @ApiMoney({ description: 'The shortfall the claim is for' }) amount: string;
  @ApiMoney() paid: string;
  @ApiMoney() remaining: string;
  @ApiEnum(['OPEN', 'PAID']) status: string;
  @ApiDateTime() createdAt: string;
  @ApiDateTime({ nullable: true }) settledAt: string | null;
}

export class BackerClaimPageDto extends PageDtoOf(BackerClaimDto, 'BackerClaimPageDto') {}

export class HoldbackDto {
  @ApiUuid() campaignId: string;
  @ApiCurrency() currency: string;
  @ApiMoney() net: string;
  @ApiProperty({ example: '0.2', description: 'rewardHoldbackRate when it settled' }) rate: string;
  @ApiMoney() amount: string;
  @ApiMoney() refunded: string;
  @ApiMoney() released: string;
  @ApiMoney() held: string;
  @ApiEnum(['HELD', 'RELEASED']) status: string;
  @ApiDateTime() releaseDueAt: string;
  @ApiDateTime({ nullable: true }) releasedAt: string | null;
  @ApiEnum(['DELIVERY_CONFIRMED', 'DELIVERY_MONTH_PASSED', 'NOTHING_HELD'], { nullable: true })
  releaseReason: string | null;
}
