import {
  ApiCurrency,
  ApiDateTime,
  ApiEnum,
  ApiMoney,
  ApiMoneyInput,
  ApiUuid,
} from '../../../common/openapi/api-properties.js';
import { IsMoneyAmount } from '../../../common/http/money.validator.js';
import type { WalletView, WithdrawalView } from '../wallet.service.js';

export class WalletDto implements WalletView {
  @ApiMoney({ description: 'What the owner may pledge or withdraw now' }) available: string;
  @ApiMoney({ description: 'Held for pledges and withdrawals in flight' }) held: string;
  @ApiCurrency() currency: string;
}

export class WithdrawalRequestDto {
  @ApiMoneyInput({ example: '100.00' })
  @IsMoneyAmount()
  amount: string;
}

export class WithdrawalDto implements WithdrawalView {
  @ApiUuid({ description: 'The held transfer; the custodian’s notice names it' }) id: string;
  @ApiEnum(['PENDING']) status: 'PENDING';
  @ApiMoney() amount: string;
  @ApiCurrency() currency: string;
  @ApiDateTime() createdAt: string;
}
