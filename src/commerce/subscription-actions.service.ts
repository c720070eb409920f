import { recordAudit } from "../audit/index.js";
import { tenantWriteBlocker } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { invalid } from "../shared/app-error.js";
import type { Executor } from "../store/database.js";
import { formatInvoiceNumber } from "./invoice.js";
import { countConsumedUnits } from "./license-count.repository.js";
import type { Subscription } from "./subscription.js";
import { findOldestUnpaidInvoiceOf, sumOtherActiveSeats } from "./subscription.repository.js";
import {
  authorizeSubscriptions,
  hasPaymentMethod,
  loadSubscription,
} from "./subscription-access.js";
import {
  type CancelSubscriptionInput,
  type ChangeSubscriptionInput,
  checkCancelInput,
  checkDeleteConfirmed,
  checkQuantity,
  type DeleteSubscriptionInput,
  type ReactivateSubscriptionInput,
} from "./subscription-input.js";
import type { LifecycleEvent } from "./subscription-lifecycle-state.js";
import { toSubscription } from "./subscription-mappers.js";
import { applySubscriptionEvents } from "./subscription-transition.js";

/**
 * What a Billing Administrator (or Global Administrator) does to a bought subscription (SPEC §3):
 * change its seats or auto-renew, cancel, delete, reactivate. Each runs in one transaction with the
 * tenant row locked: load the facts the rules need, apply the state machine
 * (subscription-lifecycle.ts), write, bill, reschedule and audit — or refuse with the reason and
 * what to do, changing nothing.
 */

export interface ChangedSubscription {
  subscription: Subscription;
  /** The invoice the change issued (more seats, a reactivation), if any. */
  invoiceId: string | null;
}

/**
 * PATCH: seats (not below the licenses assigned, less the other active subscriptions' seats; more
 * seats are invoiced prorated at once, fewer are credited prorated for direct billing) and/or
 * auto-renew (off: recurring billing ends at the term's end; on: needs a payment method).
 */
export async function changeSubscriptionQuantity(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  id: string,
  input: ChangeSubscriptionInput,
): Promise<ChangedSubscription> {
  const quantity = input.quantity === undefined ? undefined : checkQuantity(input.quantity);
  if (input.autoRenew !== undefined && typeof input.autoRenew !== "boolean") {
    throw invalid("AUTO_RENEW_INVALID", "autoRenew is true or false.", { field: "autoRenew" });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const tenant = await authorizeSubscriptions(ctx, trx, actor, tenantId, { lock: true });
    const { row, product } = await loadSubscription(trx, tenantId, id);
    const now = ctx.clock.now();
    const adds = (quantity ?? 0) > Number(row.quantity) || input.autoRenew === true;
    const frozen = adds ? tenantWriteBlocker(tenant) : null;
    if (frozen) throw frozen;
    const events: LifecycleEvent[] = [];
    if (quantity !== undefined) {
      events.push({
        type: "changeQuantity",
        at: now,
        quantity,
        consumedUnits: await countConsumedUnits(trx, tenantId, row.sku_id),
        otherActiveSeats: await sumOtherActiveSeats(trx, tenantId, row.sku_id, row.id),
      });
    }
    if (input.autoRenew !== undefined) {
      events.push({
        type: "setAutoRenew",
        at: now,
        autoRenew: input.autoRenew,
        hasPaymentMethod: await hasPaymentMethod(trx, tenantId, row.payment_method_id),
      });
    }
    // Turning auto-renew back on undoes a cancellation at renewal, reason and all.
    const columns = input.autoRenew === true ? { cancel_reason: null, cancel_feedback: null } : {};
    const applied = await applySubscriptionEvents(ctx, trx, {
      row,
      product,
      events,
      actor,
      columns,
    });
    const invoiceId = applied.invoiceIds.at(-1) ?? null;
    const { before, state } = applied;
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "subscription.update",
      target: { type: "subscription", id },
      details: {
        skuPartNumber: product.skuPartNumber,
        quantity: { from: before.quantity, to: state.quantity },
        autoRenew: { from: before.autoRenew, to: state.autoRenew },
        invoiceId,
      },
    });
    return { subscription: toSubscription(applied.row), invoiceId };
  });
}

/**
 * Cancel with a reason (and optional feedback): `now` disables the subscription at once, with a
 * prorated credit (direct) or, within 7 days of the start or a renewal, a full refund (agreement);
 * `renewal` turns auto-renew off, so it expires at the term's end.
 */
export async function cancelSubscription(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  id: string,
  input: CancelSubscriptionInput,
): Promise<Subscription> {
  checkCancelInput(input);
  return ctx.db
    .transaction()
    .execute((trx) => cancelSubscriptionIn(ctx, trx, actor, tenantId, id, input));
}

/** `cancelSubscription` inside the caller's transaction (the guided closure's batches). */
export async function cancelSubscriptionIn(
  ctx: AppContext,
  trx: Executor,
  actor: Actor,
  tenantId: string,
  id: string,
  input: CancelSubscriptionInput,
): Promise<Subscription> {
  const { reason, feedback, when } = checkCancelInput(input);
  await authorizeSubscriptions(ctx, trx, actor, tenantId, { lock: true });
  const { row, product } = await loadSubscription(trx, tenantId, id);
  const at = ctx.clock.now();
  const event: LifecycleEvent =
    when === "now" ? { type: "cancelNow", at } : { type: "cancelAtRenewal", at };
  const applied = await applySubscriptionEvents(ctx, trx, {
    row,
    product,
    events: [event],
    actor,
    columns: { cancel_reason: reason, cancel_feedback: feedback },
  });
  await recordAudit(ctx, trx, {
    tenantId,
    actor,
    action: "subscription.cancel",
    target: { type: "subscription", id },
    details: {
      skuPartNumber: product.skuPartNumber,
      when,
      reason,
      feedback,
      status: applied.state.status,
      periodEndDateTime: applied.state.periodEndAt.toISOString(),
    },
  });
  return toSubscription(applied.row);
}

/**
 * Deletes a disabled subscription (direct billing, after explicit confirmation): it is marked for
 * deletion and deprovisioned after `TENANTRY_DEPROVISION_DELAY` (72 h by default) unless it is
 * reactivated before. Refused while an invoice of the subscription is unpaid.
 */
export async function deleteSubscription(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  id: string,
  input: DeleteSubscriptionInput,
): Promise<Subscription> {
  checkDeleteConfirmed(input);
  return ctx.db.transaction().execute((trx) => deleteSubscriptionIn(ctx, trx, actor, tenantId, id));
}

/** `deleteSubscription` (confirmed) inside the caller's transaction (the guided closure). */
export async function deleteSubscriptionIn(
  ctx: AppContext,
  trx: Executor,
  actor: Actor,
  tenantId: string,
  id: string,
): Promise<Subscription> {
  await authorizeSubscriptions(ctx, trx, actor, tenantId, { lock: true });
  const { row, product } = await loadSubscription(trx, tenantId, id);
  const unpaid = await findOldestUnpaidInvoiceOf(trx, tenantId, id);
  const applied = await applySubscriptionEvents(ctx, trx, {
    row,
    product,
    actor,
    events: [
      {
        type: "delete",
        at: ctx.clock.now(),
        deprovisionDelayMs: ctx.config.deprovisionDelayMs,
        unpaidInvoice: unpaid
          ? { id: unpaid.id, number: formatInvoiceNumber(Number(unpaid.number)) }
          : null,
      },
    ],
  });
  await recordAudit(ctx, trx, {
    tenantId,
    actor,
    action: "subscription.delete",
    target: { type: "subscription", id },
    details: {
      skuPartNumber: product.skuPartNumber,
      deprovisionDateTime: applied.next?.at.toISOString() ?? null,
    },
  });
  return toSubscription(applied.row);
}

/**
 * Reactivates an expired or disabled subscription (also one marked for deletion, which keeps it),
 * or converts an active trial: a new paid period starts now, invoiced and charged at once. Needs a
 * payment method on file (the one named becomes the subscription's). A deprovisioned subscription
 * cannot come back: contact support.
 */
export async function reactivateSubscription(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  id: string,
  input: ReactivateSubscriptionInput = {},
): Promise<ChangedSubscription> {
  return ctx.db.transaction().execute(async (trx) => {
    const tenant = await authorizeSubscriptions(ctx, trx, actor, tenantId, { lock: true });
    const frozen = tenantWriteBlocker(tenant);
    if (frozen) throw frozen;
    const { row, product } = await loadSubscription(trx, tenantId, id);
    const named = input.paymentMethodId ?? null;
    const canPay = await hasPaymentMethod(trx, tenantId, named ?? row.payment_method_id);
    const applied = await applySubscriptionEvents(ctx, trx, {
      row,
      product,
      actor,
      events: [{ type: "reactivate", at: ctx.clock.now(), hasPaymentMethod: canPay }],
      columns: {
        cancel_reason: null,
        cancel_feedback: null,
        ...(named ? { payment_method_id: named } : {}),
      },
    });
    const invoiceId = applied.invoiceIds.at(-1) ?? null;
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "subscription.reactivate",
      target: { type: "subscription", id },
      details: {
        skuPartNumber: product.skuPartNumber,
        from: applied.before.status,
        wasTrial: applied.before.isTrial,
        periodEndDateTime: applied.state.periodEndAt.toISOString(),
        invoiceId,
      },
    });
    return { subscription: toSubscription(applied.row), invoiceId };
  });
}
