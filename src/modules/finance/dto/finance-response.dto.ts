import { ApiProperty } from '@nestjs/swagger';
import {
  ApiBigint,
  ApiBoolean,
  ApiCurrency,
  ApiDateTime,
  ApiEnum,
  ApiInteger,
  ApiMoney,
  ApiSha256,
  ApiUuid,
  PATTERNS,
} from '../../../common/openapi/api-properties.js';
import {
  ACCOUNT_KINDS,
  type AccountKind,
  type TransferKind,
  type TransferStatus,
} from '../../escrow-ledger/ledger.types.js';
import type { DailyFlowDay, DailyFlows } from '../daily-flows.service.js';
import type { AccountCounters, Counters } from '../finance.repository.js';
import type {
  CampaignEscrowReport,
  KindTotals,
  SealsPage,
  TrialBalance,
} from '../finance.service.js';
import {
  type MonitoredInvariant,
  type MonitorProblem,
  type MonitorReport,
} from '../invariant-monitor.service.js';
import type { RunningBalance, Statement, StatementEntry } from '../statement.service.js';

/** Response shapes of the finance office's reads (DESIGN §7); each mirrors its service type. */

export const TRANSFER_KINDS = [
  'DEPOSIT',
  'WITHDRAWAL',
  'PLEDGE',
  'SETTLEMENT',
  'FEE',
  'PAYOUT',
  'REFUND',
  'ADJUSTMENT',
  'REPAYMENT',
  'LINE_TRANSFER',
  'CREDIT_WITHDRAWAL',
  'DISTRIBUTION',
] as const satisfies readonly TransferKind[];
export const TRANSFER_STATUSES = [
  'PENDING',
  'POSTED',
  'POST',
  'VOID',
] as const satisfies readonly TransferStatus[];
// Compile-time: the lists above name every kind and status the ledger has.
const _allKinds: [Exclude<TransferKind, (typeof TRANSFER_KINDS)[number]>] extends [never]
  ? true
  : never = true;
const _allStatuses: [Exclude<TransferStatus, (typeof TRANSFER_STATUSES)[number]>] extends [never]
  ? true
  : never = true;
void _allKinds;
void _allStatuses;

export class CountersDto implements Counters {
  @ApiMoney() debitsPosted: string;
  @ApiMoney() creditsPosted: string;
  @ApiMoney() debitsPending: string;
  @ApiMoney() creditsPending: string;
}

export class AccountCountersDto extends CountersDto implements AccountCounters {
  @ApiProperty({ pattern: PATTERNS.accountCode, example: 'custody:cash' }) code: string;
  @ApiEnum(ACCOUNT_KINDS) kind: AccountKind;
  @ApiCurrency() currency: string;
}

export class KindTotalsDto extends CountersDto implements KindTotals {
  @ApiInteger({ minimum: 0 }) accounts: number;
  @ApiMoney(
    { description: "Posted balance on the kind's normal side (ASSET debit, the others credit)" },
    { signed: true },
  )
  balance: string;
}

export class TrialBalanceByKindDto implements Record<AccountKind, KindTotals> {
  @ApiProperty({ type: KindTotalsDto }) ASSET: KindTotalsDto;
  @ApiProperty({ type: KindTotalsDto }) LIABILITY: KindTotalsDto;
  @ApiProperty({ type: KindTotalsDto }) REVENUE: KindTotalsDto;
}

export class TrialBalanceDto implements TrialBalance {
  @ApiDateTime({ nullable: true, description: 'The instant recomputed for; null: live counters' })
  asOf: string | null;
  @ApiProperty({ type: [AccountCountersDto] }) accounts: AccountCountersDto[];
  @ApiProperty({ type: CountersDto }) totals: CountersDto;
  @ApiProperty({ type: TrialBalanceByKindDto }) byKind: TrialBalanceByKindDto;
  @ApiBoolean() postedBalanced: boolean;
  @ApiBoolean() pendingBalanced: boolean;
  @ApiBoolean({ description: 'Debits equal credits, posted and pending separately (INV-4)' })
  balanced: boolean;
}

export class RunningBalanceDto implements RunningBalance {
  @ApiMoney({ description: "Posted balance on the account's normal side" }, { signed: true })
  balance: string;
  @ApiMoney(
    { description: 'What the ledger lets the account spend: balance less pending movements away' },
    { signed: true },
  )
  available: string;
  @ApiMoney() pendingDebits: string;
  @ApiMoney() pendingCredits: string;
}

export class StatementAccountDto {
  @ApiProperty({ pattern: PATTERNS.accountCode, example: 'custody:cash' }) code: string;
  @ApiEnum(ACCOUNT_KINDS) kind: AccountKind;
  @ApiCurrency() currency: string;
  @ApiEnum(['DEBIT', 'CREDIT']) normalSide: 'DEBIT' | 'CREDIT';
}

export class StatementEntryDto extends RunningBalanceDto implements StatementEntry {
  @ApiBigint({ description: 'Ledger order' }) seq: string;
  @ApiUuid() transferId: string;
  @ApiDateTime() createdAt: string;
  @ApiEnum(TRANSFER_KINDS) kind: TransferKind;
  @ApiEnum(TRANSFER_STATUSES) status: TransferStatus;
  @ApiUuid({ nullable: true, description: 'POST / VOID rows: the hold they resolve' })
  pendingId: string | null;
  @ApiEnum(['DEBIT', 'CREDIT']) direction: 'DEBIT' | 'CREDIT';
  @ApiProperty({ pattern: PATTERNS.accountCode, description: 'The other account' })
  counterparty: string;
  @ApiMoney() amount: string;
  @ApiProperty({ type: String, nullable: true, example: 'pledge:…' }) reference: string | null;
}

export class StatementDto implements Statement {
  @ApiProperty({ type: StatementAccountDto }) account: StatementAccountDto;
  @ApiDateTime({ nullable: true }) from: string | null;
  @ApiDateTime({ nullable: true }) to: string | null;
  @ApiProperty({
    type: RunningBalanceDto,
    description: 'Figures before the first entry of this page (at `from` on the first page)',
  })
  opening: RunningBalanceDto;
  @ApiProperty({ type: [StatementEntryDto] }) entries: StatementEntryDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor: string | null;
}

export class PledgeStatusTotalsDto {
  @ApiInteger({ minimum: 0 }) count: number;
  @ApiMoney() amount: string;
}

export class PledgesByStatusDto implements Record<
  keyof CampaignEscrowReport['pledges'],
  PledgeStatusTotalsDto
> {
  @ApiProperty({ type: PledgeStatusTotalsDto }) COOLING_OFF: PledgeStatusTotalsDto;
  @ApiProperty({ type: PledgeStatusTotalsDto }) AWAITING_CONFIRMATION: PledgeStatusTotalsDto;
  @ApiProperty({ type: PledgeStatusTotalsDto }) ACTIVE: PledgeStatusTotalsDto;
  @ApiProperty({ type: PledgeStatusTotalsDto }) AWAITING_RECONFIRMATION: PledgeStatusTotalsDto;
  @ApiProperty({ type: PledgeStatusTotalsDto }) SETTLED: PledgeStatusTotalsDto;
  @ApiProperty({ type: PledgeStatusTotalsDto }) CANCELLED: PledgeStatusTotalsDto;
  @ApiProperty({ type: PledgeStatusTotalsDto }) REFUNDED: PledgeStatusTotalsDto;
}

export class CampaignEscrowReportDto implements CampaignEscrowReport {
  @ApiUuid() campaignId: string;
  @ApiProperty({ example: 'SETTLED', description: 'The campaign status (DESIGN §6)' })
  status: string;
  @ApiCurrency() currency: string;
  @ApiProperty({ pattern: PATTERNS.accountCode }) escrowAccount: string;
  @ApiMoney({ description: 'Live pledges; the gross once settled' }) committed: string;
  @ApiMoney({ description: 'Holds still pending in escrow' }) held: string;
  @ApiMoney({ description: 'Holds posted into escrow (the settled gross)' }) posted: string;
  @ApiMoney({ description: 'Holds voided (cancelled, rescinded, refunded)' }) voided: string;
  @ApiMoney() fee: string;
  @ApiMoney() net: string;
  @ApiMoney({ description: 'Payouts the custodian confirmed' }) paidOut: string;
  @ApiMoney({ description: 'Payouts approved, not yet confirmed' }) payoutHeld: string;
  @ApiMoney({ description: 'credits - debits on escrow, pending included' }, { signed: true })
  escrowBalance: string;
  @ApiBoolean({ description: 'INV-12: escrow is exactly 0 (required once SETTLED or REFUNDED)' })
  escrowZero: boolean;
  @ApiProperty({ type: PledgesByStatusDto }) pledges: PledgesByStatusDto;
}

export class InvariantStateDto {
  @ApiBoolean() ok: boolean;
  @ApiInteger({ minimum: 0 }) violations: number;
}

export class MonitoredInvariantsDto implements Record<MonitoredInvariant, InvariantStateDto> {
  @ApiProperty({ type: InvariantStateDto }) 'INV-2': InvariantStateDto;
  @ApiProperty({ type: InvariantStateDto }) 'INV-3': InvariantStateDto;
  @ApiProperty({ type: InvariantStateDto }) 'INV-4': InvariantStateDto;
  @ApiProperty({ type: InvariantStateDto }) 'INV-5': InvariantStateDto;
  @ApiProperty({ type: InvariantStateDto }) 'INV-7': InvariantStateDto;
  @ApiProperty({ type: InvariantStateDto }) 'INV-8': InvariantStateDto;
  @ApiProperty({ type: InvariantStateDto }) 'INV-11': InvariantStateDto;
  @ApiProperty({ type: InvariantStateDto }) 'INV-12': InvariantStateDto;
}

export class MonitorReportDto implements MonitorReport {
  @ApiBoolean({ description: 'No problem found' }) ok: boolean;
  @ApiProperty({
    enum: ['FULL', 'INCREMENTAL'],
    description:
      'FULL: every block and account from all transfers. INCREMENTAL: the blocks after the last clean run, accounts from their verified checkpoints plus later transfers',
  })
  mode: 'FULL' | 'INCREMENTAL';
  @ApiInteger({ minimum: 0, description: 'Blocks after this height were recomputed (0: all)' })
  fromHeight: number;
  @ApiInteger({ minimum: 0, description: 'The last sealed block checked' })
  throughHeight: number;
  @ApiInteger({ minimum: 0 }) transfersChecked: number;
  @ApiInteger({ minimum: 0 }) blocksChecked: number;
  @ApiInteger({ minimum: 0 }) accountsChecked: number;
  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      required: ['invariant', 'code', 'ids', 'message'],
      properties: {
        invariant: { type: 'string', example: 'INV-8' },
        code: { type: 'string' },
        ids: { type: 'array', items: { type: 'string' } },
        message: { type: 'string' },
      },
      additionalProperties: true,
    },
    description: 'Each problem names its invariant and the rows involved, with more facts by code',
  })
  problems: MonitorProblem[];
  @ApiProperty({ type: MonitoredInvariantsDto }) invariants: MonitoredInvariantsDto;
}

export class SealedBlockDto {
  @ApiBigint() height: string;
  @ApiProperty({ pattern: PATTERNS.bigint, description: 'First transaction id sealed (xid8)' })
  fromTxId: string;
  @ApiProperty({ pattern: PATTERNS.bigint, description: 'Transaction id watermark (exclusive)' })
  toTxId: string;
  @ApiInteger({ minimum: 0 }) transferCount: number;
  @ApiBigint({ nullable: true }) firstSeq: string | null;
  @ApiBigint({ nullable: true }) lastSeq: string | null;
  @ApiSha256() merkleRoot: string;
  @ApiSha256() prevHash: string;
  @ApiSha256() hash: string;
  @ApiProperty({
    example: 'zc-block-v1/zc-transfer-v1',
    description: 'How the hashes were computed (canonical.ts)',
  })
  encoding: string;
  @ApiDateTime() sealedAt: string;
}

export class SealsPageDto implements SealsPage {
  @ApiProperty({ type: [SealedBlockDto] }) blocks: SealedBlockDto[];
  @ApiInteger({ nullable: true, description: 'Pass as `after` for the next page; null at the end' })
  nextAfter: number | null;
}

export class DailyFlowDayDto implements DailyFlowDay {
  @ApiProperty({
    format: 'date',
    example: '2026-11-28',
    description: 'Calendar day in Asia/Shanghai',
  })
  day: string;
  @ApiMoney({ description: 'Deposits credited (DEPOSIT)' }) deposits: string;
  @ApiMoney({ description: 'Pledge holds placed (PLEDGE, PENDING)' })
  pledges: string;
  @ApiMoney({ description: 'Net settled to founders (SETTLEMENT)' })
  settlements: string;
  @ApiMoney({ description: 'Payout holds approved (PAYOUT, PENDING)' })
  payouts: string;
}

export class DailyFlowsDto implements DailyFlows {
  @ApiEnum(['Asia/Shanghai']) timeZone: 'Asia/Shanghai';
  @ApiCurrency() currency: string;
  @ApiDateTime({ description: 'Midnight in Shanghai of the first day' }) from: string;
  @ApiProperty({ type: [DailyFlowDayDto], description: 'One entry per day, oldest first' })
  days: DailyFlowDayDto[];
}
