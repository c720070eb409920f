import type { Actor } from "../shared/actor.js";
import { type AppError, blocked, conflict, forbidden } from "../shared/app-error.js";
import { DAY } from "../shared/clock.js";
import { isReadOnlySyncedUser, syncedUserReadOnlyError, syncStatus } from "./sync.js";
import type { Tenant } from "./tenant.js";
import { isActiveGlobalAdministrator, type User } from "./user.js";

/** Deleted users stay in the recycle bin for 30 days, then are purged (SPEC §1). */
export const RECYCLE_BIN_RETENTION_MS = 30 * DAY;

export function purgeDueAt(deletedAt: Date): Date {
  return new Date(deletedAt.getTime() + RECYCLE_BIN_RETENTION_MS);
}

/** The tenant refuses changes while it is being closed (the closure freezes it). */
export function tenantWriteBlocker(tenant: Pick<Tenant, "state">): AppError | null {
  if (tenant.state === "active") return null;
  return blocked(
    "TENANT_FROZEN",
    "This organization is being closed; its directory cannot be changed until the closure is cancelled.",
  );
}

export interface RemovalContext {
  tenant: Pick<Tenant, "onPremisesSyncEnabled">;
  actorUserId: string | null;
  /** Enabled Global Administrators not in the recycle bin, before this change. */
  activeGlobalAdministrators: number;
}

/**
 * Why `target` cannot be soft-deleted or disabled now, or null when it can. Pure, so bulk delete and
 * single delete apply the same rules in the same order.
 */
export function removalBlocker(
  target: User,
  context: RemovalContext,
  verb: "delete" | "disable",
): AppError | null {
  if (context.actorUserId === target.id) {
    return blocked(
      verb === "delete" ? "CANNOT_DELETE_SELF" : "CANNOT_DISABLE_SELF",
      `You cannot ${verb} your own account.`,
    );
  }
  if (isReadOnlySyncedUser(target, context.tenant)) return syncedUserReadOnlyError(target);
  if (isActiveGlobalAdministrator(target) && context.activeGlobalAdministrators <= 1) {
    return lastGlobalAdministratorError(target.userPrincipalName);
  }
  return null;
}

export function lastGlobalAdministratorError(userPrincipalName: string): AppError {
  return blocked(
    "LAST_GLOBAL_ADMINISTRATOR",
    `${userPrincipalName} is the organization's only active Global Administrator; assign the role to someone else first.`,
    { rule: "a tenant never has zero active Global Administrators" },
  );
}

export function upnTakenError(userPrincipalName: string, inRecycleBin: boolean): AppError {
  return conflict(
    "USER_UPN_TAKEN",
    inRecycleBin
      ? `${userPrincipalName} belongs to a deleted user in the recycle bin; restore or permanently delete that user first.`
      : `Another user already has the user principal name ${userPrincipalName}.`,
    { field: "userPrincipalName" },
  );
}

/**
 * Synced users arrive only through the sync channel (SCIM, or the operator on the local store),
 * and only while the tenant's sync is on: a signed-in admin creates cloud users.
 */
export function assertSyncChannel(
  actor: Actor,
  tenant: Pick<Tenant, "onPremisesSyncEnabled" | "syncOffCompletesDateTime">,
): void {
  if (actor.type === "user") {
    throw forbidden(
      "SYNC_CHANNEL_ONLY",
      "Synced users are created by directory sync (SCIM), not by an admin.",
    );
  }
  if (syncStatus(tenant) !== "on") {
    throw blocked("SYNC_NOT_ON", "Synced users can only be created while directory sync is on.");
  }
}
