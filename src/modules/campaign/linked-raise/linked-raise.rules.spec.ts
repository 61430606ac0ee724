import { describe, expect, it } from '@jest/globals';
import { CAMPAIGN_STATUSES, type CampaignStatus } from '../campaign.state.js';
import {
  type LinkSide,
  linkRefusal,
  linkedCloseStep,
  linkedSettleStep,
  submitRefusal,
} from './linked-raise.rules.js';

const DEADLINE = new Date('2027-01-01T00:00:00Z');
const side = (over: Partial<LinkSide>): LinkSide => ({
  id: 'e',
  founderId: 'f',
  kind: 'EQUITY',
  fundingModel: 'ALL_OR_NOTHING',
  status: 'DRAFT',
  deadline: DEADLINE,
  ...over,
});
const equity = side({});
const debt = side({ id: 'd', kind: 'DEBT' });

describe('linked raise rules (issue 15, RW-01)', () => {
  it('an EQUITY and a DEBT campaign of one founder, both all-or-nothing, may be linked', () => {
    expect(linkRefusal(equity, debt)).toBeNull();
    expect(submitRefusal(equity, debt)).toBeNull();
  });

  it.each<[string, LinkSide, LinkSide, string]>([
    ['the same campaign twice', equity, side({ kind: 'DEBT' }), 'SAME_CAMPAIGN'],
    ['two equity campaigns', equity, side({ id: 'd' }), 'NOT_EQUITY_AND_DEBT'],
    ['two debt campaigns', side({ kind: 'DEBT' }), debt, 'NOT_EQUITY_AND_DEBT'],
    ['debt offered as the equity side', debt, equity, 'NOT_EQUITY_AND_DEBT'],
    ['a reward campaign', equity, side({ id: 'd', kind: 'REWARD' }), 'NOT_EQUITY_AND_DEBT'],
    ['a FLEXIBLE equity side', side({ fundingModel: 'FLEXIBLE' }), debt, 'FLEXIBLE'],
    ['a FLEXIBLE debt side', equity, side({ ...debt, fundingModel: 'FLEXIBLE' }), 'FLEXIBLE'],
    ['another founder', equity, side({ ...debt, founderId: 'g' }), 'DIFFERENT_FOUNDER'],
  ])('refused: %s', (_name, e, d, reason) => {
    expect(linkRefusal(e, d)).toBe(reason);
    expect(submitRefusal(e, d)).toBe(reason);
  });

  it('submission needs one deadline for both sides, to the millisecond', () => {
    const later = side({ ...debt, deadline: new Date(DEADLINE.getTime() + 1) });
    expect(linkRefusal(equity, later)).toBeNull(); // a DRAFT's deadline may still change
    expect(submitRefusal(equity, later)).toBe('DEADLINES_DIFFER');
  });

  const NOW = DEADLINE;
  const closeExpected: Record<CampaignStatus, string> = {
    DRAFT: 'FAIL',
    PENDING_REVIEW: 'FAIL',
    REJECTED: 'FAIL',
    LIVE: 'CLOSE_PAIR',
    SUSPENDED: 'WAIT',
    CLOSING: 'CLOSE_ALONE',
    SETTLED: 'FAIL',
    FAILED: 'FAIL',
    REFUNDED: 'FAIL',
    CANCELLED: 'FAIL',
  };
  it.each(CAMPAIGN_STATUSES.map((s) => [s]))('at the deadline, a partner in %s', (status) => {
    expect(linkedCloseStep({ status, deadline: NOW }, NOW)).toBe(closeExpected[status]);
  });

  it('a LIVE partner not yet due makes the due side wait', () => {
    expect(linkedCloseStep({ status: 'LIVE', deadline: new Date(NOW.getTime() + 1) }, NOW)).toBe(
      'WAIT',
    );
  });

  const settleExpected: Record<CampaignStatus, string> = {
    DRAFT: 'FAIL',
    PENDING_REVIEW: 'FAIL',
    REJECTED: 'FAIL',
    LIVE: 'WAIT',
    SUSPENDED: 'WAIT',
    CLOSING: 'DECIDE_PAIR',
    SETTLED: 'FAIL',
    FAILED: 'FAIL',
    REFUNDED: 'FAIL',
    CANCELLED: 'FAIL',
  };
  it.each(CAMPAIGN_STATUSES.map((s) => [s]))('closing, a partner in %s', (status) => {
    expect(linkedSettleStep({ status })).toBe(settleExpected[status]);
  });
});
