import { IsIn } from 'class-validator';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';
import {
  ApiCurrency,
  ApiDateTime,
  ApiEnum,
  ApiMoney,
  ApiMoneyInput,
  ApiUuid,
} from '../../../common/openapi/api-properties.js';
import { WALLET_LINES, type WalletLine } from '../../escrow-ledger/index.js';
import type { LineTransferView } from '../line-transfers.service.js';

export class LineTransferRequestDto {
  @ApiEnum(WALLET_LINES, { description: 'The wallet paid from (an enabled one, PLAT-07)' })
  @IsIn(WALLET_LINES)
  from: WalletLine;

  @ApiEnum(WALLET_LINES, { description: 'The wallet paid into (an enabled one, not `from`)' })
  @IsIn(WALLET_LINES)
  to: WalletLine;

  @ApiMoneyInput({ example: '100.00' })
  @IsMoneyAmount()
  amount: string;
}

export class LineTransferDto implements LineTransferView {
  @ApiUuid({ description: 'The posted LINE_TRANSFER' }) id: string;
  @ApiEnum(WALLET_LINES) from: WalletLine;
  @ApiEnum(WALLET_LINES) to: WalletLine;
  @ApiMoney() amount: string;
  @ApiCurrency() currency: string;
  @ApiDateTime() createdAt: string;
}
