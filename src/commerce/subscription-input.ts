import { invalid } from "../shared/app-error.js";
import {
  type BillingModel,
  CANCEL_WHEN,
  CANCELLATION_REASONS,
  type CancellationReason,
  type CancelWhen,
  isBillingModel,
  isCancellationReason,
  isTerm,
  MAX_FEEDBACK_LENGTH,
  MAX_QUANTITY,
  MIN_QUANTITY,
  type Term,
} from "./subscription.js";

/**
 * What callers ask of subscriptions, checked once in the service (the HTTP schemas check the same
 * at the edge; the CLI and the demo come through here too). Every failure is Invalid (400) naming
 * the field; nothing has been read or written yet.
 */

export interface BuySubscriptionInput {
  skuPartNumber: string;
  quantity: number;
  term: string;
  billingModel: string;
  /** A free trial (products with trial days only): no payment method needed, at most 25 seats. */
  trial?: boolean | undefined;
  /** The card to charge; absent or null: the tenant's default. */
  paymentMethodId?: string | null | undefined;
}

export interface ChangeSubscriptionInput {
  quantity?: number | undefined;
  autoRenew?: boolean | undefined;
}

export interface CancelSubscriptionInput {
  reason: string;
  feedback?: string | null | undefined;
  when: string;
}

export interface DeleteSubscriptionInput {
  /** Must be `true`: deleting leads to deprovisioning (SPEC §3: explicit confirmation). */
  confirm: boolean;
}

export interface ReactivateSubscriptionInput {
  paymentMethodId?: string | null | undefined;
}

export function checkQuantity(quantity: unknown): number {
  if (
    typeof quantity !== "number" ||
    !Number.isInteger(quantity) ||
    quantity < MIN_QUANTITY ||
    quantity > MAX_QUANTITY
  ) {
    throw invalid(
      "QUANTITY_INVALID",
      `quantity must be a whole number of seats from ${MIN_QUANTITY} to ${MAX_QUANTITY}, not ${String(quantity)}.`,
      { field: "quantity" },
    );
  }
  return quantity;
}

export function checkTerm(term: string): Term {
  if (!isTerm(term)) {
    throw invalid("TERM_INVALID", `term must be monthly or annual, not "${term}".`, {
      field: "term",
    });
  }
  return term;
}

export function checkBillingModel(model: string): BillingModel {
  if (!isBillingModel(model)) {
    throw invalid(
      "BILLING_MODEL_INVALID",
      `billingModel must be direct or agreement, not "${model}".`,
      { field: "billingModel" },
    );
  }
  return model;
}

export function checkCancelInput(input: CancelSubscriptionInput): {
  reason: CancellationReason;
  feedback: string | null;
  when: CancelWhen;
} {
  if (!isCancellationReason(input.reason)) {
    throw invalid(
      "CANCELLATION_REASON_INVALID",
      `reason must be one of ${CANCELLATION_REASONS.join(", ")}; not "${input.reason}".`,
      { field: "reason" },
    );
  }
  if (!(CANCEL_WHEN as readonly string[]).includes(input.when)) {
    throw invalid("CANCEL_WHEN_INVALID", `when must be now or renewal, not "${input.when}".`, {
      field: "when",
    });
  }
  const feedback = input.feedback?.trim() || null;
  if (feedback && feedback.length > MAX_FEEDBACK_LENGTH) {
    throw invalid(
      "FEEDBACK_TOO_LONG",
      `feedback is at most ${MAX_FEEDBACK_LENGTH} characters (${feedback.length} given).`,
      { field: "feedback" },
    );
  }
  return { reason: input.reason, feedback, when: input.when as CancelWhen };
}

export function checkDeleteConfirmed(input: DeleteSubscriptionInput): void {
  if (input.confirm !== true) {
    throw invalid(
      "CONFIRMATION_REQUIRED",
      'Deleting a subscription leads to its deprovisioning; confirm with {"confirm": true} or ?confirm=true.',
      { field: "confirm" },
    );
  }
}
