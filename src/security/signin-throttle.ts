import crypto from "node:crypto";
import { HOUR, MINUTE, SECOND } from "../shared/clock.js";

/**
 * Sign-in throttling (SPEC §2): growing delays per account and per source address, never a hard
 * lock that would let a stranger lock out the only Global Administrator.
 *
 * - An account may fail 5 times, an address 20 times, without delay.
 * - Each further failure sets a delay of 1 s, doubling per failure (1, 2, 4, … s), capped at 15 min.
 * - While a key is delayed, attempts are refused (429, Retry-After) without checking the password,
 *   and do not count as failures.
 * - A completed sign-in clears its account's counter (not its address's: one good account must not
 *   reset an attacker's address). Failures are forgotten after 24 h without a new one.
 * - Failed second-factor codes count like failed passwords, on both keys.
 */
export const ACCOUNT_FREE_FAILURES = 5;
export const ADDRESS_FREE_FAILURES = 20;
export const THROTTLE_BASE_DELAY_MS = 1 * SECOND;
export const THROTTLE_MAX_DELAY_MS = 15 * MINUTE;
export const THROTTLE_FORGET_AFTER_MS = 24 * HOUR;

export interface ThrottleKey {
  key: string;
  freeFailures: number;
}

/**
 * The two keys a sign-in attempt counts against. The account key is a hash of the lower-cased UPN,
 * so this installation-wide table names nobody (and unknown UPNs are throttled like known ones).
 */
export function signInThrottleKeys(userPrincipalName: string, sourceAddress: string) {
  const upn = userPrincipalName.trim().toLowerCase();
  const account = crypto.createHash("sha256").update(upn).digest("hex");
  return {
    account: { key: `account:${account}`, freeFailures: ACCOUNT_FREE_FAILURES },
    address: { key: `address:${sourceAddress}`, freeFailures: ADDRESS_FREE_FAILURES },
  } satisfies Record<string, ThrottleKey>;
}

/** The delay after the `failures`-th consecutive failure: 0 within the free allowance. */
export function throttleDelayMs(failures: number, freeFailures: number): number {
  const beyond = failures - freeFailures;
  if (beyond <= 0) return 0;
  // 2^(beyond-1) seconds; the exponent is bounded so the number stays finite.
  const delay = THROTTLE_BASE_DELAY_MS * 2 ** Math.min(beyond - 1, 30);
  return Math.min(delay, THROTTLE_MAX_DELAY_MS);
}

/** Until when a key is refused after a failure at `now`, or null when not at all. */
export function blockedUntil(failures: number, freeFailures: number, now: Date): Date | null {
  const delay = throttleDelayMs(failures, freeFailures);
  return delay === 0 ? null : new Date(now.getTime() + delay);
}

/** Seconds a refused caller should wait (Retry-After), at least 1. */
export function retryAfterSeconds(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / SECOND));
}
