import { Injectable } from '@nestjs/common';
import { CustodyMovementsRepository } from './custody-movements.repository.js';
import type { CustodySnapshot } from './ledger.types.js';

/**
 * The ledger's side of a reconciliation with the custodian's statement, for the finance office
 * (DESIGN §2: finance reads the ledger through the ledger's views or query services). Read-only.
 */
@Injectable()
export class CustodyMovementsService {
  constructor(private readonly movements: CustodyMovementsRepository) {}

  /**
   * Custody movements with start <= createdAt < end, those carrying one of `bankReferences`
   * whatever their date, and custody cash's posted balance before `end`, from one snapshot.
   */
  snapshot(start: Date, end: Date, bankReferences: readonly string[]): Promise<CustodySnapshot> {
    return this.movements.snapshot(start, end, bankReferences);
  }
}
