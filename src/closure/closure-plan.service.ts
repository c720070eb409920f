import {
  balanceDue,
  listSubscriptions,
  previewSubscriptionClosure,
  type SubscriptionClosurePreview,
} from "../commerce/index.js";
import { contentTotals } from "../content/index.js";
import { syncStatus } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { countApplications, listUserFacts } from "./closure.repository.js";
import { authorizeClosure } from "./closure-access.js";
import { buildClosurePlan, type ClosurePlan } from "./closure-plan.js";

const PAGE = 500;

/**
 * GET …/closure/plan: what the five steps would do now, for a Global Administrator. Reads only:
 * it writes no row and no audit entry (a test compares every table before and after).
 */
export async function getClosurePlan(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<ClosurePlan> {
  const caller = await authorizeClosure(ctx.db, actor, tenantId);
  const now = ctx.clock.now();
  const users = await listUserFacts(ctx.db, tenantId, caller.userId);
  const idsOf = (deleted: boolean) => users.filter((u) => u.deleted === deleted).map((u) => u.id);
  const subscriptions: SubscriptionClosurePreview[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await listSubscriptions(ctx, actor, tenantId, { afterId, limit: PAGE });
    for (const s of page) {
      if (s.status === "deprovisioned") continue;
      subscriptions.push(
        await previewSubscriptionClosure(
          ctx.db,
          tenantId,
          s.id,
          now,
          ctx.config.deprovisionDelayMs,
        ),
      );
    }
    if (page.length < PAGE) break;
    afterId = page[page.length - 1]?.id;
  }
  const balance = await balanceDue(ctx.db, tenantId, now);
  return buildClosurePlan({
    now,
    sync: syncStatus(caller.tenant),
    syncOffCompletesAt: caller.tenant.syncOffCompletesDateTime,
    users,
    liveContent: await contentTotals(ctx.db, tenantId, idsOf(false)),
    recycleBinContent: await contentTotals(ctx.db, tenantId, idsOf(true)),
    subscriptions,
    applications: await countApplications(ctx.db, tenantId),
    balance: {
      balanceMinor: balance.balanceMinor,
      currency: balance.currency,
      unpaidInvoices: balance.unpaidInvoices.map(({ id, number, amountDueMinor }) => ({
        id,
        number,
        amountDueMinor,
      })),
    },
  });
}
