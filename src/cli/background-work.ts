import { directoryJobHandlers } from "../directory/index.js";
import { Scheduler } from "../scheduler/index.js";
import type { AppContext } from "../shared/app-context.js";

/** Work that runs beside the HTTP server for as long as the process serves. */
export interface BackgroundWork {
  /** Stops taking new work and waits for work in flight; the store is still open meanwhile. */
  stop(): Promise<void>;
}

/**
 * Starts the durable scheduler (src/scheduler) with every area's job handlers, after the server
 * listens. It first catches up on work that fell due while no process ran, then polls every
 * `TENANTRY_SCHEDULER_POLL_MS`. `stop()` runs on SIGINT/SIGTERM after the server stopped taking
 * requests and before the store is closed; a job in flight commits or rolls back first.
 */
export async function startBackgroundWork(ctx: AppContext): Promise<BackgroundWork> {
  const scheduler = new Scheduler(
    ctx,
    { ...directoryJobHandlers(ctx) },
    { pollMs: ctx.config.schedulerPollMs },
  );
  scheduler.start();
  ctx.log.info({ pollMs: ctx.config.schedulerPollMs }, "scheduler started");
  return { stop: () => scheduler.stop() };
}
