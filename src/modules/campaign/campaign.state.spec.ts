import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Money } from '../../common/money/money.js';
import {
  acceptsCancellations,
  acceptsPledges,
  CAMPAIGN_EVENTS,
  CAMPAIGN_STATUSES,
  type CampaignEvent,
  type CampaignStatus,
  canTransition,
  closeOutcome,
  EDITABLE,
  InvalidCampaignStateError,
  PUBLISHED,
  nextCampaignStatus,
  requireCampaignTransition,
  settleOutcome,
} from './campaign.state.js';

/** DESIGN §6, written out by hand: every (status, event) pair not listed here must be refused. */
const LEGAL: [CampaignStatus, CampaignEvent, CampaignStatus][] = [
  ['DRAFT', 'SUBMIT', 'PENDING_REVIEW'],
  ['DRAFT', 'CANCEL', 'CANCELLED'],
  ['PENDING_REVIEW', 'APPROVE', 'LIVE'],
  ['PENDING_REVIEW', 'REJECT', 'REJECTED'],
  ['PENDING_REVIEW', 'CANCEL', 'CANCELLED'],
  ['REJECTED', 'EDIT_AFTER_REJECTION', 'DRAFT'],
  ['LIVE', 'DEADLINE_TARGET_MET', 'CLOSING'],
  ['LIVE', 'DEADLINE_TARGET_MISSED', 'FAILED'],
  ['LIVE', 'CANCEL', 'CANCELLED'],
  ['LIVE', 'SUSPEND', 'SUSPENDED'],
  ['SUSPENDED', 'RESUME', 'LIVE'],
  ['SUSPENDED', 'CANCEL', 'CANCELLED'],
  ['CLOSING', 'SETTLE', 'SETTLED'],
  ['CLOSING', 'FALL_SHORT', 'FAILED'],
  ['CLOSING', 'CANCEL', 'CANCELLED'],
  ['FAILED', 'REFUNDS_DONE', 'REFUNDED'],
];

const cny = (v: string) => Money.parse(v, 'CNY', { allowZero: true });

describe('campaign lifecycle (DESIGN §6): every (status, event) pair', () => {
  const pairs = CAMPAIGN_STATUSES.flatMap((status) =>
    CAMPAIGN_EVENTS.map((event) => [status, event] as const),
  );
  it.each(pairs)('%s + %s', (status, event) => {
    const expected = LEGAL.find(([s, e]) => s === status && e === event)?.[2] ?? null;
    expect(nextCampaignStatus(status, event)).toBe(expected);
    if (expected === null) {
      // 409 CAMPAIGN.INVALID_STATE naming where the event would have taken it
      const target = LEGAL.find(([, e]) => e === event)?.[2];
      let refused: unknown;
      try {
        requireCampaignTransition(status, event);
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(InvalidCampaignStateError);
      const e = refused as InvalidCampaignStateError;
      expect([e.code, e.kind, e.message, e.details]).toEqual([
        'CAMPAIGN.INVALID_STATE',
        'CONFLICT',
        `A ${status} campaign cannot become ${target}.`,
        { from: status, to: target },
      ]);
    } else expect(requireCampaignTransition(status, event)).toBe(expected);
  });

  it('canTransition(from, to) holds exactly for the pairs some event links', () => {
    for (const from of CAMPAIGN_STATUSES)
      for (const to of CAMPAIGN_STATUSES)
        expect([from, to, canTransition(from, to)]).toEqual([
          from,
          to,
          LEGAL.some(([s, , t]) => s === from && t === to),
        ]);
  });

  it('PLAT-03: only a LIVE campaign takes pledges (SUSPENDED does not)', () => {
    expect(CAMPAIGN_STATUSES.filter(acceptsPledges)).toEqual(['LIVE']);
  });

  it('settled, refunded and cancelled campaigns are final', () => {
    for (const status of ['SETTLED', 'REFUNDED', 'CANCELLED'] as const)
      for (const event of CAMPAIGN_EVENTS) expect(nextCampaignStatus(status, event)).toBeNull();
  });
});

describe('closing at the deadline (RW-01, RW-02)', () => {
  it('all-or-nothing closes only with the target met (boundary inclusive)', () => {
    expect(closeOutcome('ALL_OR_NOTHING', cny('999.99'), cny('1000.00'))).toBe(
      'DEADLINE_TARGET_MISSED',
    );
    expect(closeOutcome('ALL_OR_NOTHING', cny('1000.00'), cny('1000.00'))).toBe(
      'DEADLINE_TARGET_MET',
    );
  });

  it('RW-02: a FLEXIBLE campaign closes with anything raised, short of the target', () => {
    expect(closeOutcome('FLEXIBLE', cny('0.01'), cny('1000.00'))).toBe('DEADLINE_TARGET_MET');
    expect(closeOutcome('FLEXIBLE', cny('0.00'), cny('1000.00'))).toBe('DEADLINE_TARGET_MISSED');
  });

  it('property: flexible succeeds iff live > 0; all-or-nothing iff live >= target', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (liveFen, targetFen) => {
          const live = Money.fromFen(liveFen, 'CNY');
          const target = Money.fromFen(targetFen, 'CNY');
          expect(closeOutcome('FLEXIBLE', live, target) === 'DEADLINE_TARGET_MET').toBe(
            liveFen > 0n,
          );
          expect(closeOutcome('ALL_OR_NOTHING', live, target) === 'DEADLINE_TARGET_MET').toBe(
            liveFen >= targetFen,
          );
        },
      ),
    );
  });
});

describe('settling a CLOSING campaign (DESIGN §6)', () => {
  const base = {
    fundingModel: 'ALL_OR_NOTHING' as const,
    pledgesInWindow: 0,
    active: cny('1000.00'),
    settled: cny('0.00'),
    target: cny('1000.00'),
  };

  it('waits while any pledge is still inside a window, however much is active', () => {
    expect(settleOutcome({ ...base, pledgesInWindow: 1 })).toBe('WAIT');
    expect(settleOutcome({ ...base, pledgesInWindow: 1, active: cny('5000.00') })).toBe('WAIT');
  });

  it('settles with the target met once no window is open; falls short below it', () => {
    expect(settleOutcome(base)).toBe('SETTLE');
    expect(settleOutcome({ ...base, active: cny('999.99') })).toBe('FALL_SHORT');
  });

  it('RW-02: a FLEXIBLE campaign settles with anything active, fails with nothing', () => {
    expect(settleOutcome({ ...base, fundingModel: 'FLEXIBLE', active: cny('0.01') })).toBe(
      'SETTLE',
    );
    expect(settleOutcome({ ...base, fundingModel: 'FLEXIBLE', active: cny('0.00') })).toBe(
      'FALL_SHORT',
    );
  });

  it('a settlement already under way finishes even if the remainder looks short', () => {
    expect(settleOutcome({ ...base, active: cny('0.00'), settled: cny('10.00') })).toBe('SETTLE');
  });

  it('property: never SETTLE while a pledge is in a window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.constantFrom('ALL_OR_NOTHING' as const, 'FLEXIBLE' as const),
        (inWindow, active, settled, fundingModel) => {
          expect(
            settleOutcome({
              fundingModel,
              pledgesInWindow: inWindow,
              active: Money.fromFen(active, 'CNY'),
              settled: Money.fromFen(settled, 'CNY'),
              target: cny('1.00'),
            }),
          ).toBe('WAIT');
        },
      ),
    );
  });
});

describe('which statuses allow what (DESIGN §6, PLAT-03, US-CF-12)', () => {
  it('terms are editable in DRAFT and REJECTED only', () => {
    expect([...EDITABLE].sort()).toEqual(['DRAFT', 'REJECTED']);
  });

  it('published: every status from LIVE on, never DRAFT, PENDING_REVIEW, REJECTED or CANCELLED', () => {
    expect([...PUBLISHED].sort()).toEqual(
      ['CLOSING', 'FAILED', 'LIVE', 'REFUNDED', 'SETTLED', 'SUSPENDED'].sort(),
    );
  });

  it.each(CAMPAIGN_STATUSES)(
    '%s: pledges only when LIVE, cancellations when LIVE or SUSPENDED',
    (s) => {
      expect(acceptsPledges(s)).toBe(s === 'LIVE');
      expect(acceptsCancellations(s)).toBe(s === 'LIVE' || s === 'SUSPENDED');
    },
  );
});
