import { RuleViolationError } from '../../common/errors/domain-error.js';

/** Delivery plans, addresses and late refunds are for reward campaigns only. */
export class NotARewardCampaignError extends RuleViolationError {
  constructor(kind: string) {
    super('FULFILMENT.NOT_A_REWARD_CAMPAIGN', 'Only a reward campaign has deliveries.', { kind });
  }
}

/** The delivery plan is part of the campaign's terms: set while DRAFT or REJECTED. */
export class DeliveryPlanLockedError extends RuleViolationError {
  constructor(status: string) {
    super(
      'FULFILMENT.PLAN_LOCKED',
      'The delivery plan can be changed only while the campaign is a draft (or was rejected).',
      { status },
    );
  }
}

/** RW-03: every reward tier states its estimated delivery month before the campaign is submitted. */
export class DeliveryMonthRequiredError extends RuleViolationError {
  constructor(tierIds: string[]) {
    super(
      'FULFILMENT.DELIVERY_MONTH_REQUIRED',
      'Every reward tier must state its estimated delivery month (RW-03): PUT /campaigns/:id/delivery-plan.',
      { tierIds, rule: 'RW-03' },
    );
  }
}

export class UnknownTierError extends RuleViolationError {
  constructor(tierIds: string[]) {
    super(
      'FULFILMENT.UNKNOWN_TIER',
      "The plan names tiers that are not this campaign's, or misses some.",
      {
        tierIds,
      },
    );
  }
}

/** Addresses and shipments are for pledges to a tier that ships a physical item. */
export class NotAPhysicalPledgeError extends RuleViolationError {
  constructor(pledgeIds: string[]) {
    super(
      'FULFILMENT.NOT_A_PHYSICAL_PLEDGE',
      'The pledge is not a live or settled pledge to a physical reward tier of this campaign.',
      { pledgeIds },
    );
  }
}

export class AlreadyShippedError extends RuleViolationError {
  constructor(pledgeIds: string[]) {
    super(
      'FULFILMENT.ALREADY_SHIPPED',
      'The reward has already shipped, was delivered or refunded: this cannot change now.',
      { pledgeIds },
    );
  }
}

export class CampaignNotSettledError extends RuleViolationError {
  constructor(status: string) {
    super('FULFILMENT.NOT_SETTLED', 'Shipments are recorded for a settled campaign.', { status });
  }
}

export class NotShippedError extends RuleViolationError {
  constructor() {
    super('FULFILMENT.NOT_SHIPPED', 'No shipment is recorded for this pledge yet.');
  }
}

/** RW-03: a refund for late delivery only once the delivery month has passed without shipment. */
export class NotLateError extends RuleViolationError {
  constructor(dueAt: string) {
    super(
      'FULFILMENT.NOT_LATE',
      'The reward is not late: it shipped in time, was delivered, or the delivery month has not ended.',
      { dueAt, rule: 'RW-03' },
    );
  }
}
