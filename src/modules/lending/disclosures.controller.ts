import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/auth/auth.decorators.js';
import { ApiErrors } from '../../common/openapi/api-docs.decorators.js';
import { DisclosureQueryDto, DisclosureViewDto } from './dto/disclosure.dto.js';
import { OperatingDisclosures } from './operating-disclosure.service.js';

@ApiTags('lending')
@Controller('disclosures')
export class DisclosuresController {
  constructor(private readonly disclosures: OperatingDisclosures) {}

  @Public()
  @Get('operations')
  @ApiOperation({
    summary: 'Monthly operating disclosure of the lending business (CN-P2P-10), public',
    description:
      'Figures as at the end of the month. A closed month is frozen with its hash on first request; the current month is live and not frozen.',
  })
  @ApiOkResponse({ type: DisclosureViewDto })
  @ApiErrors('DISCLOSURE.MONTH_NOT_STARTED')
  operations(@Query() query: DisclosureQueryDto): Promise<DisclosureViewDto> {
    return this.disclosures.get(query.month);
  }
}
