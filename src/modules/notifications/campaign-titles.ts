import { Injectable } from '@nestjs/common';
import type { NoticeParams } from '../../common/notices/notices.port.js';
import { CampaignQueries } from '../campaign/index.js';

/**
 * Notices about a campaign name it by title. Callers may pass `campaignTitle`; when they only
 * give `campaignId`, the title is looked up when the notice is shown or sent.
 */
@Injectable()
export class CampaignTitles {
  constructor(private readonly campaigns: CampaignQueries) {}

  async fill<T extends { params: NoticeParams; campaignId: string | null }>(
    rows: T[],
  ): Promise<T[]> {
    const missing = [
      ...new Set(
        rows
          .filter((r) => r.campaignId !== null && typeof r.params.campaignTitle !== 'string')
          .map((r) => r.campaignId as string),
      ),
    ];
    if (missing.length === 0) return rows;
    const titles = new Map<string, string>();
    for (const id of missing) {
      const campaign = await this.campaigns.find(id);
      if (campaign) titles.set(id, campaign.title);
    }
    return rows.map((row) => {
      const title = row.campaignId === null ? undefined : titles.get(row.campaignId);
      return title === undefined || typeof row.params.campaignTitle === 'string'
        ? row
        : { ...row, params: { ...row.params, campaignTitle: title } };
    });
  }
}
