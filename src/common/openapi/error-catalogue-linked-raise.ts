import type { ErrorCodeEntry } from './error-catalogue.js';

/**
 * The error codes of linked raises (issue 15, 投贷联动: one equity and one debt campaign that
 * succeed or fail together). Part of ERROR_CODES (error-catalogue.ts), kept apart by area.
 */
export const LINKED_RAISE_ERROR_CODES = {
  'CAMPAIGN.LINK_NOT_ALLOWED': {
    status: 422,
    meaning:
      'These two campaigns cannot be a linked raise (`details.reason`: SAME_CAMPAIGN, NOT_EQUITY_AND_DEBT, FLEXIBLE or DIFFERENT_FOUNDER): one EQUITY and one DEBT campaign of the same founder, both ALL_OR_NOTHING.',
  },
  'CAMPAIGN.ALREADY_LINKED': {
    status: 409,
    meaning: 'A campaign is in one linked raise at most (`details.campaignId` is linked already).',
  },
  'CAMPAIGN.LINKED_DEADLINES_DIFFER': {
    status: 422,
    meaning:
      'A linked campaign goes to review only with the same deadline as its partner (`details.partnerId`, `details.partnerDeadline`): the pair is decided together.',
  },
} as const satisfies Record<string, ErrorCodeEntry>;
