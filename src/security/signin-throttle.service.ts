import type { AppContext } from "../shared/app-context.js";
import type { Executor } from "../store/database.js";
import { signInThrottled } from "./signin.js";
import {
  blockedUntil,
  retryAfterSeconds,
  THROTTLE_FORGET_AFTER_MS,
  type ThrottleKey,
} from "./signin-throttle.js";
import {
  deleteThrottleKey,
  findThrottleRows,
  incrementThrottleFailures,
  setThrottleBlockedUntil,
} from "./signin-throttle.repository.js";

/**
 * Refuses (429 TooManyRequests, with Retry-After) while any of the keys is delayed. Called before
 * the password is checked, so a delayed attempt costs no hash and proves nothing.
 */
export async function assertSignInNotThrottled(
  ctx: Pick<AppContext, "db" | "clock">,
  keys: readonly ThrottleKey[],
): Promise<void> {
  const now = ctx.clock.now();
  const rows = await findThrottleRows(
    ctx.db,
    keys.map((k) => k.key),
  );
  const until = rows
    .map((r) => (r.blocked_until === null ? 0 : new Date(r.blocked_until).getTime()))
    .reduce((latest, t) => Math.max(latest, t), 0);
  if (until > now.getTime()) throw signInThrottled(retryAfterSeconds(new Date(until), now));
}

/** Counts a failed sign-in (password or second factor) against each key; in the caller's trx. */
export async function recordSignInFailure(
  ctx: Pick<AppContext, "clock">,
  trx: Executor,
  keys: readonly ThrottleKey[],
): Promise<void> {
  const now = ctx.clock.now();
  const forgetBefore = new Date(now.getTime() - THROTTLE_FORGET_AFTER_MS).toISOString();
  for (const key of keys) {
    const failures = await incrementThrottleFailures(trx, key.key, now.toISOString(), forgetBefore);
    const until = blockedUntil(failures, key.freeFailures, now);
    await setThrottleBlockedUntil(trx, key.key, until === null ? null : until.toISOString());
  }
}

/** A completed sign-in forgets its account's failures. */
export async function clearSignInFailures(trx: Executor, key: ThrottleKey): Promise<void> {
  await deleteThrottleKey(trx, key.key);
}
