import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import {
  ApiCurrency,
  ApiDateTime,
  ApiEnum,
  ApiMoney,
  ApiMoneyInput,
  ApiUuid,
} from '../../../common/openapi/api-properties.js';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';
import { WALLET_LINES, type WalletLine } from '../wallet-lines.js';
import type { LineWalletView, WalletView, WithdrawalView } from '../wallet.service.js';

export class LineWalletDto implements LineWalletView {
  @ApiEnum(WALLET_LINES, {
    description: 'GENERAL, or the financial line whose money this wallet holds (PLAT-07)',
  })
  line: WalletLine;
  @ApiMoney({ description: 'What may be pledged, transferred or withdrawn from it now' })
  available: string;
  @ApiMoney({ description: 'Held for pledges and withdrawals in flight' }) held: string;
  @ApiCurrency() currency: string;
}

export class WalletDto implements WalletView {
  @ApiMoney({
    description: 'What the owner may pledge or withdraw now (an investor: from the general wallet)',
  })
  available: string;
  @ApiMoney({ description: 'Held for pledges and withdrawals in flight' }) held: string;
  @ApiCurrency() currency: string;
  @ApiProperty({
    type: [LineWalletDto],
    required: false,
    description:
      "Investors when the lines are separated (PLAT-07): each wallet's balance, GENERAL (the top-level figures), EQUITY and DEBT",
  })
  wallets?: LineWalletDto[];
}

export class WithdrawalRequestDto {
  @ApiMoneyInput({ example: '100.00' })
  @IsMoneyAmount()
  amount: string;

  @ApiEnum(
    WALLET_LINES,
    {
      description:
        'Investors under line separation (PLAT-07): the wallet withdrawn from (default GENERAL)',
    },
    false,
  )
  @IsOptional()
  @IsIn(WALLET_LINES)
  line?: WalletLine;
}

export class WithdrawalDto implements WithdrawalView {
  @ApiUuid({ description: 'The held transfer; the custodian’s notice names it' }) id: string;
  @ApiEnum(['PENDING']) status: 'PENDING';
  @ApiMoney() amount: string;
  @ApiCurrency() currency: string;
  @ApiDateTime() createdAt: string;
}
