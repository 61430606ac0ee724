import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import {
  ApiErrors,
  ApiIdempotencyKey,
  ApiUuidParam,
} from '../../common/openapi/api-docs.decorators.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { PageQueryDto, pageQuery } from '../../common/pagination/page-query.dto.js';
import { requireIdempotencyKey } from '../escrow-ledger/index.js';
import { LoanTermsDto, LoanTermsViewDto } from './dto/loan-terms.dto.js';
import {
  ClaimPageDto,
  CreditWithdrawalDto,
  InstalmentViewDto,
  LoanPageDto,
  LoanViewDto,
} from './dto/loan-views.dto.js';
import { LoanCredit } from './loan-credit.service.js';
import { type ClaimView, LoanQueries, type LoanView } from './loan-queries.service.js';
import { LoanTermsService } from './loan-terms.service.js';

@ApiTags('lending')
@Controller()
export class LendingController {
  constructor(
    private readonly terms: LoanTermsService,
    private readonly queries: LoanQueries,
    private readonly credit: LoanCredit,
  ) {}

  @Put('campaigns/:id/loan-terms')
  @Roles('FOUNDER')
  @ApiOperation({
    summary:
      "Set a DRAFT debt campaign's loan terms (rate capped by the pack, CN-P2P-02; purpose, CN-P2P-06)",
  })
  @ApiUuidParam('id', 'The DEBT campaign (own, DRAFT)')
  @ApiOkResponse({ type: LoanTermsViewDto })
  @ApiErrors(
    'NOT_FOUND',
    'LENDING.TERMS_LOCKED',
    'LENDING.RATE_ABOVE_CAP',
    'LENDING.TERMS_INVALID',
    'LENDING.PURPOSE_FORBIDDEN',
  )
  putTerms(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: LoanTermsDto,
  ): Promise<LoanTermsViewDto> {
    return this.terms.put(user.id, id, body);
  }

  @Get('campaigns/:id/loan-terms')
  @Roles('FOUNDER')
  @ApiOperation({ summary: "The loan terms of one's own debt campaign" })
  @ApiUuidParam('id', 'The DEBT campaign (own)')
  @ApiOkResponse({ type: LoanTermsViewDto })
  @ApiErrors('NOT_FOUND')
  getTerms(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<LoanTermsViewDto> {
    return this.terms.get(user.id, id);
  }

  @Get('loans/:id')
  @Roles('INVESTOR', 'FOUNDER', 'ADMIN', 'FINANCE')
  @ApiOperation({ summary: 'A loan: its borrower, its lenders, ADMIN and FINANCE may read it' })
  @ApiUuidParam('id', 'The loan')
  @ApiOkResponse({ type: LoanViewDto })
  @ApiErrors('NOT_FOUND')
  loan(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<LoanViewDto> {
    return this.queries.get(user, id);
  }

  @Get('loans/:id/schedule')
  @Roles('INVESTOR', 'FOUNDER', 'ADMIN', 'FINANCE')
  @ApiOperation({ summary: "A loan's repayment schedule with what was paid on each instalment" })
  @ApiUuidParam('id', 'The loan')
  @ApiOkResponse({ type: [InstalmentViewDto] })
  @ApiErrors('NOT_FOUND')
  schedule(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<InstalmentViewDto[]> {
    return this.queries.schedule(user, id);
  }

  @Post('loans/:id/credit/withdrawal')
  @Roles('FOUNDER')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: "The borrower takes back the loan's held overpayment credit, into their wallet",
    description:
      "All the credit moves by one posted CREDIT_WITHDRAWAL to the borrower's wallet (a founder's payable account), from which POST /wallet/withdrawals pays it out; audited, once however many concurrent requests.",
  })
  @ApiUuidParam('id', 'An own loan (as its borrower)')
  @ApiCreatedResponse({ type: CreditWithdrawalDto })
  @ApiErrors('NOT_FOUND', 'LENDING.NO_CREDIT')
  async withdrawCredit(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('idempotency-key') key: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreditWithdrawalDto> {
    const result = await this.credit.withdraw(user.id, id, requireIdempotencyKey(key));
    if (result.replayed) void reply.header('idempotent-replayed', 'true');
    return result.body;
  }

  @Get('me/claims')
  @Roles('INVESTOR')
  @ApiOperation({
    summary:
      'My claims as a lender, in the order of their loans, in cursor pages: principal outstanding, interest received, next payment',
  })
  @ApiOkResponse({ type: ClaimPageDto })
  claims(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<Page<ClaimView>> {
    return this.queries.myClaims(user.id, pageQuery(query));
  }

  @Get('me/loans')
  @Roles('FOUNDER')
  @ApiOperation({ summary: 'My loans as a borrower, oldest first, in cursor pages' })
  @ApiOkResponse({ type: LoanPageDto })
  loans(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<Page<LoanView>> {
    return this.queries.myLoans(user.id, pageQuery(query));
  }
}
