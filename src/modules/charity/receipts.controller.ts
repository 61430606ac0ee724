import { Controller, Get, Param, ParseUUIDPipe, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, Roles } from '../../common/auth/auth.decorators.js';
import { ApiErrors, ApiUuidParam } from '../../common/openapi/api-docs.decorators.js';
import type { Page } from '../../common/pagination/cursor-codec.js';
import { PageQueryDto, pageQuery } from '../../common/pagination/page-query.dto.js';
import { ReceiptDto, ReceiptPageDto } from './dto/charity.dto.js';
import { receiptDocument, type ReceiptView, Receipts } from './receipts.service.js';

/** Donation receipts (PLAT-08): a donor's own, and the downloadable document. */
@ApiTags('charity')
@Controller('donations/receipts')
export class ReceiptsController {
  constructor(private readonly receipts: Receipts) {}

  @Get()
  @Roles('INVESTOR')
  @ApiOperation({ summary: "The donor's receipts, newest first, in cursor pages" })
  @ApiOkResponse({ type: ReceiptPageDto })
  mine(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto): Promise<Page<ReceiptView>> {
    return this.receipts.mine(user, pageQuery(query));
  }

  @Get(':id')
  @Roles('INVESTOR', 'FOUNDER', 'ADMIN', 'FINANCE')
  @ApiOperation({ summary: 'One receipt (its donor, its charity, or staff)' })
  @ApiUuidParam('id', 'A receipt')
  @ApiOkResponse({ type: ReceiptDto })
  @ApiErrors('NOT_FOUND')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<ReceiptView> {
    return this.receipts.get(user, id);
  }

  @Get(':id/document')
  @Roles('INVESTOR', 'FOUNDER', 'ADMIN', 'FINANCE')
  @ApiOperation({
    summary: "The receipt as a downloadable document: donor's masked name, amount, date, charity",
  })
  @ApiUuidParam('id', 'A receipt')
  @ApiProduces('text/html')
  @ApiOkResponse({
    description: 'A printable HTML document (attachment)',
    schema: { type: 'string' },
  })
  @ApiErrors('NOT_FOUND')
  async document(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<StreamableFile> {
    const receipt = await this.receipts.get(user, id);
    return new StreamableFile(Buffer.from(receiptDocument(receipt), 'utf8'), {
      type: 'text/html; charset=utf-8',
      disposition: `attachment; filename="receipt-${receipt.receiptNo}.html"`,
    });
  }
}
