import { recordAudit } from "../audit/index.js";
import { loadTenant } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { isAppError } from "../shared/app-error.js";
import type { Executor } from "../store/database.js";
import { supportsRowLocks } from "../store/engine.js";
import { scheduleSubscriptionLifecycle } from "./commerce-jobs.js";
import { loadSubscription } from "./subscription-access.js";
import { nextLifecycle, type TimeEventType } from "./subscription-lifecycle-state.js";
import { toLifecycleState } from "./subscription-mappers.js";
import { applySubscriptionEvents } from "./subscription-transition.js";

const SYSTEM: Actor = { type: "system" };

const AUDIT_ACTION: Readonly<Record<TimeEventType, string>> = {
  renew: "subscription.renew",
  lapse: "subscription.expire",
  disable: "subscription.disable",
  deprovision: "subscription.deprovision",
};

/**
 * Scheduler work (SPEC §3): applies the subscription's time-driven transition that is due — as of
 * its due time, not as of now — then schedules the next one. A next one already due is scheduled
 * in the past and picked up by the scheduler's next claim, so a server that was down for 100 days
 * catches up step by step: each renewal with its own invoice, or lapse → expired → disabled →
 * deprovisioned, each with its own timestamps. Each step is one job run, one transaction.
 *
 * Renewals charge the subscription's payment method or the tenant's default. A declined card
 * (or none on file) does not stop the renewal: the subscription stays active and the renewal
 * invoice stays due — the admin pays it (POST /v1.0/billing/invoices/{id}/pay) and an unpaid
 * balance blocks the tenant's deletion; lapsing at once would cut every user's access over a
 * card that merely needs updating.
 *
 * Idempotent: it re-reads the subscription, so a job whose reason went away (reactivated,
 * rescheduled by a user change) does nothing but resynchronize the job with the row.
 */
export async function runSubscriptionLifecycle(
  ctx: AppContext,
  trx: Executor,
  tenantId: string,
  subscriptionId: string,
): Promise<void> {
  try {
    await loadTenant(trx, SYSTEM, tenantId, {
      forUpdate: true,
      rowLocks: supportsRowLocks(ctx.engine),
    });
  } catch (error) {
    // A deleted tenant's subscriptions have no future.
    if (isAppError(error) && error.kind === "NotFound") return;
    throw error;
  }
  const found = await loadSubscription(trx, tenantId, subscriptionId).catch((error: unknown) => {
    if (isAppError(error) && error.kind === "NotFound") return undefined;
    throw error;
  });
  if (!found) return;
  const { row, product } = found;
  const due = nextLifecycle(toLifecycleState(row));
  const now = ctx.clock.now();
  if (!due || due.at > now) {
    await scheduleSubscriptionLifecycle(trx, { tenantId, subscriptionId }, due, now);
    return;
  }
  const applied = await applySubscriptionEvents(ctx, trx, {
    row,
    product,
    actor: SYSTEM,
    events: [{ type: due.event, at: due.at }],
  });
  await recordAudit(ctx, trx, {
    tenantId,
    actor: SYSTEM,
    action: AUDIT_ACTION[due.event],
    target: { type: "subscription", id: subscriptionId },
    details: {
      skuPartNumber: product.skuPartNumber,
      effectiveDateTime: due.at.toISOString(),
      status: applied.state.status,
      periodStartDateTime: applied.state.periodStartAt.toISOString(),
      periodEndDateTime: applied.state.periodEndAt.toISOString(),
      nextLifecycleDateTime: applied.next?.at.toISOString() ?? null,
      invoiceId: applied.invoiceIds.at(-1) ?? null,
    },
  });
}
