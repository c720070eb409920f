/**
 * Subscriptions (SPEC §3): seats of one product, bought by a tenant, with a lifecycle
 * `active → expired → disabled → deprovisioned` (subscription-lifecycle.ts holds the rules).
 */

export const SUBSCRIPTION_STATUSES = ["active", "expired", "disabled", "deprovisioned"] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * `direct`: cancel any time, with a prorated credit. `agreement`: cancel with a full refund only
 * within 7 days of the start or a renewal; afterwards only turn recurring billing off.
 */
export const BILLING_MODELS = ["direct", "agreement"] as const;
export type BillingModel = (typeof BILLING_MODELS)[number];

export const TERMS = ["monthly", "annual"] as const;
export type Term = (typeof TERMS)[number];

/** Why an admin cancels (SPEC §3), as Microsoft 365 asks it. */
export const CANCELLATION_REASONS = [
  "too_expensive",
  "missing_features",
  "switched_service",
  "unused",
  "customer_service",
  "too_complex",
  "low_quality",
  "other",
] as const;
export type CancellationReason = (typeof CANCELLATION_REASONS)[number];

/** "now": disabled at once (with a credit); "renewal": auto-renew off, it lapses at the period end. */
export const CANCEL_WHEN = ["now", "renewal"] as const;
export type CancelWhen = (typeof CANCEL_WHEN)[number];

export const MIN_QUANTITY = 1;
export const MAX_QUANTITY = 10_000;
/** A trial is for trying out, not for running the organization on. */
export const MAX_TRIAL_QUANTITY = 25;
export const MAX_FEEDBACK_LENGTH = 2000;

/** A subscription as services hand it out: the row in camelCase, plus the product's part number. */
export interface Subscription {
  tenantId: string;
  id: string;
  skuId: string;
  skuPartNumber: string;
  quantity: number;
  billingModel: BillingModel;
  term: Term;
  status: SubscriptionStatus;
  isTrial: boolean;
  autoRenew: boolean;
  startAt: Date;
  periodStartAt: Date;
  periodEndAt: Date;
  statusChangedAt: Date;
  nextLifecycleAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: CancellationReason | null;
  cancelFeedback: string | null;
  markedForDeletionAt: Date | null;
  deprovisionAt: Date | null;
  /** The method renewals charge; null: the tenant's default method. */
  paymentMethodId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function isSubscriptionStatus(value: string): value is SubscriptionStatus {
  return (SUBSCRIPTION_STATUSES as readonly string[]).includes(value);
}

export function isBillingModel(value: string): value is BillingModel {
  return (BILLING_MODELS as readonly string[]).includes(value);
}

export function isTerm(value: string): value is Term {
  return (TERMS as readonly string[]).includes(value);
}

export function isCancellationReason(value: string): value is CancellationReason {
  return (CANCELLATION_REASONS as readonly string[]).includes(value);
}
