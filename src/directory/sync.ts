import { blocked, conflict } from "../shared/app-error.js";
import { addMs, HOUR } from "../shared/clock.js";
import type { Tenant } from "./tenant.js";
import type { User } from "./user.js";

/** After turning sync off completes, it cannot be turned on again for 72 hours (SPEC §1). */
export const SYNC_REENABLE_WAIT_MS = 72 * HOUR;

export type SyncStatus = "neverSynced" | "on" | "turningOff" | "off";

export function syncStatus(
  tenant: Pick<Tenant, "onPremisesSyncEnabled" | "syncOffCompletesDateTime">,
): SyncStatus {
  if (tenant.onPremisesSyncEnabled === null) return "neverSynced";
  if (tenant.onPremisesSyncEnabled === false) return "off";
  return tenant.syncOffCompletesDateTime ? "turningOff" : "on";
}

/**
 * Synced users are owned by the on-premises directory while the tenant's sync is on (including
 * while it is turning off): the cloud copy is read-only.
 */
export function isReadOnlySyncedUser(
  user: Pick<User, "onPremisesSyncEnabled">,
  tenant: Pick<Tenant, "onPremisesSyncEnabled">,
): boolean {
  return user.onPremisesSyncEnabled === true && tenant.onPremisesSyncEnabled === true;
}

export function syncedUserReadOnlyError(user: Pick<User, "userPrincipalName" | "id">) {
  return blocked(
    "SYNCED_USER_READ_ONLY",
    `${user.userPrincipalName} is synchronized from the on-premises directory and is read-only while directory sync is on. Change or delete it in the on-premises directory (or through SCIM), or turn directory sync off first.`,
    { userId: user.id, rule: "synced users are read-only while directory sync is on" },
  );
}

/** When turning sync off would complete, or why it cannot start. */
export function planTurnOffSync(tenant: Tenant, now: Date, delayMs: number): { completesAt: Date } {
  const status = syncStatus(tenant);
  if (status === "turningOff") {
    throw conflict(
      "SYNC_ALREADY_TURNING_OFF",
      `Directory sync is already turning off; it completes at ${tenant.syncOffCompletesDateTime?.toISOString()} and cannot be cancelled.`,
      { completesAt: tenant.syncOffCompletesDateTime?.toISOString() },
    );
  }
  if (status !== "on") {
    throw conflict("SYNC_NOT_ON", "Directory sync is not on, so there is nothing to turn off.");
  }
  return { completesAt: addMs(now, delayMs) };
}

/** Turning sync on is refused while it is turning off and for 72 hours after that completed. */
export function assertCanTurnOnSync(tenant: Tenant, now: Date): void {
  const status = syncStatus(tenant);
  if (status === "on") throw conflict("SYNC_ALREADY_ON", "Directory sync is already on.");
  if (status === "turningOff") {
    throw blocked(
      "SYNC_TURNING_OFF",
      `Directory sync is turning off until ${tenant.syncOffCompletesDateTime?.toISOString()}; it can be turned on again 72 hours after that.`,
      { completesAt: tenant.syncOffCompletesDateTime?.toISOString() },
    );
  }
  const after = tenant.syncReenableAfterDateTime;
  if (after && now < after) {
    throw blocked(
      "SYNC_REENABLE_TOO_SOON",
      `Directory sync was turned off recently; it can be turned on again at ${after.toISOString()}.`,
      { availableAt: after.toISOString() },
    );
  }
}
