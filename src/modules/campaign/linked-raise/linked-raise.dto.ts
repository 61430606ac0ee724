import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { ApiDateTime, ApiUuid } from '../../../common/openapi/api-properties.js';
import type { LinkedRaiseView } from './campaign-links.service.js';

export class LinkRaiseDto {
  @ApiProperty({
    format: 'uuid',
    description: 'A DEBT campaign of the same founder, a DRAFT, ALL_OR_NOTHING',
  })
  @IsUUID()
  debtCampaignId: string;
}

export class LinkedRaiseDto implements LinkedRaiseView {
  @ApiUuid({ description: 'The campaign asked about' }) campaignId: string;
  @ApiUuid({ description: 'The other side of the linked raise' }) partnerId: string;
  @ApiUuid() equityCampaignId: string;
  @ApiUuid() debtCampaignId: string;
  @ApiUuid() founderId: string;
  @ApiDateTime() linkedAt: string;
}
