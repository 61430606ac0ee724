export const CAMPAIGN_SORTS = ['newest', 'ending', 'most-funded', 'progress'] as const;
export type CampaignSort = (typeof CAMPAIGN_SORTS)[number];
