import { cancelJob, scheduleJob } from "../scheduler/index.js";
import type { Executor } from "../store/database.js";
import type { NextLifecycle } from "./subscription-lifecycle-state.js";

/**
 * Scheduler job kinds owned by commerce. One lifecycle job per subscription, keyed by its id and
 * due at its `next_lifecycle_at`: renewal, lapse, disabling or deprovisioning (SPEC §3).
 */
export const JOB_SUBSCRIPTION_LIFECYCLE = "commerce.subscriptionLifecycle";

/**
 * Records (or replaces) the subscription's lifecycle job in the caller's transaction, so the job
 * exists exactly when the change that needs it commits; with nothing due, removes it.
 */
export async function scheduleSubscriptionLifecycle(
  trx: Executor,
  ref: { tenantId: string; subscriptionId: string },
  next: NextLifecycle | null,
  now: Date,
): Promise<void> {
  const job = { tenantId: ref.tenantId, kind: JOB_SUBSCRIPTION_LIFECYCLE, key: ref.subscriptionId };
  if (!next) {
    await cancelJob(trx, job);
    return;
  }
  await scheduleJob(trx, { ...job, dueAt: next.at, payload: { event: next.event } }, now);
}
