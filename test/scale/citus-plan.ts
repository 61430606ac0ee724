/**
 * The plan for going past one primary (issue 19, docs/operations.md "Past one primary"): Citus,
 * with the campaign as the unit of distribution. Every table of the schema is in exactly one
 * class, and every constraint Citus could not enforce as it stands is listed with what has to
 * change. test/scale/citus-plan.spec.ts holds the migrated schema against this file, so a new
 * table or constraint that does not fit fails the test until the plan (and the doc) say what
 * happens to it.
 *
 * - DISTRIBUTED: hash-distributed by `campaign_id` (`campaigns` by `id`), all co-located, so one
 *   campaign's campaign row, tiers, pledges, payout and history live on one worker and a pledge
 *   transaction stays on it.
 * - REFERENCE: small or read-mostly tables copied to every worker (joins from any shard).
 * - LOCAL: kept on the coordinator as plain tables: the ledger (one hash chain sealed below one
 *   commit horizon, DESIGN §5, INV-11: it cannot be split without changing what a seal means),
 *   and the per-user and outbox tables, whose traffic is small beside the pledges.
 */
export type TableClass = 'DISTRIBUTED' | 'REFERENCE' | 'LOCAL';

export const DISTRIBUTION_COLUMN = 'campaign_id';

export const TABLES: Record<string, TableClass> = {
  // one campaign's rows, co-located
  campaigns: 'DISTRIBUTED',
  reward_tiers: 'DISTRIBUTED',
  campaign_transitions: 'DISTRIBUTED',
  campaign_updates: 'DISTRIBUTED',
  material_change_applications: 'DISTRIBUTED',
  pledges: 'DISTRIBUTED',
  pledge_evidence: 'DISTRIBUTED',
  confirmation_calls: 'DISTRIBUTED',
  special_warnings: 'DISTRIBUTED',
  payouts: 'DISTRIBUTED',
  // a campaign's lead investor (issue 15): read on every follower's pledge, beside the campaign
  campaign_leads: 'DISTRIBUTED',
  // copied to every worker
  users: 'REFERENCE',
  risk_questionnaires: 'REFERENCE',
  disclosure_documents: 'REFERENCE',
  disclosure_versions: 'REFERENCE',
  // the ledger and its neighbours, on the coordinator
  ledger_accounts: 'LOCAL',
  ledger_transfers: 'LOCAL',
  ledger_blocks: 'LOCAL',
  custody_notifications: 'LOCAL',
  reconciliations: 'LOCAL',
  reconciliation_lines: 'LOCAL',
  idempotency_records: 'LOCAL',
  audit_events: 'LOCAL',
  // per user, on the coordinator
  real_name_identities: 'LOCAL',
  investor_profiles: 'LOCAL',
  investor_financials: 'LOCAL',
  investor_assessments: 'LOCAL',
  classification_applications: 'LOCAL',
  credit_records: 'LOCAL',
  charity_qualifications: 'LOCAL',
  disclosure_acknowledgements: 'LOCAL',
  auth_sessions: 'LOCAL',
  auth_refresh_tokens: 'LOCAL',
  account_tokens: 'LOCAL',
  user_totp: 'LOCAL',
  user_recovery_codes: 'LOCAL',
  // the outbox
  notifications: 'LOCAL',
  webhook_endpoints: 'LOCAL',
  webhook_deliveries: 'LOCAL',
  // a campaign's page and its questions (issue 16), co-located with the campaign
  campaign_content: 'DISTRIBUTED',
  campaign_questions: 'DISTRIBUTED',
  // uploaded images, content-addressed and shared by any campaign that names them
  media: 'REFERENCE',
  // after the money moves (issues 14, 16): one loan, schedule, shipment or receipt per campaign or
  // pledge, written by sweeps and founders at a pace far below pledging: on the coordinator, beside
  // the ledger they post to (a repayment and its ledger batch stay in one local transaction)
  loan_terms: 'LOCAL',
  borrower_cap_decisions: 'LOCAL',
  loans: 'LOCAL',
  loan_claims: 'LOCAL',
  loan_instalments: 'LOCAL',
  loan_instalment_shares: 'LOCAL',
  loan_repayments: 'LOCAL',
  operating_disclosures: 'LOCAL',
  reward_tier_deliveries: 'LOCAL',
  shipping_addresses: 'LOCAL',
  shipments: 'LOCAL',
  reward_holdbacks: 'LOCAL',
  late_delivery_refunds: 'LOCAL',
  donation_plans: 'LOCAL',
  donation_settlements: 'LOCAL',
  donation_receipt_counters: 'LOCAL',
  donation_receipts: 'LOCAL',
  fund_use_reports: 'LOCAL',
  // the equity register (issue 15): post-settlement, with the other hand-over tables
  equity_terms: 'LOCAL',
  holding_certificate_counters: 'LOCAL',
  holdings: 'LOCAL',
  distributions: 'LOCAL',
  distribution_payments: 'LOCAL',
  issuer_reports: 'LOCAL',
  issuer_report_overdue: 'LOCAL',
  // ADMIN's institutional-investor decisions (issue 15): per user, few
  institutional_investor_flags: 'LOCAL',
  // the ledger's checkpoints and verification runs (issue 18) go with the ledger
  ledger_block_checkpoints: 'LOCAL',
  ledger_account_checkpoints: 'LOCAL',
  ledger_verifications: 'LOCAL',
  // verification jobs' progress (issue 17): a few rows a day, beside the ledger they verify
  verification_jobs: 'LOCAL',
  // linked raises (issue 15): a few rows, read by the sweeps for campaigns on any worker
  campaign_links: 'REFERENCE',
  // bookkeeping
  schema_migrations: 'LOCAL',
  zc_append_only_tables: 'LOCAL',
};

/** Classified above, not in this branch's schema yet (the least-privilege work, branch trustdb). */
export const ARRIVING_TABLES = ['zc_append_only_tables'];

/** Distributed tables that have no `campaign_id` yet: the column is added (and back-filled). */
export const ADD_DISTRIBUTION_COLUMN: Record<string, string> = {
  confirmation_calls: 'add campaign_id (from the pledge), NOT NULL',
  pledge_evidence: 'add campaign_id (from the pledge), NOT NULL',
};

/**
 * Constraints (by name) Citus cannot keep as they are, and what replaces each one. A unique key of
 * a distributed table must contain `campaign_id`; a foreign key may not point from a distributed
 * table to a local one, nor from a local or reference table to a distributed one.
 */
const POST_SETTLEMENT_FK =
  'dropped: a local post-settlement row names a distributed campaign, tier or pledge; checked by the code that writes it';

export const CONSTRAINT_CHANGES: Record<string, string> = {
  // primary keys by a random uuid: widened to (campaign_id, id); the uuid stays unique in practice
  reward_tiers_pkey: 'PRIMARY KEY (campaign_id, id)',
  campaign_transitions_pkey: 'PRIMARY KEY (campaign_id, id)',
  campaign_updates_pkey: 'PRIMARY KEY (campaign_id, id)',
  pledges_pkey: 'PRIMARY KEY (campaign_id, id); routes address a pledge by campaign too',
  confirmation_calls_pkey: 'PRIMARY KEY (campaign_id, id)',
  pledge_evidence_pkey: 'PRIMARY KEY (campaign_id, pledge_id)',
  special_warnings_pkey: 'PRIMARY KEY (campaign_id, id)',
  payouts_pkey: 'PRIMARY KEY (campaign_id, id)',
  campaign_questions_pkey: 'PRIMARY KEY (campaign_id, id); routes address a question by campaign',
  pledges_hold_transfer_id_key:
    'UNIQUE (campaign_id, hold_transfer_id); the ledger keeps the hold unique (pending_id)',
  // foreign keys inside the campaign group gain the campaign column
  pledges_reward_tier_id_fkey: 'FOREIGN KEY (campaign_id, reward_tier_id) REFERENCES reward_tiers',
  confirmation_calls_pledge_id_fkey: 'FOREIGN KEY (campaign_id, pledge_id) REFERENCES pledges',
  pledge_evidence_pledge_id_fkey: 'FOREIGN KEY (campaign_id, pledge_id) REFERENCES pledges',
  // distributed -> local (the ledger): dropped, checked by ledger:verify and the bank checks
  pledges_hold_transfer_id_fkey: 'dropped: a pledge and its hold live on different nodes',
  // local or reference -> distributed: dropped, checked by the application (the same
  // transaction writes both rows)
  notifications_campaign_id_fkey: 'dropped: notices stay on the coordinator',
  disclosure_documents_campaign_id_fkey:
    'dropped: the documents are a reference table (platform and campaign scope in one table)',
  // the post-settlement tables (local) -> campaigns, tiers and pledges (distributed): dropped; each
  // row is written by the handover or route that read the campaign or pledge it names
  donation_plans_campaign_id_fkey: POST_SETTLEMENT_FK,
  donation_receipts_campaign_id_fkey: POST_SETTLEMENT_FK,
  donation_receipts_pledge_id_fkey: POST_SETTLEMENT_FK,
  donation_settlements_campaign_id_fkey: POST_SETTLEMENT_FK,
  equity_terms_campaign_id_fkey: POST_SETTLEMENT_FK,
  holding_certificate_counters_campaign_id_fkey: POST_SETTLEMENT_FK,
  holdings_campaign_id_fkey: POST_SETTLEMENT_FK,
  late_delivery_refunds_campaign_id_fkey: POST_SETTLEMENT_FK,
  late_delivery_refunds_pledge_id_fkey: POST_SETTLEMENT_FK,
  loan_terms_campaign_fkey: POST_SETTLEMENT_FK,
  reward_holdbacks_campaign_id_fkey: POST_SETTLEMENT_FK,
  reward_tier_deliveries_campaign_id_fkey: POST_SETTLEMENT_FK,
  reward_tier_deliveries_tier_id_fkey: POST_SETTLEMENT_FK,
  shipments_campaign_id_fkey: POST_SETTLEMENT_FK,
  shipments_pledge_id_fkey: POST_SETTLEMENT_FK,
  shipping_addresses_campaign_id_fkey: POST_SETTLEMENT_FK,
  shipping_addresses_pledge_id_fkey: POST_SETTLEMENT_FK,
  // a linked raise (reference) names two campaigns that may live on two workers: dropped, checked
  // by the service that links them (both rows locked); deciding the pair is one two-phase commit
  campaign_links_equity_campaign_id_fkey:
    'dropped: a reference row names two distributed campaigns',
  campaign_links_debt_campaign_id_fkey: 'dropped: a reference row names two distributed campaigns',
};

/**
 * Listed above but not in this branch's schema yet: the foreign key the least-privilege work of
 * issue 19 adds (branch trustdb). Once merged, the entry is checked like the others.
 */
export const ARRIVING_CONSTRAINTS = ['pledges_hold_transfer_id_fkey'];

/**
 * SQL that locks rows of distributed tables across campaigns (FOR UPDATE without a campaign):
 * Citus runs SELECT ... FOR UPDATE only within one shard. Each becomes a loop over the campaigns
 * that have due rows (a cheap read first), then the same statement per campaign. Keyed by file,
 * with how many such statements it holds; the spec finds them in src/ and compares.
 */
export const QUERIES_TO_CHANGE: Record<string, number> = {
  // the cooling-off end (CN-PF-06), the due confirmation calls (CN-PF-07) and the missed
  // reconfirmations (CN-SUIT-14): each sweeps due pledges of every campaign in one statement
  'src/modules/pledge/pledge.repository.ts': 3,
};
