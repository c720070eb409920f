import type { Transaction } from "kysely";
import type { AppContext } from "../shared/app-context.js";
import { isAppError } from "../shared/app-error.js";
import type { Database } from "../store/database.js";
import { supportsRowLocks } from "../store/engine.js";
import { updateTenantState } from "./closure.repository.js";
import type { ClosureOperationTable } from "./closure.table.js";
import { isIrreversible } from "./guided-closure.js";
import { findOperationForUpdate, updateOperation } from "./guided-closure.repository.js";

/**
 * A worker's claim on closure operations (SPEC §7: "work is claimed with a lease and a dead
 * process's work is taken over when its lease expires"): who holds it and for how long each
 * renewal lasts.
 */
export interface LeaseHolder {
  readonly ctx: AppContext;
  readonly owner: string;
  readonly leaseMs: number;
}

/** Another process holds the operation now (our lease expired), or it was cancelled. */
export class LostClaim extends Error {
  override readonly name = "LostClaim";
}

/** After a failed batch, try again this much later. */
const RETRY_MS = 30_000;

export function leaseEnd(holder: LeaseHolder): string {
  return new Date(holder.ctx.clock.now().getTime() + holder.leaseMs).toISOString();
}

/**
 * Runs `work` in a transaction holding the operation row, after checking that `holder` still
 * holds the lease and the operation is still running (not cancelled); extends the lease in the
 * same transaction. Throws `LostClaim` (rolling back) otherwise.
 */
export async function inLease<T>(
  holder: LeaseHolder,
  operation: ClosureOperationTable,
  work: (trx: Transaction<Database>, current: ClosureOperationTable) => Promise<T>,
): Promise<T> {
  const { ctx } = holder;
  return ctx.db.transaction().execute(async (trx) => {
    const current = await findOperationForUpdate(
      trx,
      { tenantId: operation.tenant_id, id: operation.id },
      supportsRowLocks(ctx.engine),
    );
    if (current?.state !== "running" || current.lease_owner !== holder.owner) {
      throw new LostClaim();
    }
    const lease = leaseEnd(holder);
    await updateOperation(
      trx,
      { tenantId: current.tenant_id, id: current.id },
      { lease_expires_at: lease },
    );
    return work(trx, { ...current, lease_expires_at: lease });
  });
}

/**
 * A batch failed for a reason other than a crash: its transaction rolled back, so nothing of it
 * happened. A refusal by a rule the closure cannot get past (the closing admin lost the role)
 * fails the operation and, before the irreversible phase, unfreezes the tenant; anything else is
 * retried later. Either way the claim is released.
 */
export async function recordFailure(
  holder: LeaseHolder,
  operation: ClosureOperationTable,
  error: unknown,
): Promise<void> {
  const { ctx } = holder;
  const message = error instanceof Error ? error.message : String(error);
  const fatal = isAppError(error) && ["Forbidden", "NotFound"].includes(error.kind);
  ctx.log.error(
    { err: error, closureId: operation.id, step: operation.step, fatal },
    "closure batch failed",
  );
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    const current = await findOperationForUpdate(
      trx,
      { tenantId: operation.tenant_id, id: operation.id },
      supportsRowLocks(ctx.engine),
    );
    if (current?.state !== "running" || current.lease_owner !== holder.owner) return;
    const key = { tenantId: current.tenant_id, id: current.id };
    if (fatal) {
      await updateOperation(trx, key, {
        state: "failed",
        error: message,
        lease_owner: null,
        lease_expires_at: null,
        updated_at: now.toISOString(),
        finished_at: now.toISOString(),
      });
      if (!isIrreversible(current.step)) {
        await updateTenantState(trx, current.tenant_id, "active", now.toISOString());
      }
      return;
    }
    await updateOperation(trx, key, {
      state: "waiting",
      waiting_for: "retry",
      wait_until: new Date(now.getTime() + RETRY_MS).toISOString(),
      error: message,
      lease_owner: null,
      lease_expires_at: null,
      updated_at: now.toISOString(),
    });
  });
}
