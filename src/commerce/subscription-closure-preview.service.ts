import type { Executor } from "../store/database.js";
import { formatInvoiceNumber } from "./invoice.js";
import { proratedAmount } from "./proration.js";
import type { Subscription } from "./subscription.js";
import { findOldestUnpaidInvoiceOf, sumChargedSince } from "./subscription.repository.js";
import { loadSubscription } from "./subscription-access.js";
import { termPriceMinor } from "./subscription-billing.js";
import { transition } from "./subscription-lifecycle.js";
import { type LifecycleEffect, nextLifecycle } from "./subscription-lifecycle-state.js";
import { toLifecycleState, toSubscription } from "./subscription-mappers.js";
import type { Refusal } from "./subscription-refusal.js";

/** What cancelling now would do to one subscription: the credit it earns, or the refusal. */
export type CancelPreview =
  | { ok: true; creditMinor: number; kind: "prorated" | "refund" | "none" }
  | { ok: false; refusal: Refusal };

/** What deleting would do once it is disabled: when it is deprovisioned, or why it cannot go. */
export type DeletePreview =
  | { ok: true; deprovisionAt: Date; alreadyMarked: boolean }
  | { ok: false; refusal: Refusal };

export interface SubscriptionClosurePreview {
  subscription: Subscription;
  currency: string;
  /** Null unless the subscription is active (only active ones are cancelled by the closure). */
  cancel: CancelPreview | null;
  /** Null once deprovisioned. Assumes an active one was cancelled now first. */
  delete: DeletePreview | null;
}

/**
 * A dry run of the closure's subscription steps (SPEC §6, plan) for one subscription, through the
 * same state machine and pricing as `cancelSubscription` and `deleteSubscription`: cancel now
 * (active only), then delete. Reads only; writes nothing.
 */
export async function previewSubscriptionClosure(
  db: Executor,
  tenantId: string,
  id: string,
  at: Date,
  deprovisionDelayMs: number,
): Promise<SubscriptionClosurePreview> {
  const { row, product } = await loadSubscription(db, tenantId, id);
  const subscription = toSubscription(row);
  let state = toLifecycleState(row);
  const currency = product.currency;
  if (state.status === "deprovisioned") {
    return { subscription, currency, cancel: null, delete: null };
  }
  let cancel: CancelPreview | null = null;
  if (state.status === "active") {
    const result = transition(state, { type: "cancelNow", at });
    if (result.ok) {
      const unit = termPriceMinor(product, state.term);
      const period = { start: state.periodStartAt, end: state.periodEndAt };
      cancel = { ok: true, creditMinor: 0, kind: "none" };
      for (const effect of result.effects) {
        const credit = await creditOf(db, tenantId, id, effect, unit, period);
        if (credit) cancel = { ok: true, ...credit };
      }
      state = result.state;
    } else {
      cancel = { ok: false, refusal: result.refusal };
    }
  }
  let deletion: DeletePreview;
  if (state.status === "disabled" && state.markedForDeletionAt) {
    const due = nextLifecycle(state)?.at ?? state.deprovisionAt ?? at;
    deletion = { ok: true, deprovisionAt: due, alreadyMarked: true };
  } else {
    const unpaid = await findOldestUnpaidInvoiceOf(db, tenantId, id);
    const result = transition(state, {
      type: "delete",
      at,
      deprovisionDelayMs,
      unpaidInvoice: unpaid
        ? { id: unpaid.id, number: formatInvoiceNumber(Number(unpaid.number)) }
        : null,
    });
    deletion = result.ok
      ? { ok: true, deprovisionAt: result.next?.at ?? at, alreadyMarked: false }
      : { ok: false, refusal: result.refusal };
  }
  return { subscription, currency, cancel, delete: deletion };
}

async function creditOf(
  db: Executor,
  tenantId: string,
  id: string,
  effect: LifecycleEffect,
  unitPriceMinor: number,
  period: { start: Date; end: Date },
): Promise<{ creditMinor: number; kind: "prorated" | "refund" } | null> {
  if (effect.type === "creditProrated") {
    const creditMinor = proratedAmount(effect.seats * unitPriceMinor, period, effect.from);
    return { creditMinor, kind: "prorated" };
  }
  if (effect.type === "refundPeriod") {
    const creditMinor = await sumChargedSince(db, tenantId, id, period.start.toISOString());
    return { creditMinor, kind: "refund" };
  }
  return null;
}
