import type { ErrorCodeEntry } from './error-catalogue.js';

/**
 * The error codes of a campaign's page and of what happens after the money moves (issues 14 and
 * 16): pages and questions, loans, reward delivery and charity. Part of ERROR_CODES
 * (error-catalogue.ts), kept apart by area.
 */
export const CAMPAIGN_LIFE_ERROR_CODES = {
  // ------------------------------------------------------------------ campaign pages (issue 16)
  'MEDIA.UNSUPPORTED_TYPE': {
    status: 415,
    meaning: 'The bytes are not a PNG, JPEG, GIF or WebP image (`details.detected`).',
  },
  'MEDIA.TYPE_MISMATCH': {
    status: 415,
    meaning:
      'A disguised file: the declared type or the file name says one type, the bytes another.',
  },
  'MEDIA.TOO_LARGE': { status: 413, meaning: 'The upload is over MEDIA_MAX_BYTES.' },
  'MEDIA.TOO_MANY_PIXELS': {
    status: 422,
    meaning:
      'The image declares more pixels than MEDIA_MAX_PIXELS (a decompression bomb is refused unread).',
  },
  'MEDIA.POLYGLOT': {
    status: 422,
    meaning:
      'Something follows the image or rides inside it (a zip, HTML, script): upload the image alone.',
  },
  'MEDIA.CORRUPT': { status: 422, meaning: 'The image header cannot be read.' },
  'CAMPAIGN.UNKNOWN_MEDIA': {
    status: 422,
    meaning: 'A cover or gallery entry names no uploaded image (`details.sha256`).',
  },
  'QUESTION.BACKERS_ONLY': {
    status: 403,
    meaning: 'Only a backer of the campaign (a live or settled pledge) may ask a question.',
  },
  'QUESTION.ALREADY_ANSWERED': {
    status: 409,
    meaning: 'The question has its answer; answers are public and not rewritten.',
  },

  // ------------------------------------------------------------------ lending (issue 14)
  'LENDING.BORROWER_CAP_EXCEEDED': {
    status: 422,
    meaning:
      "The loan would take the borrower over a CN-P2P-02 cap; `details` give the borrower's debt with the loan (`wouldOwe`) and the cap, on this platform and across platforms.",
  },
  'LENDING.TERMS_REQUIRED': {
    status: 422,
    meaning: 'A debt campaign needs loan terms before it is submitted.',
  },
  'LENDING.TERMS_INVALID': { status: 422, meaning: 'A loan term is out of the allowed range.' },
  'LENDING.RATE_ABOVE_CAP': {
    status: 422,
    meaning: "The interest or penalty rate is above the rule pack's cap (CN-P2P-02).",
  },
  'LENDING.PURPOSE_FORBIDDEN': {
    status: 422,
    meaning: 'The loan purpose is one the rules forbid (CN-P2P-05(11), CN-P2P-06).',
  },
  'LENDING.TERMS_LOCKED': {
    status: 409,
    meaning: 'Loan terms apply to DEBT campaigns and change only while the campaign is a DRAFT.',
  },
  'CUSTODY.LOAN_REQUIRED': {
    status: 422,
    meaning: 'A REPAYMENT notification names the loan it repays (`loanId`).',
  },
  'CUSTODY.UNKNOWN_LOAN': { status: 422, meaning: 'No loan has this id.' },
  'LENDING.NO_CREDIT': {
    status: 422,
    meaning: 'The loan holds no borrower credit to withdraw (it is 0.00).',
  },

  // ------------------------------------------------------------------ line separation (PLAT-07)
  'CAMPAIGN.LINE_NOT_ENABLED': {
    status: 422,
    meaning:
      'This platform is not licensed to run campaigns of this kind (PLATFORM_LINES, PLAT-07; `details.kind`, `details.enabled`).',
  },
  'WALLET.LINE_NOT_ENABLED': {
    status: 422,
    meaning:
      'The wallet line named is not one this platform keeps: the line is not enabled, or the lines are not separated (PLAT-07; `details.line`).',
  },
  'WALLET.SAME_LINE': {
    status: 422,
    meaning: 'A transfer between wallets names two different wallets (`from` differs from `to`).',
  },
  'CUSTODY.DISTRIBUTION_REQUIRED': {
    status: 422,
    meaning: 'A DISTRIBUTION notification names the distribution it funds (`distributionId`).',
  },
  'CUSTODY.UNKNOWN_DISTRIBUTION': {
    status: 422,
    meaning: 'No announced distribution has this id.',
  },
  // ------------------------------------------------------------------ holdings (issue 15)
  'HOLDINGS.TERMS_LOCKED': {
    status: 409,
    meaning:
      'Equity terms apply to EQUITY campaigns and change only while the campaign is a DRAFT.',
  },
  'HOLDINGS.NO_REGISTER': {
    status: 422,
    meaning: 'A distribution goes to holders: the campaign has settled no holdings.',
  },
  'HOLDINGS.DISTRIBUTION_PAID': {
    status: 422,
    meaning: 'The distribution was paid already; a second funding notice is refused.',
  },
  'HOLDINGS.FISCAL_YEAR': {
    status: 422,
    meaning:
      'An ANNUAL report names a fiscal year that has ended; a MATERIAL_EVENT report names none.',
  },
  'HOLDINGS.REPORT_EXISTS': {
    status: 409,
    meaning: 'The annual report of that fiscal year was filed already (reports are append-only).',
  },
  'HOLDINGS.SUPERSEDED': {
    status: 409,
    meaning: 'A later register entry already corrects this holding: correct the current one.',
  },
  'DISCLOSURE.MONTH_NOT_STARTED': {
    status: 422,
    meaning: 'The operating disclosure of a month that has not begun does not exist yet.',
  },

  // ------------------------------------------------------------------ fulfilment (RW-03)
  'FULFILMENT.NOT_A_REWARD_CAMPAIGN': {
    status: 422,
    meaning: 'Deliveries, addresses and late refunds are for reward campaigns only.',
  },
  'FULFILMENT.PLAN_LOCKED': {
    status: 422,
    meaning: 'The delivery plan can change only while the campaign is a draft or was rejected.',
  },
  'FULFILMENT.DELIVERY_MONTH_REQUIRED': {
    status: 422,
    meaning: 'Every reward tier must state its estimated delivery month before submit (RW-03).',
  },
  'FULFILMENT.UNKNOWN_TIER': {
    status: 422,
    meaning: "The delivery plan names a tier that is not this campaign's, or one twice.",
  },
  'FULFILMENT.NOT_A_PHYSICAL_PLEDGE': {
    status: 422,
    meaning:
      'Not a live or settled pledge to a physical reward tier of this campaign (`details.pledgeIds`).',
  },
  'FULFILMENT.ALREADY_SHIPPED': {
    status: 422,
    meaning: 'The reward already shipped, was delivered or refunded (`details.pledgeIds`).',
  },
  'FULFILMENT.NOT_SETTLED': {
    status: 422,
    meaning: 'Shipments and late-delivery refunds are for settled campaigns and pledges.',
  },
  'FULFILMENT.NOT_SHIPPED': {
    status: 422,
    meaning: 'No shipment is recorded for this pledge yet.',
  },
  'FULFILMENT.NOT_LATE': {
    status: 422,
    meaning:
      'The reward is not late: shipped in time, delivered, or its month has not ended (RW-03).',
  },

  // ------------------------------------------------------------------ charity (PLAT-08)
  'CHARITY.NOT_A_DONATION_CAMPAIGN': {
    status: 422,
    meaning: 'Fund-use plans, receipts and reports are for donation campaigns only.',
  },
  'CHARITY.PLAN_LOCKED': {
    status: 422,
    meaning:
      'The charity and fund-use plan can change only while the campaign is a draft or was rejected.',
  },
  'CHARITY.NOT_REGISTERED': {
    status: 422,
    meaning:
      "The USCC is not the campaign's qualified charity: the founder organisation an ADMIN qualified, verified under this USCC (PLAT-08).",
  },
  'CHARITY.PLAN_REQUIRED': {
    status: 422,
    meaning:
      'A donation campaign names its registered charity and a fund-use plan before submit (PLAT-08).',
  },
  'CHARITY.PLAN_TOO_SMALL': {
    status: 422,
    meaning: 'The fund-use plan must account for at least the target amount (`details.target`).',
  },
  'CHARITY.NOT_SETTLED': {
    status: 422,
    meaning: 'Fund-use reports are filed for a settled donation campaign.',
  },
  'CHARITY.UNKNOWN_PURPOSE': {
    status: 422,
    meaning: 'A report names a purpose that is not in the fund-use plan (`details.purposes`).',
  },
  'CHARITY.SPENT_EXCEEDS_RAISED': {
    status: 422,
    meaning:
      'The reports would account for more than was raised (`details.raised`, `details.spent`).',
  },

  // ------------------------------------------------------------------ lead investors (issue 15)
  'CLASSIFICATION.NOT_AN_ORGANIZATION': {
    status: 422,
    meaning: 'Only an organisation investor (a fund) can be flagged institutional (CN-PF-02).',
  },
  'CAMPAIGN.LEAD_REQUIRED': {
    status: 422,
    meaning:
      'Followers may pledge once the lead investor has committed `details.required` and published the due-diligence memo (领投 + 跟投); `details` names what is missing.',
  },
  'CAMPAIGN.LEAD_NOT_ELIGIBLE': {
    status: 422,
    meaning:
      'A lead investor is a qualified or professional investor, or an organisation an ADMIN flagged institutional.',
  },
  'CAMPAIGN.LEAD_LOCKED': {
    status: 422,
    meaning: 'A lead is named for an EQUITY campaign while it is a draft.',
  },
  'CAMPAIGN.NOT_THE_LEAD': {
    status: 403,
    meaning: "Only the campaign's lead investor may do this.",
  },
  'CAMPAIGN.LEAD_WITHDRAWN': {
    status: 422,
    meaning: 'The lead investor has withdrawn from this campaign.',
  },
} as const satisfies Record<string, ErrorCodeEntry>;
