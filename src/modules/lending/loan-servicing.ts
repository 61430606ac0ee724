import { Money } from '../../common/money/money.js';
import { addDays, daysBetween } from './loan-dates.js';
import { penaltyFor } from './loan-schedule.js';
import type { InstalmentRecord, LoanRecord } from './loans.repository.js';

/**
 * The pure rules of servicing a loan (issue 14): what an instalment still owes, when it is
 * OVERDUE, its penalty interest, how money is applied (penalty, then interest, then principal,
 * oldest instalment first) and what an early payoff costs. No I/O: the services persist.
 */
export interface Owed {
  penalty: Money;
  interest: Money;
  principal: Money;
}

export function owed(i: InstalmentRecord, currency: string): Owed {
  const m = (v: string) => Money.fromDecimalString(v, currency);
  return {
    penalty: m(i.penalty).minus(m(i.penaltyPaid)),
    interest: m(i.interest).minus(m(i.interestPaid)).minus(m(i.interestWaived)),
    principal: m(i.principal).minus(m(i.principalPaid)),
  };
}

/** The first day an unpaid instalment counts as overdue: after its grace days. */
export function overdueFrom(i: InstalmentRecord, loan: LoanRecord): string {
  return addDays(i.dueDate, loan.graceDays + 1);
}

export function isOverdueOn(i: InstalmentRecord, loan: LoanRecord, today: string): boolean {
  return i.status !== 'PAID' && daysBetween(overdueFrom(i, loan), today) >= 0;
}

/**
 * Marks an unpaid instalment OVERDUE once past its grace days and accrues penalty interest from
 * its due date through `today`: each day's accrual on the unpaid principal and interest, half-up
 * to the fen, on the pack's day-count basis. Idempotent: accrued days are remembered
 * (`penaltyThrough`). Returns true when it became OVERDUE now.
 */
export function accrue(i: InstalmentRecord, loan: LoanRecord, today: string): boolean {
  if (!isOverdueOn(i, loan, today)) return false;
  const became = i.status === 'SCHEDULED';
  if (became) {
    i.status = 'OVERDUE';
    i.overdueSince = overdueFrom(i, loan);
  }
  const days = daysBetween(i.penaltyThrough, today);
  if (days > 0) {
    const o = owed(i, loan.currency);
    const base = o.interest.plus(o.principal);
    const penalty = penaltyFor(base, loan.penaltyAnnualRate, loan.dayCountBasis, days);
    i.penalty = Money.fromDecimalString(i.penalty, loan.currency).plus(penalty).toString();
    i.penaltyThrough = today;
  }
  return became;
}

/** Applies up to `funds` to one instalment: penalty, then interest, then principal. */
export function applyTo(
  i: InstalmentRecord,
  funds: Money,
  currency: string,
  now: Date,
): { applied: Owed; left: Money } {
  const o = owed(i, currency);
  let left = funds;
  const take = (due: Money): Money => {
    const part = left.lessThan(due) ? left : due;
    left = left.minus(part);
    return part;
  };
  const applied = {
    penalty: take(o.penalty),
    interest: take(o.interest),
    principal: take(o.principal),
  };
  const m = (v: string) => Money.fromDecimalString(v, currency);
  i.penaltyPaid = m(i.penaltyPaid).plus(applied.penalty).toString();
  i.interestPaid = m(i.interestPaid).plus(applied.interest).toString();
  i.principalPaid = m(i.principalPaid).plus(applied.principal).toString();
  const rest = owed(i, currency);
  if (rest.penalty.isZero() && rest.interest.isZero() && rest.principal.isZero()) {
    i.status = 'PAID';
    i.paidAt = now;
  }
  return { applied, left };
}

/**
 * Early payoff quote (pack rule): all principal still unpaid, the interest of the current period
 * (the first instalment not yet due) in full, and compensation to the lenders of
 * remaining principal x earlyRepaymentFeeRate, half-up; the interest of later periods is waived.
 */
export function payoffQuote(
  future: readonly InstalmentRecord[],
  loan: LoanRecord,
): { total: Money; principal: Money; currentInterest: Money; earlyFee: Money } {
  const zero = Money.zero(loan.currency);
  const principal = future.reduce((s, i) => s.plus(owed(i, loan.currency).principal), zero);
  const currentInterest = future.length > 0 ? owed(future[0], loan.currency).interest : zero;
  const earlyFee = principal.times(loan.earlyRepaymentFeeRate, 'HALF_UP');
  return {
    total: principal.plus(currentInterest).plus(earlyFee),
    principal,
    currentInterest,
    earlyFee,
  };
}
