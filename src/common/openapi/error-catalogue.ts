/**
 * Every error code the API answers with (DESIGN §7), its status and what it means to a client.
 * The OpenAPI document lists, per operation and status, the codes the operation can carry
 * (`@ApiErrors` plus the ones its shape implies, see openapi-document.ts); this catalogue is where
 * their status and meaning come from, so a code reads the same on every route. A code thrown
 * anywhere in src/ but missing here fails test/openapi-contract.e2e.spec.ts.
 */
import { CAMPAIGN_LIFE_ERROR_CODES } from './error-catalogue-campaign-life.js';
import { LINKED_RAISE_ERROR_CODES } from './error-catalogue-linked-raise.js';

export interface ErrorCodeEntry {
  status: 400 | 401 | 403 | 404 | 409 | 413 | 414 | 415 | 422 | 429 | 503;
  meaning: string;
}

export const ERROR_CODES = {
  // ------------------------------------------------------------------ framework and common
  VALIDATION_FAILED: {
    status: 400,
    meaning:
      'The request is not valid: a field, header, path or query value fails validation (`details.fields` names each), or the body is not valid JSON, or the URL is malformed.',
  },
  'AUTH.UNAUTHENTICATED': {
    status: 401,
    meaning: 'No valid bearer token (missing, malformed, tampered or expired), or wrong login.',
  },
  'AUTH.TOKEN_EXPIRED': {
    status: 401,
    meaning: 'The bearer token has expired: log in again.',
  },
  'AUTH.FORBIDDEN': {
    status: 403,
    meaning: "The caller's role may not call this route (`details.allowedRoles`).",
  },
  NOT_FOUND: {
    status: 404,
    meaning:
      'The resource does not exist, or is not visible to the caller (another user’s resource is reported as not found, never as forbidden).',
  },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'The request body is larger than the limit.' },
  URI_TOO_LONG: { status: 414, meaning: 'A path parameter is longer than the router accepts.' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    meaning: 'The body’s content type is not one this route accepts (send application/json).',
  },
  RATE_LIMITED: {
    status: 429,
    meaning: 'Too many attempts: wait `Retry-After` seconds (`details.retryAfterSeconds`).',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    meaning: 'A dependency the service needs (the database) does not answer.',
  },
  'IDEMPOTENCY.KEY_REUSED': {
    status: 409,
    meaning: 'This Idempotency-Key was already used for a different request (DESIGN §4).',
  },

  'AUTH.SECOND_FACTOR_REQUIRED': {
    status: 403,
    meaning:
      'A staff session without a TOTP second factor: enrol (POST /me/totp/enrol) and sign in again (issue 13).',
  },
  'AUTH.STEP_UP_REQUIRED': {
    status: 403,
    meaning:
      'This action needs a current TOTP code in X-TOTP-Code, or a token issued just after a TOTP check (`details.reason`).',
  },

  // ------------------------------------------------------------------ identity and accounts
  'AUTH.EMAIL_TAKEN': { status: 409, meaning: 'An account with this e-mail already exists.' },
  'AUTH.REFRESH_TOKEN_INVALID': {
    status: 401,
    meaning: 'The refresh token is unknown, expired or revoked: sign in again.',
  },
  'AUTH.REFRESH_TOKEN_REUSED': {
    status: 401,
    meaning: 'The refresh token was already used: its whole session was ended for safety.',
  },
  'AUTH.CHALLENGE_INVALID': {
    status: 401,
    meaning: 'The sign-in challenge is unknown or expired: sign in with the password again.',
  },
  'AUTH.INVALID_SECOND_FACTOR': {
    status: 401,
    meaning: 'The TOTP or recovery code is wrong, expired or already used.',
  },
  'AUTH.INVALID_TOTP_CODE': {
    status: 422,
    meaning: 'The code does not match the secret being enrolled.',
  },
  'AUTH.TOTP_ALREADY_ENROLLED': {
    status: 409,
    meaning: 'A TOTP second factor is already active on this account.',
  },
  'AUTH.TOTP_NOT_ENROLLED': {
    status: 409,
    meaning: 'No enrolment is in progress: start one with POST /me/totp/enrol.',
  },
  'AUTH.WRONG_PASSWORD': { status: 403, meaning: 'The current password given is wrong.' },
  'AUTH.RESET_TOKEN_INVALID': {
    status: 422,
    meaning: 'The password reset token is invalid, used or expired (`details.reason`).',
  },
  'AUTH.VERIFICATION_TOKEN_INVALID': {
    status: 422,
    meaning: 'The e-mail verification token is invalid, used or expired (`details.reason`).',
  },
  'AUTH.EMAIL_ALREADY_VERIFIED': {
    status: 409,
    meaning: 'This e-mail address is already verified.',
  },
  'IDENTITY.EMAIL_NOT_VERIFIED': {
    status: 403,
    meaning: 'Verify the e-mail address first (issue 13: before pledging or submitting).',
  },
  'IDENTITY.REAL_NAME_REQUIRED': {
    status: 403,
    meaning: 'Real-name verification is required first (PLAT-01, CN-ECF-02).',
  },
  'IDENTITY.INVALID_ID_NUMBER': {
    status: 422,
    meaning: 'The resident ID number fails the GB 11643 checks (ID-RIC-01..04).',
  },
  'IDENTITY.INVALID_USCC': {
    status: 422,
    meaning: 'The unified social credit code fails the GB 32100 checks (ID-USCC-01..03).',
  },
  'IDENTITY.UNDERAGE': { status: 422, meaning: 'The person is under 18 (PLAT-02).' },
  'IDENTITY.ID_NUMBER_IN_USE': {
    status: 409,
    meaning: 'This identity number is already verified on another account.',
  },
  'IDENTITY.ALREADY_VERIFIED': {
    status: 409,
    meaning: 'This account has already completed real-name verification.',
  },

  // ------------------------------------------------------------------ credit
  'CREDIT.MARKET_ACCESS_DENIED': {
    status: 403,
    meaning: 'A BLOCKING credit record in force denies this user market access (PLAT-03).',
  },
  'CREDIT.ALREADY_LIFTED': { status: 409, meaning: 'The credit record was already lifted.' },

  // ------------------------------------------------------------------ escrow ledger and custody
  'LEDGER.INSUFFICIENT_FUNDS': {
    status: 422,
    meaning: 'The account does not have enough available funds.',
  },
  'LEDGER.NOT_PENDING': { status: 422, meaning: 'The transfer is not a pending hold.' },
  'LEDGER.CURRENCY_MISMATCH': {
    status: 422,
    meaning: 'Both accounts and the amount must be in the same currency.',
  },
  'LEDGER.ALREADY_RESOLVED': {
    status: 409,
    meaning: 'The hold has already been posted or voided (INV-6).',
  },
  'CUSTODY.BAD_SIGNATURE': {
    status: 401,
    meaning: 'The X-Custody-Signature header is missing or does not match the raw body.',
  },
  'CUSTODY.CURRENCY_MISMATCH': {
    status: 422,
    meaning: 'The notice is in a currency the platform does not hold.',
  },
  'CUSTODY.USER_REQUIRED': { status: 422, meaning: 'A DEPOSIT notice must name the user.' },
  'CUSTODY.UNKNOWN_USER': { status: 422, meaning: 'No investor or founder has this id.' },
  'CUSTODY.TRANSFER_REQUIRED': {
    status: 422,
    meaning: 'A settlement notice must name the held transfer.',
  },
  'CUSTODY.MISMATCH': {
    status: 422,
    meaning: 'The notice does not match a held transfer of that kind and amount.',
  },

  // ------------------------------------------------------------------ finance office
  'FINANCE.AS_OF_IN_FUTURE': { status: 400, meaning: '`asOf` is later than now.' },
  'FINANCE.INVALID_CURSOR': {
    status: 400,
    meaning: 'The cursor was not issued for this statement (account and range).',
  },
  'FINANCE.INVALID_RANGE': { status: 400, meaning: '`from` is not earlier than `to`.' },
  'FINANCE.VERIFICATION_RUNNING': {
    status: 409,
    meaning: 'A ledger verification is already running; `details.id` is its id.',
  },
  'RECONCILIATION.MALFORMED_STATEMENT': {
    status: 400,
    meaning:
      'The statement cannot be read (not UTF-8, bad CSV or JSON, wrong header); `details.line` names the line.',
  },
  'RECONCILIATION.INVALID_LINE': {
    status: 400,
    meaning: 'Statement lines have bad fields or fall outside the period (`details.problems`).',
  },
  'RECONCILIATION.DUPLICATE_REFERENCE': {
    status: 400,
    meaning: 'The same bankReference appears on more than one statement line.',
  },
  'RECONCILIATION.INVALID_PERIOD': {
    status: 400,
    meaning: 'The statement period ends before it starts.',
  },
  'RECONCILIATION.UNSUPPORTED_FORMAT': {
    status: 415,
    meaning: 'Send the statement as text/csv or application/x-ndjson.',
  },

  // ------------------------------------------------------------------ investor classification
  'CLASSIFICATION.QUESTIONNAIRE_VERSION_MISMATCH': {
    status: 409,
    meaning: 'The answers are for a questionnaire version that is not the current one.',
  },
  'CLASSIFICATION.ASSESSMENT_REQUIRED': {
    status: 422,
    meaning: 'Complete the risk questionnaire first (PLAT-09).',
  },
  'CLASSIFICATION.ASSESSMENT_EXPIRED': {
    status: 422,
    meaning: 'The risk assessment has expired: take the questionnaire again (CN-SUIT-18).',
  },
  'CLASSIFICATION.NOT_QUALIFIED': {
    status: 403,
    meaning: 'Only qualified investors may do this (CN-ECF-03).',
  },
  'CLASSIFICATION.APPLICATION_PENDING': {
    status: 409,
    meaning: 'An application of this type is already waiting for a decision.',
  },
  'CLASSIFICATION.APPLICATION_DECIDED': {
    status: 409,
    meaning: 'The application was already decided.',
  },
  'CLASSIFICATION.FINANCIALS_REQUIRED': {
    status: 422,
    meaning: 'The investor has not declared their financial figures.',
  },
  'CLASSIFICATION.THRESHOLDS_NOT_MET': {
    status: 422,
    meaning: 'The declared figures do not meet the thresholds for this status.',
  },
  'CLASSIFICATION.NOT_PROFESSIONAL': {
    status: 409,
    meaning: 'Only a professional investor can opt down (CN-SUIT-03).',
  },

  // ------------------------------------------------------------------ risk disclosure
  'DISCLOSURE.STALE_VERSION': {
    status: 409,
    meaning:
      'Not the current version of the document (or a stale special-warning hash): read the current one (`details.currentVersion`, `details.currentSha256`).',
  },
  'DISCLOSURE.ACKNOWLEDGEMENT_REQUIRED': {
    status: 422,
    meaning:
      'Read and acknowledge the current risk disclosures first (CN-ECF-10, CN-SUIT-15); `details.missing` names them.',
  },
  'DISCLOSURE.SPECIAL_WARNING_NOT_APPLICABLE': {
    status: 422,
    meaning: 'A special warning applies only to a product above the investor’s risk tolerance.',
  },

  // ------------------------------------------------------------------ campaigns
  'CAMPAIGN.INVALID_STATE': {
    status: 409,
    meaning: 'The campaign’s status does not allow this (`details.from`, `details.to`; DESIGN §6).',
  },
  'CAMPAIGN.FOUNDER_NOT_ELIGIBLE': {
    status: 422,
    meaning:
      'This founder may not raise this kind of campaign (CN-ECF-06 organisations for equity, PLAT-08 charities for donations).',
  },
  'CAMPAIGN.PUBLIC_EQUITY_NOT_AUTHORISED': {
    status: 422,
    meaning: 'The rule pack does not allow public equity offerings (CAV-02).',
  },
  'CAMPAIGN.SELF_APPROVAL': { status: 403, meaning: 'Nobody may review their own campaign.' },
  'CAMPAIGN.DEADLINE_PASSED': {
    status: 422,
    meaning: 'The campaign deadline has passed: edit the terms first.',
  },
  'CAMPAIGN.DISCLOSURE_REQUIRED': {
    status: 422,
    meaning: 'Publish the campaign disclosure before submitting (CN-ECF-07).',
  },
  'CAMPAIGN.HAS_PLEDGES': {
    status: 422,
    meaning: 'A founder can cancel only before any pledge: ask an administrator.',
  },
  'CAMPAIGN.NOT_PUBLISHED': {
    status: 422,
    meaning: 'Progress updates are for published campaigns.',
  },
  'CAMPAIGN.NOT_AN_ORGANIZATION': {
    status: 422,
    meaning: 'Only a founder organisation can be a charity (PLAT-08).',
  },
  'CAMPAIGN.NOT_OPEN': { status: 422, meaning: 'The campaign is not taking pledges.' },

  // ------------------------------------------------------------------ pledges
  'SUITABILITY.SPECIAL_WARNING_REQUIRED': {
    status: 422,
    meaning:
      'The product is riskier than the investor’s tolerance: accept the special written warning first (CN-SUIT-11).',
  },
  'SUITABILITY.BLOCKED': {
    status: 422,
    meaning: 'The product is above what the investor’s risk category allows (CN-SUIT-12).',
  },
  'PLEDGE.BELOW_MINIMUM': { status: 422, meaning: 'Below the minimum pledge (`details.minimum`).' },
  'PLEDGE.ABOVE_MAXIMUM': { status: 422, meaning: 'Above the maximum pledge (`details.maximum`).' },
  'PLEDGE.NOT_A_UNIT_MULTIPLE': {
    status: 422,
    meaning: 'Equity is bought in whole units of `details.unitPrice`.',
  },
  'PLEDGE.REWARD_TIER_INVALID': {
    status: 422,
    meaning: "The reward tier is not one of this campaign's.",
  },
  'PLEDGE.HARD_CAP_EXCEEDED': {
    status: 422,
    meaning: 'The pledge would take the campaign past its maximum (INV-7).',
  },
  'PLEDGE.INVESTOR_CAP_REACHED': {
    status: 422,
    meaning: 'The private offering has all the investors it may have (CN-ECF-04, INV-7).',
  },
  'PLEDGE.REWARD_SOLD_OUT': { status: 422, meaning: 'The reward tier is sold out (INV-7).' },
  'PLEDGE.LIMIT_EXCEEDED': {
    status: 422,
    meaning: 'The pledge exceeds the investor’s rolling 12-month limit (INV-9).',
  },
  'PLEDGE.NOT_CANCELLABLE': {
    status: 422,
    meaning: 'The pledge can no longer be cancelled under the rules.',
  },
  'PLEDGE.CALL_TOO_EARLY': {
    status: 422,
    meaning: 'A confirmation call during the cooling-off period is invalid (CN-PF-07).',
  },
  'PLEDGE.NOT_AWAITING_CONFIRMATION': {
    status: 422,
    meaning: 'The pledge is not waiting for a confirmation call.',
  },
  'PLEDGE.NOT_AWAITING_RECONFIRMATION': {
    status: 422,
    meaning: 'The pledge is not waiting for a reconfirmation (or the window has closed).',
  },

  // ------------------------------------------------------------------ notifications
  'WEBHOOK.LIMIT_REACHED': {
    status: 409,
    meaning: 'The founder already has the most webhook endpoints allowed (`details.limit`).',
  },

  // ------------------------------------------------------------------ payouts
  'PAYOUT.NOT_SETTLED': { status: 422, meaning: 'Only a settled campaign can be paid out.' },
  'PAYOUT.NOTHING_TO_PAY': { status: 422, meaning: 'The campaign has no net amount to pay out.' },
  'PAYOUT.ALREADY_REQUESTED': {
    status: 409,
    meaning: 'A payout for this campaign already exists.',
  },
  'PAYOUT.MAKER_CHECKER': {
    status: 403,
    meaning: 'The requester cannot decide their own payout (maker-checker).',
  },
  'PAYOUT.ALREADY_DECIDED': { status: 409, meaning: 'The payout was already decided.' },

  // campaign pages, lending, fulfilment, charity: error-catalogue-campaign-life.ts
  ...CAMPAIGN_LIFE_ERROR_CODES,
  // linked raises (issue 15): error-catalogue-linked-raise.ts
  ...LINKED_RAISE_ERROR_CODES,
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;
export type ErrorStatus = ErrorCodeEntry['status'];

export const statusOf = (code: ErrorCode): ErrorStatus => ERROR_CODES[code].status;
