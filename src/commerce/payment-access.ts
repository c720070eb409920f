import { loadTenant, requirePermission } from "../directory/directory-access.js";
import type { Actor } from "../shared/actor.js";
import type { Executor } from "../store/database.js";
import { type Engine, supportsRowLocks } from "../store/engine.js";

/**
 * The preamble of every payment-method, invoice and balance use case: the tenant (another tenant's
 * caller learns nothing: 404) and an actor allowed to manage billing — a Billing Administrator or
 * a Global Administrator (SPEC §1). A tenant being closed still pays its invoices: an unpaid
 * balance is one of the closure's blockers (SPEC §6), so billing is not frozen with it.
 * `lockTenant` (the store's engine) holds the tenant row until the transaction ends, so changes to
 * the tenant's payment methods (which one is the default) happen one after another.
 */
export async function authorizeBilling(
  db: Executor,
  actor: Actor,
  tenantId: string,
  options: { lockTenant?: Engine } = {},
): Promise<void> {
  const lock = options.lockTenant;
  await loadTenant(db, actor, tenantId, {
    forUpdate: lock !== undefined,
    rowLocks: lock !== undefined && supportsRowLocks(lock),
  });
  await requirePermission(db, actor, tenantId, "billing.manage");
}
