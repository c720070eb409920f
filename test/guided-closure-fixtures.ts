import {
  type ClosureOperationView,
  ClosureWorker,
  type ClosureWorkerOptions,
  getGuidedClosure,
} from "../src/closure/index.js";
import { viewOf } from "../src/closure/guided-closure.service.js";
import type { Scheduler } from "../src/scheduler/index.js";
import type { Config } from "../src/shared/config.js";
import { closureScheduler } from "./closure-fixtures.js";
import type { TenantFixture } from "./directory-fixtures.js";
import type { TestContext } from "./test-context.js";

const HOUR = 3_600_000;

/** Microsoft's waits, shortened only where a test needs it; the clock is moved by hand anyway. */
export const CLOSURE_CONFIG: Partial<Config> = {
  syncOffDelayMs: HOUR,
  deprovisionDelayMs: 72 * HOUR,
  closureCoolingOffMs: 24 * HOUR,
  leaseMs: 30_000,
};

export const FINAL_STATES = ["completed", "cancelled", "failed"];

export function closureWorker(t: TestContext, options: ClosureWorkerOptions = {}): ClosureWorker {
  return new ClosureWorker(t, { batchSize: 2, ...options });
}

export async function closureStatus(
  t: TestContext,
  org: TenantFixture,
): Promise<ClosureOperationView> {
  return getGuidedClosure(t, { kind: "actor", actor: org.adminActor }, org.tenantId);
}

/**
 * Runs the closure as the server would, moving the clock to each durable timer (sync-off,
 * deprovisioning, cooling-off) in turn and running the scheduler's due jobs, until the operation
 * reaches `until` (a state, or `coolingOff`) or a final state. Reads the status as the operator
 * would after deletion (the admin's own token is gone by then), through the tenant's latest row.
 */
export async function driveClosure(
  t: TestContext,
  org: TenantFixture,
  options: {
    worker?: ClosureWorker;
    scheduler?: Scheduler;
    until?: string;
    readStatus?: () => Promise<ClosureOperationView>;
  } = {},
): Promise<ClosureOperationView> {
  const worker = options.worker ?? closureWorker(t);
  const scheduler = options.scheduler ?? closureScheduler(t);
  const read = options.readStatus ?? (() => latestStatus(t, org.tenantId));
  for (let round = 0; round < 100; round++) {
    await scheduler.runDueJobs();
    await worker.runUntilIdle();
    const view = await read();
    if (FINAL_STATES.includes(view.state) || view.state === options.until) return view;
    const next = view.state === "coolingOff" ? view.coolingOffEndsDateTime : view.waitUntil;
    const now = t.clock.now().getTime();
    const target = next ? Date.parse(next) : now + 1000;
    t.clock.advance(Math.max(target - now, 1000));
  }
  throw new Error("The closure did not finish in 100 rounds.");
}

/** The tenant's latest operation whatever the tenant's state (the table is kept after deletion). */
export async function latestStatus(
  t: TestContext,
  tenantId: string,
): Promise<ClosureOperationView> {
  const row = await t.db
    .selectFrom("closure_operation")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
  return viewOf(t.db, tenantId, row.id);
}
