import { SECOND } from "../shared/clock.js";

/**
 * Prorated amounts in integer minor units (SPEC §3: cancel now with a prorated credit). Time is
 * counted in whole seconds, so a period of 31 days weighs 2,678,400 parts and a change an hour
 * before the end is worth an hour, not a day. The arithmetic is BigInt: amount × seconds can
 * exceed 2^53 (a 10,000-seat annual term × 31,622,400 s), and money never touches floating point.
 * The result is rounded down to the minor unit: a credit never exceeds what the unused part is
 * worth, a prorated charge never exceeds what the remaining part costs.
 */

/** Whole seconds from `from` to `to`, 0 when `to` is not later. */
export function wholeSecondsBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / SECOND));
}

/**
 * The part of `amountMinor` (the price of the whole period [periodStart, periodEnd]) that falls on
 * [at, periodEnd], rounded down. `at` before the period counts as its start, after it as its end.
 */
export function proratedAmount(
  amountMinor: number,
  period: { start: Date; end: Date },
  at: Date,
): number {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) {
    throw new RangeError(
      `A prorated amount needs a whole, non-negative amount, not ${amountMinor}.`,
    );
  }
  const length = wholeSecondsBetween(period.start, period.end);
  if (length === 0) return 0;
  const from = at < period.start ? period.start : at;
  const remaining = Math.min(length, wholeSecondsBetween(from, period.end));
  return Number((BigInt(amountMinor) * BigInt(remaining)) / BigInt(length));
}
