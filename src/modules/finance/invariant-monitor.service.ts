import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.js';
import { ledgerConfig, type LedgerConfig } from '../../config/namespaces.js';
import {
  LedgerVerifierService,
  type VerificationProblem,
  type VerificationReport,
  type VerifyOptions,
} from '../escrow-ledger/ledger-verifier.service.js';
import { InvariantMonitorRepository } from './invariant-monitor.repository.js';

/** The invariants of DESIGN §5 checked after the fact. */
export const MONITORED_INVARIANTS = [
  'INV-2',
  'INV-3',
  'INV-4',
  'INV-5',
  'INV-7',
  'INV-8',
  'INV-11',
  'INV-12',
] as const;
export type MonitoredInvariant = (typeof MONITORED_INVARIANTS)[number];

export interface MonitorProblem {
  invariant: string;
  code: string;
  /** The rows involved: account codes, campaign / tier ids, block heights, transfer ids. */
  ids: string[];
  message: string;
  [detail: string]: unknown;
}

/** DESIGN §7's verification body, with every problem naming its invariant and ids. */
export interface MonitorReport {
  ok: boolean;
  mode: VerificationReport['mode'];
  fromHeight: number;
  throughHeight: number;
  transfersChecked: number;
  blocksChecked: number;
  accountsChecked: number;
  problems: MonitorProblem[];
  invariants: Record<MonitoredInvariant, { ok: boolean; violations: number }>;
}

/**
 * `GET /finance/verify`: the ledger verifier's report (sealed blocks recomputed, counters against
 * transfers, debits = credits, unsealed transfers) plus the checks across ledger and campaigns
 * (INV-5, INV-7, INV-8, INV-12), each set-based SQL in InvariantMonitorRepository.
 */
@Injectable()
export class InvariantMonitorService {
  constructor(
    private readonly verifier: LedgerVerifierService,
    private readonly monitor: InvariantMonitorRepository,
    private readonly clock: Clock,
    @Inject(ledgerConfig.KEY) private readonly config: LedgerConfig,
  ) {}

  async verify(options: VerifyOptions = {}): Promise<MonitorReport> {
    const base = await this.verifier.verify(options);
    const graceEnded = new Date(this.clock.now().getTime() - this.config.sealGraceSeconds * 1000);
    const [unsealedIds, overdrawn, caps, escrow, closed] = await Promise.all([
      base.problems.some((p) => p.code === 'TRANSFERS_NOT_SEALED')
        ? this.monitor.unsealedTransferIds(graceEnded)
        : Promise.resolve([]),
      this.monitor.overdrawnAccounts(),
      this.monitor.capsExceeded(),
      this.monitor.escrowMismatches(),
      this.monitor.closedEscrowNotZero(),
    ]);
    const problems: MonitorProblem[] = [
      ...base.problems.map((p) => withIds(p, unsealedIds)),
      ...[...overdrawn, ...caps, ...escrow, ...closed].map(({ details, ...v }): MonitorProblem => ({
        ...v,
        ...details,
      })),
    ];
    const invariants = Object.fromEntries(
      MONITORED_INVARIANTS.map((inv) => {
        const violations = problems.filter((p) => p.invariant === inv || p.cause === inv).length;
        return [inv, { ok: violations === 0, violations }];
      }),
    ) as MonitorReport['invariants'];
    return {
      ok: problems.length === 0,
      mode: base.mode,
      fromHeight: base.fromHeight,
      throughHeight: base.throughHeight,
      transfersChecked: base.transfersChecked,
      blocksChecked: base.blocksChecked,
      accountsChecked: base.accountsChecked,
      problems,
      invariants,
    };
  }
}

/**
 * Names the rows behind each of the ledger verifier's problems. A sealed block whose transfers no
 * longer hash to its root breaks INV-2 (a sealed transfer changed) and therefore INV-11 (the block
 * no longer verifies): it is reported under INV-11 with INV-2 as the cause.
 */
function withIds(p: VerificationProblem, unsealedIds: string[]): MonitorProblem {
  if (typeof p.block === 'number') {
    const cause = p.invariant === 'INV-11' ? {} : { cause: p.invariant };
    return { ...p, ...cause, invariant: 'INV-11', ids: [String(p.block)] };
  }
  if (p.code === 'TRANSFERS_NOT_SEALED') return { ...p, ids: unsealedIds };
  if (typeof p.account === 'string') return { ...p, ids: [p.account] };
  return { ...p, ids: [] };
}
