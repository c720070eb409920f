import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { loadTenant, requirePermission } from "./directory-access.js";
import { turnOffSyncIn, turnOnSyncIn } from "./sync.service.js";
import type { Tenant } from "./tenant.js";
import { updateTenantDisplayNameIn } from "./tenant.service.js";

export interface UpdateOrganizationInput {
  displayName?: string | undefined;
  /** `false` starts turning directory sync off (cannot be cancelled); `true` turns it on. */
  onPremisesSyncEnabled?: boolean | undefined;
}

/**
 * Graph's `PATCH /organization/{id}`: every change in one transaction, so a refused sync change
 * (e.g. sync not on) leaves the name as it was too. An empty change only checks the tenant is
 * visible to the caller.
 */
export async function updateOrganization(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  input: UpdateOrganizationInput,
): Promise<Tenant> {
  return ctx.db.transaction().execute(async (trx) => {
    if (input.displayName !== undefined) {
      await updateTenantDisplayNameIn(ctx, trx, actor, tenantId, input.displayName);
    }
    if (input.onPremisesSyncEnabled === true) await turnOnSyncIn(ctx, trx, actor, tenantId);
    if (input.onPremisesSyncEnabled === false) await turnOffSyncIn(ctx, trx, actor, tenantId);
    const tenant = await loadTenant(trx, actor, tenantId);
    await requirePermission(trx, actor, tenantId, "directory.read");
    return tenant;
  });
}
