import { recordAudit } from "../audit/index.js";
import { scheduleJob } from "../scheduler/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { addMs } from "../shared/clock.js";
import type { Executor } from "../store/database.js";
import { supportsRowLocks } from "../store/engine.js";
import { loadTenant, requirePermission, type Trx } from "./directory-access.js";
import { JOB_COMPLETE_SYNC_OFF } from "./directory-jobs.js";
import {
  assertCanTurnOnSync,
  planTurnOffSync,
  SYNC_REENABLE_WAIT_MS,
  type SyncStatus,
  syncStatus,
} from "./sync.js";
import type { Tenant } from "./tenant.js";
import { updateTenantRow } from "./tenant.repository.js";
import { convertSyncedUserRows } from "./user.repository.js";

export interface SyncState {
  status: SyncStatus;
  onPremisesSyncEnabled: boolean | null;
  turningOffSince: Date | null;
  completesAt: Date | null;
  canTurnOnAt: Date | null;
}

export async function getSyncState(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<SyncState> {
  const tenant = await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  return toSyncState(tenant);
}

/** Turns directory sync on (the on-premises directory then owns its users). */
export async function turnOnSync(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<SyncState> {
  return ctx.db.transaction().execute((trx) => turnOnSyncIn(ctx, trx, actor, tenantId));
}

/** `turnOnSync` inside a transaction the caller holds. */
export async function turnOnSyncIn(
  ctx: AppContext,
  trx: Executor,
  actor: Actor,
  tenantId: string,
): Promise<SyncState> {
  const tenant = await loadTenant(trx, actor, tenantId, {
    forUpdate: true,
    rowLocks: supportsRowLocks(ctx.engine),
  });
  await requirePermission(trx, actor, tenantId, "sync.manage");
  const now = ctx.clock.now();
  assertCanTurnOnSync(tenant, now);
  await updateTenantRow(trx, tenantId, {
    on_premises_sync_enabled: true,
    sync_reenable_after: null,
    updated_at: now.toISOString(),
  });
  await recordAudit(ctx, trx, {
    tenantId,
    actor,
    action: "sync.turnOn",
    target: { type: "tenant", id: tenantId },
  });
  return toSyncState(await loadTenant(trx, actor, tenantId));
}

/**
 * Starts turning sync off: an operation that cannot be cancelled and completes after
 * `TENANTRY_SYNC_OFF_DELAY` (Microsoft: up to 72 h). Its completion is a scheduled job committed
 * with this change, so it happens even if every server restarts in between.
 */
export async function turnOffSync(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<SyncState> {
  return ctx.db.transaction().execute((trx) => turnOffSyncIn(ctx, trx, actor, tenantId));
}

/** `turnOffSync` inside a transaction the caller holds. */
export async function turnOffSyncIn(
  ctx: AppContext,
  trx: Executor,
  actor: Actor,
  tenantId: string,
): Promise<SyncState> {
  const tenant = await loadTenant(trx, actor, tenantId, {
    forUpdate: true,
    rowLocks: supportsRowLocks(ctx.engine),
  });
  await requirePermission(trx, actor, tenantId, "sync.manage");
  const now = ctx.clock.now();
  const { completesAt } = planTurnOffSync(tenant, now, ctx.config.syncOffDelayMs);
  await updateTenantRow(trx, tenantId, {
    sync_off_started_at: now.toISOString(),
    sync_off_completes_at: completesAt.toISOString(),
    updated_at: now.toISOString(),
  });
  await scheduleJob(
    trx,
    { tenantId, kind: JOB_COMPLETE_SYNC_OFF, key: tenantId, dueAt: completesAt },
    now,
  );
  await recordAudit(ctx, trx, {
    tenantId,
    actor,
    action: "sync.turnOffStarted",
    target: { type: "tenant", id: tenantId },
    details: { completesAt: completesAt.toISOString() },
  });
  return toSyncState(await loadTenant(trx, actor, tenantId));
}

/**
 * Scheduler handler: finishes turning sync off once its time has come. Synced users become
 * cloud-managed and sync cannot be turned on again for 72 hours. Idempotent: a tenant that is not
 * turning off (or not yet due) is left as it is.
 */
export async function completeSyncOff(ctx: AppContext, trx: Trx, tenantId: string): Promise<void> {
  const system: Actor = { type: "system" };
  const tenant = await loadTenant(trx, system, tenantId, {
    forUpdate: true,
    rowLocks: supportsRowLocks(ctx.engine),
  });
  const now = ctx.clock.now();
  if (
    syncStatus(tenant) !== "turningOff" ||
    !tenant.syncOffCompletesDateTime ||
    tenant.syncOffCompletesDateTime > now
  )
    return;
  const at = now.toISOString();
  const converted = await convertSyncedUserRows(trx, tenantId, at);
  await updateTenantRow(trx, tenantId, {
    on_premises_sync_enabled: false,
    sync_off_completes_at: null,
    sync_reenable_after: addMs(now, SYNC_REENABLE_WAIT_MS).toISOString(),
    updated_at: at,
  });
  await recordAudit(ctx, trx, {
    tenantId,
    actor: system,
    action: "sync.turnOffCompleted",
    target: { type: "tenant", id: tenantId },
    details: { convertedUsers: converted },
  });
}

function toSyncState(tenant: Tenant): SyncState {
  const status = syncStatus(tenant);
  return {
    status,
    onPremisesSyncEnabled: tenant.onPremisesSyncEnabled,
    turningOffSince: status === "turningOff" ? tenant.syncOffStartedDateTime : null,
    completesAt: tenant.syncOffCompletesDateTime,
    // When sync may be turned on (again); null while it is on or turning off.
    canTurnOnAt:
      status === "off" || status === "neverSynced"
        ? (tenant.syncReenableAfterDateTime ?? tenant.createdDateTime)
        : null,
  };
}
