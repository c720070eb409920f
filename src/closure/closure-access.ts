import { loadTenant, requirePermission, type Tenant } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import { forbidden, invalid, isAppError } from "../shared/app-error.js";
import type { Executor } from "../store/database.js";

export const CLOSURE_ERROR = {
  GLOBAL_ADMINISTRATOR_REQUIRED: "GLOBAL_ADMINISTRATOR_REQUIRED",
  CHECKS_FAILED: "CLOSURE_CHECKS_FAILED",
  CONFIRM_DOMAIN_MISMATCH: "CONFIRM_DOMAIN_MISMATCH",
} as const;

/** The closing admin: a signed-in user holding Global Administrator in this tenant. */
export interface ClosureCaller {
  tenant: Tenant;
  userId: string;
}

/**
 * SPEC §1/§6: closing the account is for a Global Administrator of this tenant only, signed in as
 * a user — the steps act on "everyone except the signed-in Global Administrator". Anyone else gets
 * 403 GLOBAL_ADMINISTRATOR_REQUIRED (a caller of another tenant: 404, as everywhere).
 */
export async function authorizeClosure(
  db: Executor,
  actor: Actor,
  tenantId: string,
): Promise<ClosureCaller> {
  const tenant = await loadTenant(db, actor, tenantId);
  try {
    await requirePermission(db, actor, tenantId, "tenant.close");
  } catch (error) {
    if (isAppError(error) && error.code === "INSUFFICIENT_ROLE") throw notGlobalAdministrator();
    throw error;
  }
  if (actor.type !== "user") throw notGlobalAdministrator();
  return { tenant, userId: actor.userId };
}

function notGlobalAdministrator() {
  return forbidden(
    CLOSURE_ERROR.GLOBAL_ADMINISTRATOR_REQUIRED,
    "Only a Global Administrator of this organization, signed in with their own account, can close it, see its deletion checks or run the closure steps.",
    { needed: ["Global Administrator"] },
  );
}

/**
 * The typed confirmation of step 5 and of the guided closure: the organization's initial domain
 * (any letter case, surrounding spaces ignored), else 400 CONFIRM_DOMAIN_MISMATCH.
 */
export function assertConfirmDomain(tenant: Pick<Tenant, "initialDomain">, confirmDomain: string) {
  if (confirmDomain.trim().toLowerCase() === tenant.initialDomain.toLowerCase()) return;
  throw invalid(
    CLOSURE_ERROR.CONFIRM_DOMAIN_MISMATCH,
    "confirmDomain must be the organization's initial domain, exactly as GET /v1.0/organization shows it.",
    { field: "confirmDomain" },
  );
}
