import { DAY } from "../shared/clock.js";
import type { Term } from "./subscription.js";

/**
 * Billing periods in calendar months, in UTC. A period bought on the 31st ends on the last day of
 * a shorter month and comes back to the 31st when the month has one (Jan 31 → Feb 28 → Mar 31),
 * as card billing dates do: the renewal keeps the anchor day instead of drifting to the 28th.
 */

const MONTHS_BY_TERM: Readonly<Record<Term, number>> = { monthly: 1, annual: 12 };

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one; Date.UTC normalizes month overflow.
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * `from` plus `months` calendar months, on `anchorDay` (1–31) or the month's last day when it is
 * shorter, at the same time of day.
 */
export function addCalendarMonths(
  from: Date,
  months: number,
  anchorDay: number = from.getUTCDate(),
): Date {
  const year = from.getUTCFullYear();
  const month = from.getUTCMonth() + months;
  const day = Math.min(anchorDay, daysInMonth(year, month));
  return new Date(
    Date.UTC(
      year,
      month,
      day,
      from.getUTCHours(),
      from.getUTCMinutes(),
      from.getUTCSeconds(),
      from.getUTCMilliseconds(),
    ),
  );
}

/** The end of a paid period that starts at `start` (a purchase or a reactivation). */
export function firstPeriodEnd(start: Date, term: Term): Date {
  return addCalendarMonths(start, MONTHS_BY_TERM[term]);
}

/**
 * The end of the period after [periodStart, periodEnd]. The anchor day is the larger of the two
 * days of the month: at most one end of a period is shortened by a short month, so the larger day
 * is the anchor (for an annual term bought on Feb 29, the anchor becomes the 28th after the first
 * renewal — a day earlier in later leap years, never a day more).
 */
export function nextPeriodEnd(periodStart: Date, periodEnd: Date, term: Term): Date {
  const anchorDay = Math.max(periodStart.getUTCDate(), periodEnd.getUTCDate());
  return addCalendarMonths(periodEnd, MONTHS_BY_TERM[term], anchorDay);
}

/** The end of a free trial of `trialDays` days. */
export function trialEnd(start: Date, trialDays: number): Date {
  return new Date(start.getTime() + trialDays * DAY);
}
