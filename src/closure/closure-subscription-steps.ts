import { cancelSubscriptionIn, deleteSubscriptionIn } from "../commerce/index.js";
import { isAppError } from "../shared/app-error.js";
import {
  countSubscriptionsByStatus,
  listSubscriptionFacts,
  type SubscriptionFactsRow,
} from "./closure.repository.js";
import type { StepBatchContext, StepBatchResult, StepRunner } from "./closure-step-runners.js";
import type { ClosureBlocker } from "./guided-closure.js";

/**
 * The guided closure's subscription steps (SPEC §3, §6): cancel every active subscription, then
 * delete every disabled one and wait, durably, until all are deprovisioned.
 */

/** When only a person can unblock the step (pay an invoice, wait for a term end), look again then. */
const RECHECK_MS = 60_000;

const tenantId = (sc: StepBatchContext) => sc.operation.tenant_id;

const NOT_DEPROVISIONED = ["active", "expired", "disabled"] as const;

async function countInStatuses(sc: StepBatchContext, statuses: readonly string[]) {
  const byStatus = await countSubscriptionsByStatus(sc.trx, tenantId(sc));
  return statuses.reduce((sum, status) => sum + (byStatus.get(status) ?? 0), 0);
}

export const cancelSubscriptions: StepRunner = {
  total: (sc) => countInStatuses(sc, ["active"]),
  async batch(sc) {
    const rows = await listSubscriptionFacts(sc.trx, tenantId(sc), {
      statuses: ["active"],
      afterId: sc.progress.cursor,
      limit: sc.batchSize,
    });
    const counts = { cancelledNow: 0, cancelledAtRenewal: 0, failed: 0 };
    const input = { reason: sc.operation.reason, feedback: sc.operation.feedback };
    for (const row of rows) {
      const outcome = await cancelOne(sc, row.id, input);
      counts[outcome] += 1;
    }
    return {
      done: rows.length,
      cursor: rows.at(-1)?.id ?? sc.progress.cursor,
      finished: rows.length === 0,
      counts,
    };
  },
};

/**
 * "Cancel now" (direct billing; agreement within 7 days), else "cancel at renewal" (agreement
 * after 7 days: it expires at the term's end and the closure waits for it).
 */
async function cancelOne(
  sc: StepBatchContext,
  id: string,
  input: { reason: string; feedback: string | null },
): Promise<"cancelledNow" | "cancelledAtRenewal" | "failed"> {
  for (const when of ["now", "renewal"] as const) {
    try {
      await cancelSubscriptionIn(sc.ctx, sc.trx, sc.actor, tenantId(sc), id, { ...input, when });
      return when === "now" ? "cancelledNow" : "cancelledAtRenewal";
    } catch (error) {
      if (!isAppError(error)) throw error;
    }
  }
  return "failed";
}

export const deleteDisabledSubscriptions: StepRunner = {
  total: (sc) => countInStatuses(sc, NOT_DEPROVISIONED),
  async batch(sc) {
    const rows = await listSubscriptionFacts(sc.trx, tenantId(sc), {
      statuses: ["disabled"],
      afterId: sc.progress.cursor,
      limit: sc.batchSize,
    });
    const counts = { markedForDeletion: 0, refused: 0 };
    for (const row of rows.filter((r) => r.marked_for_deletion_at === null)) {
      try {
        await deleteSubscriptionIn(sc.ctx, sc.trx, sc.actor, tenantId(sc), row.id);
        counts.markedForDeletion += 1;
      } catch (error) {
        if (!isAppError(error)) throw error;
        counts.refused += 1;
      }
    }
    if (rows.length > 0) {
      return { done: rows.length, cursor: rows.at(-1)?.id ?? null, finished: false, counts };
    }
    return waitForDeprovisioning(sc);
  },
};

/**
 * Every subscription marked; done when all are deprovisioned, else wait for the next one to be
 * (the scheduler deprovisions them) and then look again from the start, since a subscription that
 * expired or was refused meanwhile may be deletable now.
 */
async function waitForDeprovisioning(sc: StepBatchContext): Promise<StepBatchResult> {
  const left = await listSubscriptionFacts(sc.trx, tenantId(sc), {
    statuses: NOT_DEPROVISIONED,
    afterId: null,
    limit: 100_000,
  });
  if (left.length === 0) return { done: 0, cursor: null, finished: true };
  const now = sc.ctx.clock.now().getTime();
  const times = left
    .map((s) => Date.parse(s.deprovision_at ?? s.next_lifecycle_at ?? ""))
    .filter((t) => Number.isFinite(t));
  const next = times.length > 0 ? Math.min(...times) : now + RECHECK_MS;
  const until = new Date(Math.max(next, now) + 1000);
  return {
    done: 0,
    cursor: null,
    finished: false,
    wait: { until, for: "deprovisioning", blockers: left.filter(isStuck).map(blockerOf) },
  };
}

/** Not on its way out by itself: not marked for deletion (refused, or not yet disabled). */
function isStuck(row: SubscriptionFactsRow): boolean {
  return row.marked_for_deletion_at === null;
}

function blockerOf(row: SubscriptionFactsRow): ClosureBlocker {
  const at = row.next_lifecycle_at ?? "its next lifecycle date";
  return {
    code: "SUBSCRIPTION_NOT_DELETABLE_YET",
    message:
      row.status === "disabled"
        ? `Subscription ${row.id} cannot be deleted yet (an unpaid invoice, or billing by agreement); pay what is due, or it is deprovisioned on its own on ${at}.`
        : `Subscription ${row.id} is ${row.status} until ${at} (billing by agreement ends at the term's end); the closure goes on when it is disabled.`,
  };
}
