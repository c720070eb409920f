import { recordAudit } from "../audit/index.js";
import { cancelJobs } from "../scheduler/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { type Trx, requirePermission } from "./directory-access.js";
import { deleteApplicationRows, listApplicationRows } from "./application.repository.js";
import { JOB_PURGE_USER } from "./directory-jobs.js";
import {
  deleteUserRows,
  listDeletedUserIds,
  listLiveUserIdsAfter,
  listMfaOnUserIdsAfter,
  setMfaStateOfUsers,
} from "./user.repository.js";
import { deleteBatch } from "./user-bulk.service.js";

/**
 * The directory's part of the guided closure (SPEC §6), one batch at a time inside the caller's
 * transaction, so that the closure records its progress in the same commit as the work. The tenant
 * is frozen by the closure itself, so these do not refuse a frozen tenant; every other rule (the
 * kept Global Administrator, synced users while sync is on) and the per-batch audit entry hold.
 */

export interface ClosureBatch {
  /** Items looked at in this batch (done + failed); 0 means nothing is left. */
  handled: number;
  /** The last id handled: where the next batch starts. */
  lastId: string | null;
  failed: { id: string; code: string; message: string }[];
}

export interface AfterIdBatch {
  afterId: string | null;
  /** The closing Global Administrator: never touched. */
  keepId: string;
  /** Others left alone in this step (e.g. the other Global Administrators until the end). */
  alsoKeep?: readonly string[];
  limit: number;
}

/** Step 1: soft-deletes the next live users (to the recycle bin), all but `keepId`. */
export async function deleteUsersForClosure(
  ctx: AppContext,
  trx: Trx,
  actor: Actor,
  tenantId: string,
  batch: AfterIdBatch,
): Promise<ClosureBatch> {
  const ids = await listLiveUserIdsAfter(trx, tenantId, {
    afterId: batch.afterId,
    exceptIds: [batch.keepId, ...(batch.alsoKeep ?? [])],
    limit: batch.limit,
  });
  if (ids.length === 0) return { handled: 0, lastId: batch.afterId, failed: [] };
  const results = await deleteBatch(ctx, trx, actor, tenantId, ids, batch.keepId, new Set(), {
    duringClosure: true,
  });
  return {
    handled: ids.length,
    lastId: ids.at(-1) ?? null,
    failed: results
      .filter((r) => r.outcome === "failed")
      .map((r) => ({ id: r.id, code: r.code ?? "FAILED", message: r.message ?? "" })),
  };
}

/** Step 4: per-user MFA off for the next users that have it on, all but `keepId`. */
export async function disableMfaForClosure(
  ctx: AppContext,
  trx: Trx,
  actor: Actor,
  tenantId: string,
  batch: AfterIdBatch,
): Promise<ClosureBatch> {
  await requirePermission(trx, actor, tenantId, "mfa.manage");
  const ids = await listMfaOnUserIdsAfter(trx, tenantId, {
    afterId: batch.afterId,
    exceptIds: [batch.keepId, ...(batch.alsoKeep ?? [])],
    limit: batch.limit,
  });
  if (ids.length === 0) return { handled: 0, lastId: batch.afterId, failed: [] };
  await setMfaStateOfUsers(trx, tenantId, ids, "disabled", ctx.clock.now().toISOString());
  await recordAudit(ctx, trx, {
    tenantId,
    actor,
    action: "users.bulkMfaStateChange",
    target: { type: "user", id: null },
    details: { to: "disabled", userIds: ids },
  });
  return { handled: ids.length, lastId: ids.at(-1) ?? null, failed: [] };
}

/** The next users in the recycle bin (the irreversible phase purges them). */
export function listRecycleBinUserIds(trx: Trx, tenantId: string, limit: number) {
  return listDeletedUserIds(trx, tenantId, limit);
}

/** The irreversible phase: erases these users of the recycle bin for good, with their content. */
export async function purgeUsersForClosure(
  ctx: AppContext,
  trx: Trx,
  actor: Actor,
  tenantId: string,
  ids: readonly string[],
): Promise<number> {
  await requirePermission(trx, actor, tenantId, "users.manage", { isAdmin: true });
  if (ids.length === 0) return 0;
  const purged = await deleteUserRows(trx, tenantId, ids);
  await cancelJobs(trx, { tenantId, kind: JOB_PURGE_USER, keys: ids });
  await recordAudit(ctx, trx, {
    tenantId,
    actor,
    action: "users.bulkPurge",
    target: { type: "user", id: null },
    details: { userIds: ids },
  });
  return purged;
}

/** Removes the next applications (they block deletion, SPEC §1), with secrets and tokens. */
export async function deleteApplicationsForClosure(
  ctx: AppContext,
  trx: Trx,
  actor: Actor,
  tenantId: string,
  limit: number,
): Promise<number> {
  await requirePermission(trx, actor, tenantId, "applications.manage");
  const rows = (await listApplicationRows(trx, tenantId)).slice(0, limit);
  for (const row of rows) await deleteApplicationRows(trx, tenantId, row.id);
  if (rows.length > 0) {
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "applications.bulkDelete",
      target: { type: "application", id: null },
      details: { applicationIds: rows.map((r) => r.id) },
    });
  }
  return rows.length;
}
