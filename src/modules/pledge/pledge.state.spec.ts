import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CN_PACK, US_REGCF_PACK } from '../../config/rule-packs/rule-pack.js';
import type { CampaignKind } from '../campaign/campaign.types.js';
import {
  cancellable,
  canReconfirm,
  confirmationCallCheck,
  countsTowardLimit,
  IN_WINDOW_STATUSES,
  initialWindows,
  LIMIT_COUNTING_STATUSES,
  LIVE_PLEDGE_STATUSES,
  liveForEscrow,
  nextPledgeStatus,
  PLEDGE_EVENTS,
  PLEDGE_STATUSES,
  type PledgeEvent,
  type PledgeFacts,
  type PledgeStatus,
  TERMINAL_STATUSES,
} from './pledge.state.js';

const facts = (status: PledgeStatus, over: Partial<PledgeFacts> = {}): PledgeFacts => ({
  status,
  confirmationRequired: false,
  resumeStatus: null,
  ...over,
});

/**
 * DESIGN §6, written out by hand: (status, event) -> target for a pledge with no call required and
 * nothing to resume. Every pair not listed must be refused.
 */
const LEGAL: [PledgeStatus, PledgeEvent, PledgeStatus][] = [
  ['COOLING_OFF', 'COOLING_OFF_ENDED', 'ACTIVE'],
  ['COOLING_OFF', 'CALL_CONFIRMED', 'ACTIVE'],
  ['COOLING_OFF', 'CALL_UNREACHABLE', 'AWAITING_CONFIRMATION'],
  ['COOLING_OFF', 'CALL_RESCINDED', 'CANCELLED'],
  ['COOLING_OFF', 'CANCEL', 'CANCELLED'],
  ['COOLING_OFF', 'MATERIAL_CHANGE', 'AWAITING_RECONFIRMATION'],
  ['COOLING_OFF', 'REFUND', 'REFUNDED'],
  ['AWAITING_CONFIRMATION', 'CALL_CONFIRMED', 'ACTIVE'],
  ['AWAITING_CONFIRMATION', 'CALL_UNREACHABLE', 'AWAITING_CONFIRMATION'],
  ['AWAITING_CONFIRMATION', 'CALL_RESCINDED', 'CANCELLED'],
  ['AWAITING_CONFIRMATION', 'CALL_TIMED_OUT', 'CANCELLED'],
  ['AWAITING_CONFIRMATION', 'CANCEL', 'CANCELLED'],
  ['AWAITING_CONFIRMATION', 'MATERIAL_CHANGE', 'AWAITING_RECONFIRMATION'],
  ['AWAITING_CONFIRMATION', 'REFUND', 'REFUNDED'],
  ['ACTIVE', 'CANCEL', 'CANCELLED'],
  ['ACTIVE', 'MATERIAL_CHANGE', 'AWAITING_RECONFIRMATION'],
  ['ACTIVE', 'SETTLE', 'SETTLED'],
  ['ACTIVE', 'REFUND', 'REFUNDED'],
  ['AWAITING_RECONFIRMATION', 'CANCEL', 'CANCELLED'],
  ['AWAITING_RECONFIRMATION', 'RECONFIRM', 'ACTIVE'],
  ['AWAITING_RECONFIRMATION', 'RECONFIRMATION_EXPIRED', 'CANCELLED'],
  ['AWAITING_RECONFIRMATION', 'REFUND', 'REFUNDED'],
];

describe('pledge lifecycle (DESIGN §6): every (status, event) pair', () => {
  const pairs = PLEDGE_STATUSES.flatMap((s) => PLEDGE_EVENTS.map((e) => [s, e] as const));
  it.each(pairs)('%s + %s', (status, event) => {
    const expected = LEGAL.find(([s, e]) => s === status && e === event)?.[2] ?? null;
    expect(nextPledgeStatus(facts(status), event)).toBe(expected);
  });

  it('CN-PF-07: cooling-off ends in AWAITING_CONFIRMATION when a call is required', () => {
    expect(
      nextPledgeStatus(facts('COOLING_OFF', { confirmationRequired: true }), 'COOLING_OFF_ENDED'),
    ).toBe('AWAITING_CONFIRMATION');
  });

  it('CN-SUIT-14: a reconfirmation returns the pledge to the status it had', () => {
    for (const resumeStatus of ['COOLING_OFF', 'AWAITING_CONFIRMATION', 'ACTIVE'] as const)
      expect(
        nextPledgeStatus(facts('AWAITING_RECONFIRMATION', { resumeStatus }), 'RECONFIRM'),
      ).toBe(resumeStatus);
  });

  it('ended pledges are final; live ones are exactly the non-terminal ones', () => {
    expect(TERMINAL_STATUSES).toEqual(['SETTLED', 'CANCELLED', 'REFUNDED']);
    expect(LIVE_PLEDGE_STATUSES).toEqual([
      'COOLING_OFF',
      'AWAITING_CONFIRMATION',
      'ACTIVE',
      'AWAITING_RECONFIRMATION',
    ]);
    expect(IN_WINDOW_STATUSES).toEqual([
      'COOLING_OFF',
      'AWAITING_CONFIRMATION',
      'AWAITING_RECONFIRMATION',
    ]);
  });

  it('property (INV-8): a campaign counter moved on every live/ended edge equals the live sum', () => {
    const event = fc.constantFrom(...PLEDGE_EVENTS);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            amount: fc.integer({ min: 1, max: 1_000_000 }),
            call: fc.boolean(),
            events: fc.array(event, { maxLength: 8 }),
          }),
          { maxLength: 20 },
        ),
        (pledges) => {
          let committed = 0;
          const states = pledges.map((p) => {
            committed += p.amount; // placed: live, counted
            let current = facts('COOLING_OFF', { confirmationRequired: p.call });
            for (const e of p.events) {
              const to = nextPledgeStatus(current, e);
              if (to === null) continue;
              if (liveForEscrow(current.status) && !liveForEscrow(to)) committed -= p.amount;
              expect(liveForEscrow(current.status) || to === current.status).toBe(true); // no resurrection
              current = {
                ...current,
                status: to,
                resumeStatus:
                  to === 'AWAITING_RECONFIRMATION'
                    ? (current.status as 'COOLING_OFF' | 'AWAITING_CONFIRMATION' | 'ACTIVE')
                    : null,
              };
            }
            return { status: current.status, amount: p.amount };
          });
          const live = states
            .filter((s) => liveForEscrow(s.status))
            .reduce((a, s) => a + s.amount, 0);
          expect(committed).toBe(live);
        },
      ),
    );
  });
});

describe('INV-9: what counts toward the rolling limit', () => {
  it('live and SETTLED equity/debt pledges count; cancelled and refunded ones do not', () => {
    expect(LIMIT_COUNTING_STATUSES).toEqual([
      'COOLING_OFF',
      'AWAITING_CONFIRMATION',
      'ACTIVE',
      'AWAITING_RECONFIRMATION',
      'SETTLED',
    ]);
    expect(countsTowardLimit({ status: 'SETTLED', financial: true })).toBe(true);
    expect(countsTowardLimit({ status: 'CANCELLED', financial: true })).toBe(false);
    expect(countsTowardLimit({ status: 'REFUNDED', financial: true })).toBe(false);
  });

  it('PLAT-09: reward and donation pledges never count', () => {
    for (const status of PLEDGE_STATUSES)
      expect(countsTowardLimit({ status, financial: false })).toBe(false);
  });
});

describe('cancellable (CN-PF-06, CN-PF-08, US-CF-12)', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  const hours = (h: number) => new Date(now.getTime() + h * 3_600_000);
  const campaign = (kind: CampaignKind, deadlineInHours = 100, status = 'LIVE' as const) => ({
    kind,
    status,
    deadline: hours(deadlineInHours),
  });
  const cn = CN_PACK.parameters;
  const us = US_REGCF_PACK.parameters;
  const can = (status: PledgeStatus, kind: CampaignKind, pack: typeof cn, deadlineInHours = 100) =>
    cancellable({ status }, campaign(kind, deadlineInHours), pack, now).cancellable;

  it('inside the windows every pledge may be cancelled, in both packs', () => {
    for (const status of IN_WINDOW_STATUSES)
      for (const pack of [cn, us]) expect(can(status, 'EQUITY', pack, 1)).toBe(true);
  });

  it('CN: an ACTIVE equity or debt pledge is binding', () => {
    expect(can('ACTIVE', 'EQUITY', cn)).toBe(false);
    expect(can('ACTIVE', 'DEBT', cn)).toBe(false);
  });

  it('CN: an ACTIVE reward pledge may be cancelled until the cut-off, not after', () => {
    expect(can('ACTIVE', 'REWARD', cn, 48.01)).toBe(true);
    expect(can('ACTIVE', 'REWARD', cn, 48)).toBe(false);
  });

  it('US-CF-12: any ACTIVE pledge may be cancelled until 48 hours before the deadline', () => {
    expect(can('ACTIVE', 'EQUITY', us, 48.01)).toBe(true);
    expect(can('ACTIVE', 'EQUITY', us, 47.99)).toBe(false);
    expect(can('ACTIVE', 'DEBT', us, 100)).toBe(true);
  });

  it('US-CF-12/14: a pending reconfirmation may be cancelled even inside the last 48 hours', () => {
    expect(can('AWAITING_RECONFIRMATION', 'EQUITY', us, 1)).toBe(true);
  });

  it('ended pledges never', () => {
    for (const status of TERMINAL_STATUSES)
      for (const pack of [cn, us]) expect(can(status, 'REWARD', pack)).toBe(false);
  });

  it('a CLOSING campaign takes no cancellation of ACTIVE pledges', () => {
    expect(
      cancellable({ status: 'ACTIVE' }, { ...campaign('REWARD'), status: 'CLOSING' }, cn, now)
        .cancellable,
    ).toBe(false);
  });
});

describe('windows in time', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  it('CN-SUIT-14: a reconfirmation counts only before its window ends', () => {
    const by = new Date(now.getTime() + 1000);
    expect(canReconfirm({ status: 'AWAITING_RECONFIRMATION', reconfirmBy: by }, now)).toBe(true);
    expect(canReconfirm({ status: 'AWAITING_RECONFIRMATION', reconfirmBy: now }, now)).toBe(false);
    expect(canReconfirm({ status: 'ACTIVE', reconfirmBy: by }, now)).toBe(false);
  });

  it('CN-PF-07: a call during cooling-off is invalid; after it, only while awaiting one', () => {
    const later = new Date(now.getTime() + 60_000);
    const pledge = { status: 'COOLING_OFF' as const, confirmationRequired: true };
    expect(confirmationCallCheck({ ...pledge, coolingOffEndsAt: later }, now)).toBe('TOO_EARLY');
    expect(confirmationCallCheck({ ...pledge, coolingOffEndsAt: now }, now)).toBe('OK');
    expect(
      confirmationCallCheck({ ...pledge, confirmationRequired: false, coolingOffEndsAt: now }, now),
    ).toBe('NOT_AWAITING');
    expect(confirmationCallCheck({ ...pledge, status: 'ACTIVE', coolingOffEndsAt: now }, now)).toBe(
      'NOT_AWAITING',
    );
  });
});

describe('initialWindows (CN-PF-06, CN-PF-07, CN-PF-10, CN-SUIT-13)', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  const cn = CN_PACK.parameters;
  const us = US_REGCF_PACK.parameters;
  const start = (
    professionalOrQualified: boolean,
    kind: CampaignKind,
    riskRating: 'R1' | 'R3' | 'R4' | 'R5' | null,
    pack = cn,
  ) => initialWindows({ professionalOrQualified }, { kind, riskRating }, pack, now);

  it('CN-PF-10: an ordinary investor (person or organisation alike) gets cooling-off and the call', () => {
    expect(start(false, 'DEBT', 'R3')).toEqual({
      status: 'COOLING_OFF',
      coolingOffEndsAt: new Date(now.getTime() + 24 * 3_600_000),
      confirmationRequired: true,
    });
  });

  it('CN: a professional or qualified investor keeps cooling-off and is excused the call below R4', () => {
    expect(start(true, 'EQUITY', 'R3')).toMatchObject({
      status: 'COOLING_OFF',
      confirmationRequired: false,
    });
  });

  it('CN-SUIT-13: R4/R5 always get the call', () => {
    expect(start(true, 'EQUITY', 'R4').confirmationRequired).toBe(true);
    expect(start(true, 'DEBT', 'R5').confirmationRequired).toBe(true);
  });

  it('reward and donation pledges have no windows (PLAT-09)', () => {
    for (const kind of ['REWARD', 'DONATION'] as const)
      expect(start(false, kind, null)).toEqual({
        status: 'ACTIVE',
        coolingOffEndsAt: null,
        confirmationRequired: false,
      });
  });

  it('US_REGCF: no cooling-off and no call', () => {
    expect(start(false, 'EQUITY', 'R5', us)).toEqual({
      status: 'ACTIVE',
      coolingOffEndsAt: null,
      confirmationRequired: false,
    });
  });

  it('a call without cooling-off (excused by the pack) waits for the call from now', () => {
    expect(start(true, 'EQUITY', 'R5', { ...cn, professionalCoolingOffExempt: true })).toEqual({
      status: 'AWAITING_CONFIRMATION',
      coolingOffEndsAt: now,
      confirmationRequired: true,
    });
  });
});
