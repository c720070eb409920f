import { recordAudit } from "../audit/index.js";
import { scheduleJobs } from "../scheduler/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { forbidden, invalid } from "../shared/app-error.js";
import { supportsRowLocks } from "../store/engine.js";
import {
  assertAllowed,
  loadTenant,
  type ResolvedActor,
  resolveActor,
  type Trx,
} from "./directory-access.js";
import { JOB_PURGE_USER } from "./directory-jobs.js";
import { isAllowed } from "./permissions.js";
import { ROLES } from "./role.js";
import { countActiveRoleMembers } from "./role.repository.js";
import { isActiveGlobalAdministrator, isAdminUser, type User, upnKey } from "./user.js";
import {
  findUserRowByUpnKey,
  findUserRowsByIds,
  listLiveUserIdsAfter,
  softDeleteUserRows,
} from "./user.repository.js";
import { loadUser, withRoles } from "./user-lookup.js";
import { purgeDueAt, removalBlocker, tenantWriteBlocker } from "./user-rules.js";

export const DEFAULT_BULK_BATCH_SIZE = 500;
export const MAX_BULK_BATCH_SIZE = 5000;

export type BulkDeleteTarget =
  /** Ids or user principal names. */
  | { users: readonly string[] }
  /** Every live user except this one (id or UPN), e.g. the signed-in Global Administrator. */
  | { allExcept: string };

export interface BulkItemResult {
  /** The user id when known, else the reference as given. */
  id: string;
  userPrincipalName?: string;
  outcome: "deleted" | "failed";
  code?: string;
  message?: string;
}

export interface BulkDeleteResult {
  value: BulkItemResult[];
  deleted: number;
  failed: number;
}

export interface BulkDeleteOptions {
  batchSize?: number;
  /** Called after each committed batch with the running totals. */
  onProgress?: (progress: { done: number; total: number | null }) => void;
}

/**
 * Soft-deletes many users in batches; each batch commits with its purge jobs and one audit entry
 * listing its items. Every item gets a result: one refused user never stops the others. A crash
 * leaves whole batches done or not done, and a re-run only finds the users still live.
 */
export async function bulkDeleteUsers(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  target: BulkDeleteTarget,
  options: BulkDeleteOptions = {},
): Promise<BulkDeleteResult> {
  const batchSize = options.batchSize ?? DEFAULT_BULK_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BULK_BATCH_SIZE) {
    throw invalid("BATCH_SIZE_INVALID", `batchSize must be between 1 and ${MAX_BULK_BATCH_SIZE}.`);
  }
  // Tenant and right first, before any lookup: a caller of another tenant learns nothing, not even
  // whether `allExcept` names a user there (SPEC §2), and a caller without the right reads nothing.
  // Each batch checks again in its own transaction.
  await loadTenant(ctx.db, actor, tenantId);
  assertAllowed(await resolveActor(ctx.db, actor, tenantId), "users.manage", { isAdmin: false });
  const results: BulkItemResult[] = [];
  /** Users already handled in this run, so a user given by id and by UPN counts once. */
  const seen = new Set<string>();
  const report = () => options.onProgress?.({ done: results.length, total });
  let total: number | null = null;

  if ("users" in target) {
    const references = [...new Set(target.users.map((u) => u.trim()).filter((u) => u.length > 0))];
    if (references.length === 0)
      throw invalid("NO_USERS_GIVEN", "Give at least one user to delete.");
    total = references.length;
    for (let start = 0; start < references.length; start += batchSize) {
      const batch = references.slice(start, start + batchSize);
      results.push(
        ...(await ctx.db
          .transaction()
          .execute((trx) => deleteBatch(ctx, trx, actor, tenantId, batch, null, seen))),
      );
      report();
    }
  } else {
    const keep = (await loadUser(ctx.db, tenantId, target.allExcept)).user.id;
    let afterId: string | null = null;
    for (;;) {
      const ids = await listLiveUserIdsAfter(ctx.db, tenantId, {
        afterId,
        exceptIds: [keep],
        limit: batchSize,
      });
      if (ids.length === 0) break;
      afterId = ids[ids.length - 1] ?? null;
      results.push(
        ...(await ctx.db
          .transaction()
          .execute((trx) => deleteBatch(ctx, trx, actor, tenantId, ids, keep, seen))),
      );
      report();
    }
  }
  const deleted = results.filter((r) => r.outcome === "deleted").length;
  return { value: results, deleted, failed: results.length - deleted };
}

/**
 * One batch in the caller's transaction. `duringClosure`: the guided closure deletes users of a
 * tenant it froze itself; everyone else is refused while the tenant is frozen.
 */
export async function deleteBatch(
  ctx: AppContext,
  trx: Trx,
  actor: Actor,
  tenantId: string,
  references: readonly string[],
  keepId: string | null,
  seen: Set<string>,
  options: { duringClosure?: boolean } = {},
): Promise<BulkItemResult[]> {
  const tenant = await loadTenant(trx, actor, tenantId, {
    forUpdate: true,
    rowLocks: supportsRowLocks(ctx.engine),
  });
  const resolved = await resolveActor(trx, actor, tenantId);
  // The caller needs the right at all before any per-item rule is worth checking.
  assertAllowed(resolved, "users.manage", { isAdmin: false });
  const frozen = options.duringClosure ? null : tenantWriteBlocker(tenant);
  if (frozen) throw frozen;

  const byId = new Map(
    (await findUserRowsByIds(trx, tenantId, references)).map((row) => [row.id, row]),
  );
  const rows = [];
  const results: BulkItemResult[] = [];
  for (const reference of references) {
    const row =
      byId.get(reference) ??
      (reference.includes("@")
        ? await findUserRowByUpnKey(trx, tenantId, upnKey(reference))
        : undefined);
    // The same user given twice (by id and by UPN) has its one result already.
    if (row && seen.has(row.id)) continue;
    if (row) seen.add(row.id);
    if (!row || row.deleted_at !== null) {
      results.push({
        id: reference,
        outcome: "failed",
        code: "USER_NOT_FOUND",
        message: `No user ${reference} in this organization.`,
      });
    } else if (row.id === keepId) {
      results.push({
        id: row.id,
        userPrincipalName: row.user_principal_name,
        outcome: "failed",
        code: "USER_KEPT",
        message: "This user is kept.",
      });
    } else {
      rows.push(row);
    }
  }
  let activeGlobalAdministrators = await countActiveRoleMembers(
    trx,
    tenantId,
    ROLES.globalAdministrator.roleTemplateId,
  );
  const deletable: string[] = [];
  for (const user of await withRoles(trx, tenantId, rows)) {
    const blocker = isAllowedOn(resolved, user)
      ? removalBlocker(
          user,
          { tenant, actorUserId: resolved.userId, activeGlobalAdministrators },
          "delete",
        )
      : forbidden(
          "INSUFFICIENT_ROLE",
          "Deleting an admin needs the Privileged Authentication Administrator or Global Administrator role.",
        );
    if (blocker) {
      results.push({
        id: user.id,
        userPrincipalName: user.userPrincipalName,
        outcome: "failed",
        code: blocker.code,
        message: blocker.message,
      });
      continue;
    }
    if (isActiveGlobalAdministrator(user)) activeGlobalAdministrators -= 1;
    deletable.push(user.id);
    results.push({ id: user.id, userPrincipalName: user.userPrincipalName, outcome: "deleted" });
  }
  const now = ctx.clock.now();
  await softDeleteUserRows(trx, tenantId, deletable, now.toISOString());
  await scheduleJobs(
    trx,
    deletable.map((id) => ({
      tenantId,
      kind: JOB_PURGE_USER,
      key: id,
      dueAt: purgeDueAt(now),
      payload: { userId: id },
    })),
    now,
  );
  await recordAudit(ctx, trx, {
    tenantId,
    actor,
    action: "users.bulkDelete",
    target: { type: "user", id: null },
    outcome: deletable.length === results.length ? "success" : "failure",
    details: {
      items: results.map((r) => ({
        id: r.id,
        userPrincipalName: r.userPrincipalName,
        outcome: r.outcome,
        code: r.code,
      })),
    },
  });
  return results;
}

function isAllowedOn(resolved: ResolvedActor, user: User): boolean {
  return (
    resolved.privileged || isAllowed(resolved.roles, "users.manage", { isAdmin: isAdminUser(user) })
  );
}
