/** Categories a campaign page may name (issue 16); the CHECK in migration 1765500000000 agrees. */
export const CAMPAIGN_CATEGORIES = [
  'TECHNOLOGY',
  'DESIGN',
  'FOOD',
  'CULTURE',
  'AGRICULTURE',
  'HEALTH',
  'EDUCATION',
  'ENVIRONMENT',
  'COMMUNITY',
  'CHARITY',
  'BUSINESS',
  'OTHER',
] as const;
export type CampaignCategory = (typeof CAMPAIGN_CATEGORIES)[number];

/** GB/T 2260 administrative division code of a city or district: six digits, first 1-8. */
export const CITY_CODE = /^[1-8]\d{5}$/;
