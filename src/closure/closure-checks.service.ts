import { balanceDue } from "../commerce/index.js";
import { syncStatus, type Tenant } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import type { Executor } from "../store/database.js";
import { countApplications, countSubscriptionsByStatus, countUsers } from "./closure.repository.js";
import { authorizeClosure } from "./closure-access.js";
import { type ClosureCheck, type ClosureFacts, evaluateClosureChecks } from "./closure-checks.js";
import type { ClosureLanguage } from "./closure-texts.js";

/** The facts of SPEC §6's deletion checks, read in `db` (a transaction for step 5). */
export async function loadClosureFacts(
  db: Executor,
  tenant: Tenant,
  callerId: string,
  now: Date,
): Promise<ClosureFacts> {
  const tenantId = tenant.id;
  const byStatus = await countSubscriptionsByStatus(db, tenantId);
  let notDeprovisioned = 0;
  for (const [status, n] of byStatus) if (status !== "deprovisioned") notDeprovisioned += n;
  const balance = await balanceDue(db, tenantId, now);
  return {
    callerIsGlobalAdministrator: true,
    otherLiveUsers: await countUsers(db, tenantId, { deleted: false, exceptId: callerId }),
    deletedUsers: await countUsers(db, tenantId, { deleted: true, exceptId: null }),
    sync: syncStatus(tenant),
    syncOffCompletesAt: tenant.syncOffCompletesDateTime,
    applications: await countApplications(db, tenantId),
    activeSubscriptions: byStatus.get("active") ?? 0,
    notDeprovisionedSubscriptions: notDeprovisioned,
    unpaidInvoices: balance.unpaidInvoices.length,
    balanceMinor: balance.balanceMinor,
    currency: balance.currency,
    mfaUsers: await countUsers(db, tenantId, { deleted: false, exceptId: callerId, mfaOn: true }),
  };
}

/**
 * GET …/closure/checks: the deletion checks as they stand now. Reading them needs the same right as
 * closing (Global Administrator), so `callerIsGlobalAdministrator` passes whenever they are shown.
 */
export async function getClosureChecks(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  language: ClosureLanguage = "en-US",
): Promise<ClosureCheck[]> {
  const caller = await authorizeClosure(ctx.db, actor, tenantId);
  const facts = await loadClosureFacts(ctx.db, caller.tenant, caller.userId, ctx.clock.now());
  return evaluateClosureChecks(facts, language);
}
