import { ClosureWorker } from "../closure/index.js";
import { commerceJobHandlers } from "../commerce/index.js";
import { directoryJobHandlers } from "../directory/index.js";
import { Scheduler } from "../scheduler/index.js";
import { runSecurityHousekeeping } from "../security/index.js";
import type { AppContext } from "../shared/app-context.js";

/** Expired sessions, challenges and throttle counters are swept this often. */
const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

/** Work that runs beside the HTTP server for as long as the process serves. */
export interface BackgroundWork {
  /** Stops taking new work and waits for work in flight; the store is still open meanwhile. */
  stop(): Promise<void>;
}

/**
 * Starts the durable scheduler (src/scheduler) with every area's job handlers and the closure
 * worker (src/closure), after the server listens. It first catches up on work that fell due while no process ran, then polls every
 * `TENANTRY_SCHEDULER_POLL_MS`. `stop()` runs on SIGINT/SIGTERM after the server stopped taking
 * requests and before the store is closed; a job in flight commits or rolls back first.
 */
export async function startBackgroundWork(ctx: AppContext): Promise<BackgroundWork> {
  const scheduler = new Scheduler(
    ctx,
    { ...directoryJobHandlers(ctx), ...commerceJobHandlers(ctx) },
    { pollMs: ctx.config.schedulerPollMs },
  );
  scheduler.start();
  ctx.log.info({ pollMs: ctx.config.schedulerPollMs }, "scheduler started");
  // Guided closures, claimed with leases: any number of processes may run this (SPEC §7).
  const closures = new ClosureWorker(ctx);
  closures.start();
  const housekeeping = setInterval(() => {
    runSecurityHousekeeping(ctx)
      .then((deleted) => ctx.log.debug(deleted, "security housekeeping"))
      .catch((error: unknown) => ctx.log.warn({ err: error }, "security housekeeping failed"));
  }, HOUSEKEEPING_INTERVAL_MS);
  housekeeping.unref();
  return {
    stop: async () => {
      clearInterval(housekeeping);
      await Promise.all([scheduler.stop(), closures.stop()]);
    },
  };
}
