import type { JobHandler } from "../scheduler/index.js";
import type { AppContext } from "../shared/app-context.js";
import { JOB_SUBSCRIPTION_LIFECYCLE } from "./commerce-jobs.js";
import { runSubscriptionLifecycle } from "./subscription-schedule.service.js";

/**
 * Commerce's scheduled work. Each handler runs inside the scheduler's claim transaction and
 * re-reads the current state, so a job that lost its reason does nothing twice.
 */
export function commerceJobHandlers(ctx: AppContext): Record<string, JobHandler> {
  return {
    [JOB_SUBSCRIPTION_LIFECYCLE]: async (trx, job) => {
      await runSubscriptionLifecycle(ctx, trx, job.tenantId, job.key);
    },
  };
}
