import { ApiProperty } from '@nestjs/swagger';
import {
  ApiCurrency,
  ApiDateTime,
  ApiEnum,
  ApiMoney,
  ApiUuid,
} from '../../../common/openapi/api-properties.js';
import { PageDtoOf } from '../../../common/pagination/page-query.dto.js';
import type { PayoutView } from '../payouts.service.js';

export class PayoutDto implements PayoutView {
  @ApiUuid() id: string;
  @ApiUuid() campaignId: string;
  @ApiUuid() founderId: string;
  @ApiMoney({ description: "The settled campaign's net" }) amount: string;
  @ApiCurrency() currency: string;
  @ApiEnum(['REQUESTED', 'APPROVED', 'REJECTED', 'PAID', 'FAILED'], {
    description:
      'APPROVED: held against custody until the bank confirms; then PAID or FAILED (the custodian’s notice)',
  })
  status: PayoutView['status'];
  @ApiDateTime() requestedAt: string;
  @ApiUuid({ nullable: true, description: 'The FINANCE user who decided (never the requester)' })
  decidedBy: string | null;
  @ApiDateTime({ nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was rejected' })
  reason: string | null;
  @ApiUuid({ nullable: true, description: 'The hold founder payable -> custody, once approved' })
  holdTransferId: string | null;
}

/** The approval queue, oldest request first, in cursor pages (issue 16). */
export class PayoutListDto extends PageDtoOf(PayoutDto, 'PayoutListDto') {}
