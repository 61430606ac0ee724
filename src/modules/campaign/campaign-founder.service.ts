import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../../common/errors/domain-error.js';
import { type CreditRecordView, CreditService } from '../credit/index.js';
import { type IdKind, UserDirectory, type UserKind } from '../identity/index.js';
import { CampaignRepository } from './campaign.repository.js';

/** What the campaign review card shows of the founder (issue 17, PLAT-01, PLAT-03). */
export interface FounderStanding {
  campaignId: string;
  founderId: string;
  accountKind: UserKind;
  emailVerified: boolean;
  /** PLAT-01. The masked name only: no ID number or USCC, not even masked. */
  realName: {
    verified: boolean;
    idKind: IdKind | null;
    verifiedAt: string | null;
    nameMasked: string | null;
  };
  /** PLAT-03: the founder's credit records, counted. */
  credit: { total: number; inForce: number; blockingInForce: number };
}

/** Most credit records read for the counts: far above what one person collects. */
const CREDIT_RECORDS_READ = 1000;

/**
 * ADMIN's view of a campaign's founder while reviewing it: the real-name verification through
 * identity's public port (UserDirectory), e-mail verified, and the credit records in force.
 */
@Injectable()
export class CampaignFounderStanding {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly users: UserDirectory,
    private readonly credit: CreditService,
  ) {}

  async standing(campaignId: string): Promise<FounderStanding> {
    const campaign = await this.campaigns.find(campaignId);
    if (!campaign) throw new NotFoundError('Campaign');
    const founderId = campaign.founderId;
    const [user, realName, records] = await Promise.all([
      this.users.findUserById(founderId),
      this.users.realNameForReview(founderId),
      this.creditRecordsOf(founderId),
    ]);
    if (!user) throw new NotFoundError('Campaign');
    const inForce = records.filter((r) => r.active);
    return {
      campaignId,
      founderId,
      accountKind: user.kind,
      emailVerified: user.emailVerified,
      realName: {
        verified: realName !== null,
        idKind: realName?.idKind ?? null,
        verifiedAt: realName?.verifiedAt.toISOString() ?? null,
        nameMasked: realName?.nameMasked ?? null,
      },
      credit: {
        total: records.length,
        inForce: inForce.length,
        blockingInForce: inForce.filter((r) => r.severity === 'BLOCKING').length,
      },
    };
  }

  /** The founder's credit records, page by page (the cursor list, issue 16), up to a bound. */
  private async creditRecordsOf(userId: string): Promise<CreditRecordView[]> {
    const records: CreditRecordView[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.credit.list({ userId }, { cursor, limit: 200 });
      records.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && records.length < CREDIT_RECORDS_READ);
    return records;
  }
}
