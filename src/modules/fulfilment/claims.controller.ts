import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Roles } from '../../common/auth/auth.decorators.js';
import { PageQueryDto, pageQuery } from '../../common/pagination/page-query.dto.js';
import { ApiErrors } from '../../common/openapi/api-docs.decorators.js';
import { FinanceAudited } from '../finance/index.js';
import { BackerClaims, type ClaimStatus } from './backer-claims.service.js';
import { BackerClaimPageDto } from './dto/fulfilment.dto.js';

export class ClaimListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['OPEN', 'PAID'], description: 'Only claims in this state' })
  @IsOptional()
  @IsIn(['OPEN', 'PAID'])
  status?: ClaimStatus;
}

/** FINANCE: backers' claims on founders (RW-03 late-delivery shortfalls) and what is paid. */
@ApiTags('finance')
@Roles('FINANCE')
@FinanceAudited()
@Controller('finance/claims')
export class ClaimsController {
  constructor(private readonly claims: BackerClaims) {}

  @Get()
  @ApiOperation({
    summary: "Backers' claims on founders (RW-03), oldest first (cursor pages)",
    description:
      "What a late-delivery refund could not cover, paid from the founder's payable as money reaches it (oldest claim first, partially if need be).",
  })
  @ApiOkResponse({ type: BackerClaimPageDto })
  @ApiErrors('VALIDATION_FAILED')
  list(@Query() query: ClaimListQueryDto): Promise<BackerClaimPageDto> {
    return this.claims.list(query.status, pageQuery(query));
  }
}
