import type { Money } from '../../common/money/money.js';

/**
 * INV-9's input: what an investor committed in the rolling 12 months, across all campaigns. The
 * pledge module provides the real reader; until it exists the default says nothing is committed.
 */
export interface CommitmentsReader {
  committedSince(userId: string, since: Date, currency: string): Promise<Money>;
}

export const COMMITMENTS = Symbol('COMMITMENTS');
