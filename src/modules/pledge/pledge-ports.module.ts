import { Module } from '@nestjs/common';
import { PledgeCommitmentsReader } from './pledge-commitments.reader.js';
import { PledgeRepository } from './pledge.repository.js';
import { PledgeTotalsRepository } from './pledge-totals.repository.js';

/**
 * The pledge module's answers to ports lower modules define (COMMITMENTS for classification,
 * CAMPAIGN_BACKERS for campaign), in a module of their own that imports nothing else, so the
 * composition root can wire them without a dependency cycle and without seeing the repository.
 */
@Module({
  providers: [PledgeRepository, PledgeTotalsRepository, PledgeCommitmentsReader],
  exports: [PledgeCommitmentsReader],
})
export class PledgePortsModule {}
