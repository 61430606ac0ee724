import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import {
  type AuthUser,
  CurrentUser,
  CurrentUserOrNull,
  OptionalAuth,
  Roles,
} from '../../common/auth/auth.decorators.js';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { PageQueryDto, pageQuery } from '../../common/pagination/page-query.dto.js';
import { CampaignService } from '../campaign/index.js';
import {
  EquityTermsDto,
  EquityTermsViewDto,
  HoldingCorrectionDto,
  HoldingDto,
  MyHoldingDto,
  MyHoldingPageDto,
  HoldingsRegisterDto,
  HoldingsRegisterQueryDto,
} from './dto/holdings.dto.js';
import { EquityTermsService, type EquityTermsView } from './equity-terms.service.js';
import { CertificateSigner, certificateDocument } from './holding-certificate.js';
import { type HoldingView, HoldingsRegister, type RegisterView } from './register.service.js';

/** The register's CSV columns, for the issuer's books. */
export const REGISTER_CSV_COLUMNS = [
  'certificateNo',
  'holdingId',
  'investorId',
  'holderNameMasked',
  'legalHolder',
  'shareClass',
  'units',
  'unitPrice',
  'cost',
  'currency',
  'entry',
  'correctsId',
  'issuedAt',
] as const;

/** The holdings register (issue 15): equity terms, the register, holdings and certificates. */
@ApiTags('holdings')
@Controller()
export class HoldingsController {
  constructor(
    private readonly terms: EquityTermsService,
    private readonly register: HoldingsRegister,
    private readonly campaigns: CampaignService,
    private readonly signer: CertificateSigner,
  ) {}

  @Put('campaigns/:id/equity-terms')
  @Roles('FOUNDER')
  @ApiOperation({ summary: 'Set the share class and vehicle (DIRECT or NOMINEE) of an own DRAFT' })
  @ApiUuidParam('id', 'An own EQUITY campaign, DRAFT')
  @ApiOkResponse({ type: EquityTermsViewDto })
  @ApiErrors('NOT_FOUND', 'HOLDINGS.TERMS_LOCKED')
  putTerms(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: EquityTermsDto,
  ): Promise<EquityTermsView> {
    return this.terms.put(user.id, id, body);
  }

  @Get('campaigns/:id/equity-terms')
  @OptionalAuth()
  @ApiOperation({
    summary: 'What an EQUITY campaign issues: share class and vehicle (whoever may see it)',
  })
  @ApiUuidParam('id', 'An EQUITY campaign')
  @ApiOkResponse({ type: EquityTermsViewDto })
  @ApiErrors('NOT_FOUND', 'IDENTITY.REAL_NAME_REQUIRED', 'CLASSIFICATION.NOT_QUALIFIED')
  async getTerms(
    @CurrentUserOrNull() user: AuthUser | null,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<EquityTermsView> {
    const campaign = await this.campaigns.detail(user, id); // the campaign's own visibility rules
    if (campaign.kind !== 'EQUITY') throw new NotFoundError('Equity terms');
    return this.terms.get(id);
  }

  @Get('me/holdings')
  @Roles('INVESTOR')
  @ApiOperation({
    summary:
      "The investor's holdings, newest first, in cursor pages: campaign, units, cost, certificate, vehicle",
  })
  @ApiOkResponse({ type: MyHoldingPageDto })
  mine(
    @CurrentUser() user: AuthUser,
    @Query() query: PageQueryDto,
  ): Promise<Page<HoldingView & { campaignTitle: string }>> {
    return this.register.mine(user, pageQuery(query));
  }

  @Get('campaigns/:id/register')
  @Roles('FOUNDER', 'ADMIN', 'FINANCE')
  @ApiOperation({
    summary: "An EQUITY campaign's register in certificate order (its issuer, ADMIN, FINANCE)",
  })
  @ApiUuidParam('id', 'A settled EQUITY campaign')
  @ApiOkResponse({ type: HoldingsRegisterDto })
  @ApiErrors('NOT_FOUND')
  get(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: HoldingsRegisterQueryDto,
  ): Promise<RegisterView> {
    return this.register.register(user, id, query.all === 'true');
  }

  @Get('campaigns/:id/register.csv')
  @Roles('FOUNDER', 'ADMIN', 'FINANCE')
  @ApiOperation({ summary: 'The register as CSV for the issuer’s books (RFC 4180, header row)' })
  @ApiUuidParam('id', 'A settled EQUITY campaign')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: `CSV: ${REGISTER_CSV_COLUMNS.join(',')}`,
    schema: { type: 'string' },
  })
  @ApiErrors('NOT_FOUND')
  async csv(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: HoldingsRegisterQueryDto,
  ): Promise<StreamableFile> {
    const register = await this.register.register(user, id, query.all === 'true');
    const text = stringify(
      register.holdings.map((h) => {
        const cells: Record<(typeof REGISTER_CSV_COLUMNS)[number], string> = {
          ...h,
          certificateNo: String(h.certificateNo),
          holdingId: h.id,
          legalHolder: h.legalHolder ?? '',
          correctsId: h.correctsId ?? '',
        };
        return REGISTER_CSV_COLUMNS.map((c) => cells[c]);
      }),
      { header: true, columns: [...REGISTER_CSV_COLUMNS] },
    );
    return new StreamableFile(Buffer.from(text, 'utf8'), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="register-${id}.csv"`,
    });
  }

  @Get('holdings/:id')
  @Roles('INVESTOR', 'FOUNDER', 'ADMIN', 'FINANCE')
  @ApiOperation({ summary: 'One holding (its holder, its issuer, or staff)' })
  @ApiUuidParam('id', 'A holding')
  @ApiOkResponse({ type: MyHoldingDto })
  @ApiErrors('NOT_FOUND')
  one(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<HoldingView & { campaignTitle: string }> {
    return this.register.get(user, id);
  }

  @Get('holdings/:id/certificate')
  @Roles('INVESTOR', 'FOUNDER', 'ADMIN', 'FINANCE')
  @ApiOperation({
    summary: 'The signed holding certificate as a printable HTML document (attachment)',
  })
  @ApiUuidParam('id', 'A holding')
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'A printable HTML document', schema: { type: 'string' } })
  @ApiErrors('NOT_FOUND')
  async certificate(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<StreamableFile> {
    const holding = await this.register.get(user, id);
    const html = certificateDocument(holding, this.signer.sign(holding));
    return new StreamableFile(Buffer.from(html, 'utf8'), {
      type: 'text/html; charset=utf-8',
      disposition: `attachment; filename="certificate-${holding.campaignId}-${holding.certificateNo}.html"`,
    });
  }

  @Post('admin/holdings/:id/corrections')
  @HttpCode(201)
  @Roles('ADMIN')
  @ApiOperation({
    summary: 'Correct a holding by a new register entry with the next certificate number',
  })
  @ApiUuidParam('id', 'The current holding')
  @ApiCreatedResponse({ type: HoldingDto })
  @ApiErrors('NOT_FOUND', 'HOLDINGS.SUPERSEDED')
  correct(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: HoldingCorrectionDto,
  ): Promise<HoldingView> {
    return this.register.correct(admin, id, body.units, body.reason.trim());
  }
}
