import { recordAudit } from "../audit/index.js";
import { ROLES } from "../directory/index.js";
import type { AppContext } from "../shared/app-context.js";
import type { Executor } from "../store/database.js";
import { listRoleHolderIds } from "./closure.repository.js";
import type { ClosureOperationTable } from "./closure.table.js";
import { inLease, type LeaseHolder } from "./closure-lease.js";
import { updateOperation, updateProgress } from "./guided-closure.repository.js";

/**
 * Starts the cooling-off period (SPEC §6): in one transaction under the worker's lease, the
 * operation waits until `TENANTRY_CLOSURE_COOLING_OFF` has passed (releasing its claim: nothing is
 * due before), and the other Global Administrators are told.
 */
export async function enterCoolingOff(
  holder: LeaseHolder,
  operation: ClosureOperationTable,
): Promise<void> {
  const now = holder.ctx.clock.now();
  const until = new Date(now.getTime() + holder.ctx.config.closureCoolingOffMs).toISOString();
  await inLease(holder, operation, async (trx, current) => {
    const key = { tenantId: current.tenant_id, operationId: current.id, step: "coolingOff" };
    await updateProgress(trx, key, { started_at: now.toISOString(), total: 1 });
    await updateOperation(
      trx,
      { tenantId: current.tenant_id, id: current.id },
      {
        state: "coolingOff",
        cooling_off_until: until,
        lease_owner: null,
        lease_expires_at: null,
        updated_at: now.toISOString(),
      },
    );
    await announceCoolingOff(holder.ctx, trx, current, until);
  });
}

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
