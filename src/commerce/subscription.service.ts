import { recordAudit } from "../audit/index.js";
import { tenantWriteBlocker } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { blocked, invalid } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import { scheduleSubscriptionLifecycle } from "./commerce-jobs.js";
import { findProductByPartNumber } from "./product.service.js";
import { MAX_TRIAL_QUANTITY, type Subscription } from "./subscription.js";
import {
  findSubscriptionRow,
  insertSubscriptionRow,
  listSubscriptionRows,
} from "./subscription.repository.js";
import {
  authorizeSubscriptions,
  hasPaymentMethod,
  loadSubscription,
} from "./subscription-access.js";
import { billLifecycleEffect } from "./subscription-billing.js";
import {
  type BuySubscriptionInput,
  checkBillingModel,
  checkQuantity,
  checkTerm,
} from "./subscription-input.js";
import { type LifecycleState, nextLifecycle } from "./subscription-lifecycle-state.js";
import { toSubscription } from "./subscription-mappers.js";
import { firstPeriodEnd, trialEnd } from "./subscription-period.js";
import { LIFECYCLE_ERROR } from "./subscription-refusal.js";

/**
 * Subscriptions (SPEC §3): buying, listing and reading. Changes to a bought subscription are in
 * subscription-actions.service.ts, the time-driven lifecycle in subscription-schedule.service.ts.
 * Everything is for Billing Administrators and Global Administrators (SPEC §1).
 */

export interface BoughtSubscription {
  subscription: Subscription;
  /** The first invoice (null for a trial). */
  invoiceId: string | null;
}

/**
 * Buys `quantity` seats of a product: an `active` subscription whose first period starts now
 * (monthly: one calendar month; annual: one year; trial: the product's trial days) and, unless it
 * is a trial, its first invoice, charged at once to the named or default card. A payment method
 * on file is required unless it is a trial; a trial is for products that offer one and has at
 * most 25 seats. The purchase, its invoice, its lifecycle job and the audit entry commit together.
 */
export async function buySubscription(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  input: BuySubscriptionInput,
): Promise<BoughtSubscription> {
  const quantity = checkQuantity(input.quantity);
  const term = checkTerm(input.term);
  const billingModel = checkBillingModel(input.billingModel);
  const isTrial = input.trial === true;
  return ctx.db.transaction().execute(async (trx) => {
    const tenant = await authorizeSubscriptions(ctx, trx, actor, tenantId, { lock: true });
    const frozen = tenantWriteBlocker(tenant);
    if (frozen) throw frozen;
    const product = await findProductByPartNumber(trx, input.skuPartNumber);
    if (!product) {
      throw invalid(
        "SKU_UNKNOWN",
        `The catalog has no product with part number "${input.skuPartNumber}"; GET /v1.0/billing/products lists them.`,
        { field: "skuPartNumber" },
      );
    }
    const paymentMethodId = input.paymentMethodId ?? null;
    const canPay = await hasPaymentMethod(trx, tenantId, paymentMethodId);
    if (isTrial) {
      if (product.trialDays === null) {
        throw invalid(
          "TRIAL_NOT_OFFERED",
          `${product.skuPartNumber} has no free trial; buy it with a payment method instead.`,
          { field: "trial" },
        );
      }
      if (quantity > MAX_TRIAL_QUANTITY) {
        throw invalid(
          LIFECYCLE_ERROR.TRIAL_SEAT_LIMIT,
          `A trial has at most ${MAX_TRIAL_QUANTITY} seats, not ${quantity}.`,
          { field: "quantity" },
        );
      }
    } else if (!canPay) {
      throw blocked(
        LIFECYCLE_ERROR.PAYMENT_METHOD_REQUIRED,
        "Buying a subscription needs a payment method on file; add one (POST /v1.0/billing/paymentMethods) or start a free trial.",
        { remedy: { action: "addPaymentMethod" } },
      );
    }

    const now = ctx.clock.now();
    const periodEndAt =
      isTrial && product.trialDays !== null
        ? trialEnd(now, product.trialDays)
        : firstPeriodEnd(now, term);
    const state: LifecycleState = {
      status: "active",
      billingModel,
      term,
      isTrial,
      autoRenew: !isTrial,
      quantity,
      periodStartAt: now,
      periodEndAt,
      statusChangedAt: now,
      cancelledAt: null,
      markedForDeletionAt: null,
      deprovisionAt: null,
    };
    const next = nextLifecycle(state);
    const id = newId();
    const at = now.toISOString();
    await insertSubscriptionRow(trx, {
      tenant_id: tenantId,
      id,
      sku_id: product.skuId,
      quantity,
      billing_model: billingModel,
      term,
      status: "active",
      is_trial: isTrial,
      auto_renew: !isTrial,
      start_at: at,
      period_start_at: at,
      period_end_at: periodEndAt.toISOString(),
      status_changed_at: at,
      next_lifecycle_at: next ? next.at.toISOString() : null,
      cancelled_at: null,
      cancel_reason: null,
      cancel_feedback: null,
      marked_for_deletion_at: null,
      deprovision_at: null,
      payment_method_id: paymentMethodId,
      created_at: at,
      updated_at: at,
    });
    const invoiceId = isTrial
      ? null
      : await billLifecycleEffect(
          ctx,
          trx,
          { tenantId, subscriptionId: id, product, before: state, paymentMethodId, actor },
          { type: "chargePeriod", seats: quantity, periodStartAt: now, periodEndAt },
        );
    await scheduleSubscriptionLifecycle(trx, { tenantId, subscriptionId: id }, next, now);
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "subscription.buy",
      target: { type: "subscription", id },
      details: {
        skuId: product.skuId,
        skuPartNumber: product.skuPartNumber,
        quantity,
        term,
        billingModel,
        isTrial,
        periodEndDateTime: periodEndAt.toISOString(),
        invoiceId,
      },
    });
    const row = await findSubscriptionRow(trx, tenantId, id);
    if (!row) throw new Error(`Subscription ${id} vanished inside its own transaction.`);
    return { subscription: toSubscription(row), invoiceId };
  });
}

/** A page of the tenant's subscriptions in purchase order, deprovisioned ones included. */
export async function listSubscriptions(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  options: { afterId?: string | undefined; limit: number },
): Promise<Subscription[]> {
  await authorizeSubscriptions(ctx, ctx.db, actor, tenantId);
  const rows = await listSubscriptionRows(ctx.db, tenantId, options);
  return rows.map(toSubscription);
}

/** One subscription; a deprovisioned one stays readable (SPEC §3). */
export async function getSubscription(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  id: string,
): Promise<Subscription> {
  await authorizeSubscriptions(ctx, ctx.db, actor, tenantId);
  return toSubscription((await loadSubscription(ctx.db, tenantId, id)).row);
}
