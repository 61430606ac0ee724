import { ConflictError, ForbiddenError } from '../../common/errors/domain-error.js';
import type { CreditKind } from './credit.types.js';

/**
 * PLAT-03: the user has a BLOCKING credit record in force. The details name the records (ids and
 * kinds) so an admin can look them up; never the note, which may hold sensitive findings.
 */
export class MarketAccessDeniedError extends ForbiddenError {
  constructor(records: { id: string; kind: CreditKind; effectiveUntil: Date | null }[]) {
    super(
      'A credit record currently denies this user access to the market (PLAT-03).',
      'CREDIT.MARKET_ACCESS_DENIED',
      {
        rule: 'PLAT-03',
        records: records.map((r) => ({
          id: r.id,
          kind: r.kind,
          effectiveUntil: r.effectiveUntil?.toISOString() ?? null,
        })),
      },
    );
  }
}

export class CreditRecordAlreadyLiftedError extends ConflictError {
  constructor(liftedAt: Date) {
    super('CREDIT.ALREADY_LIFTED', 'The credit record was already lifted.', {
      liftedAt: liftedAt.toISOString(),
    });
  }
}
