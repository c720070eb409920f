import type { Updateable } from "kysely";
import { AppError } from "../shared/app-error.js";
import type { SubscriptionTable } from "./commerce.table.js";
import type {
  BillingModel,
  CancellationReason,
  Subscription,
  SubscriptionStatus,
  Term,
} from "./subscription.js";
import type { SubscriptionRow } from "./subscription.repository.js";
import type { LifecycleState, NextLifecycle } from "./subscription-lifecycle-state.js";
import type { Refusal } from "./subscription-refusal.js";

function dateOrNull(value: string | null): Date | null {
  return value === null ? null : new Date(value);
}

function isoOrNull(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    skuId: row.sku_id,
    skuPartNumber: row.sku_part_number,
    quantity: Number(row.quantity),
    billingModel: row.billing_model as BillingModel,
    term: row.term as Term,
    status: row.status as SubscriptionStatus,
    isTrial: Boolean(row.is_trial),
    autoRenew: Boolean(row.auto_renew),
    startAt: new Date(row.start_at),
    periodStartAt: new Date(row.period_start_at),
    periodEndAt: new Date(row.period_end_at),
    statusChangedAt: new Date(row.status_changed_at),
    nextLifecycleAt: dateOrNull(row.next_lifecycle_at),
    cancelledAt: dateOrNull(row.cancelled_at),
    cancelReason: row.cancel_reason as CancellationReason | null,
    cancelFeedback: row.cancel_feedback,
    markedForDeletionAt: dateOrNull(row.marked_for_deletion_at),
    deprovisionAt: dateOrNull(row.deprovision_at),
    paymentMethodId: row.payment_method_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** What the state machine needs of a row. */
export function toLifecycleState(row: SubscriptionRow): LifecycleState {
  const s = toSubscription(row);
  return {
    status: s.status,
    billingModel: s.billingModel,
    term: s.term,
    isTrial: s.isTrial,
    autoRenew: s.autoRenew,
    quantity: s.quantity,
    periodStartAt: s.periodStartAt,
    periodEndAt: s.periodEndAt,
    statusChangedAt: s.statusChangedAt,
    cancelledAt: s.cancelledAt,
    markedForDeletionAt: s.markedForDeletionAt,
    deprovisionAt: s.deprovisionAt,
  };
}

/** The columns a lifecycle state sets, with the next time-driven event's time. */
export function lifecycleColumns(
  state: LifecycleState,
  next: NextLifecycle | null,
): Updateable<SubscriptionTable> {
  return {
    status: state.status,
    is_trial: state.isTrial,
    auto_renew: state.autoRenew,
    quantity: state.quantity,
    period_start_at: state.periodStartAt.toISOString(),
    period_end_at: state.periodEndAt.toISOString(),
    status_changed_at: state.statusChangedAt.toISOString(),
    cancelled_at: isoOrNull(state.cancelledAt),
    marked_for_deletion_at: isoOrNull(state.markedForDeletionAt),
    deprovision_at: isoOrNull(state.deprovisionAt),
    next_lifecycle_at: next ? next.at.toISOString() : null,
  };
}

/**
 * A refusal of the state machine as an AppError: the message says why and what to do, and
 * `details.remedy` carries the same for programs (action, date, invoice).
 */
export function refusalError(refusal: Refusal, subscriptionId: string): AppError {
  const { action, date, invoice } = refusal.remedy;
  return new AppError(refusal.kind, refusal.code, refusal.message, {
    subscriptionId,
    remedy: {
      action,
      ...(date ? { date: date.toISOString() } : {}),
      ...(invoice ? { invoiceId: invoice.id, invoiceNumber: invoice.number } : {}),
    },
  });
}
