import type { AppContext } from "../shared/app-context.js";
import { DAY } from "../shared/clock.js";
import {
  deleteExpiredChallenges,
  deleteExpiredSessions,
  deleteStaleThrottles,
} from "./session.repository.js";
import { THROTTLE_FORGET_AFTER_MS } from "./signin-throttle.js";

/** Expired sessions are kept a day for the audit trail's sake, then deleted. */
const SESSION_RETENTION_MS = DAY;

export interface HousekeepingResult {
  sessions: number;
  challenges: number;
  throttles: number;
}

/**
 * Deletes what no longer means anything: sessions expired over a day ago, expired MFA challenges
 * and throttle counters past their forgetting time. Idempotent; safe from several processes.
 */
export async function runSecurityHousekeeping(
  ctx: Pick<AppContext, "db" | "clock">,
): Promise<HousekeepingResult> {
  const now = ctx.clock.now().getTime();
  return {
    sessions: await deleteExpiredSessions(
      ctx.db,
      new Date(now - SESSION_RETENTION_MS).toISOString(),
    ),
    challenges: await deleteExpiredChallenges(ctx.db, new Date(now).toISOString()),
    throttles: await deleteStaleThrottles(
      ctx.db,
      new Date(now - THROTTLE_FORGET_AFTER_MS).toISOString(),
    ),
  };
}
