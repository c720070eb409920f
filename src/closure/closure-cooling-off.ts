import { recordAudit } from "../audit/index.js";
import { ROLES } from "../directory/index.js";
import type { AppContext } from "../shared/app-context.js";
import type { Executor } from "../store/database.js";
import { listRoleHolderIds } from "./closure.repository.js";
import type { ClosureOperationTable } from "./closure.table.js";

/**
 * Tells every other Global Administrator that the organization will be erased when the cooling-off
 * period ends, and that any of them can cancel until then (SPEC §6): an audit entry naming them
 * (the admin center shows it as a banner to each of them).
 */
export async function announceCoolingOff(
  ctx: AppContext,
  trx: Executor,
  operation: ClosureOperationTable,
  endsAt: string,
): Promise<void> {
  const admins = await listRoleHolderIds(
    trx,
    operation.tenant_id,
    ROLES.globalAdministrator.roleTemplateId,
  );
  await recordAudit(ctx, trx, {
    tenantId: operation.tenant_id,
    actor: { type: "system", requestId: `closure-${operation.id}` },
    action: "closure.coolingOff",
    target: { type: "closure", id: operation.id },
    details: {
      coolingOffEndsDateTime: endsAt,
      requestedBy: operation.requested_by,
      notifiedGlobalAdministrators: admins.filter((id) => id !== operation.requested_by),
      cancelWith: "POST /v1.0/organization/closure/cancel",
    },
  });
}
