import { Injectable } from '@nestjs/common';
import { Money } from '../../common/money/money.js';
import type { CommitmentsReader } from '../investor-classification/commitments.port.js';
import { PledgeRepository } from './pledge.repository.js';

/** Fills investor-classification's COMMITMENTS port from the pledges table (INV-9 inputs). */
@Injectable()
export class PledgeCommitmentsReader implements CommitmentsReader {
  constructor(private readonly pledges: PledgeRepository) {}

  async committedSince(userId: string, since: Date, currency: string): Promise<Money> {
    return Money.fromDecimalString(await this.pledges.committedSince(userId, since), currency);
  }
}
