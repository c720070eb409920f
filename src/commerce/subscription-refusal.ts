import type { LifecycleState, Transition } from "./subscription-lifecycle-state.js";
import { nextLifecycle } from "./subscription-lifecycle-state.js";

/**
 * Refusals of the subscription lifecycle (SPEC §3: anything that cannot happen now is refused
 * with the reason and what to do — a date, an invoice to pay, or support).
 */

/** What the caller can do about a refusal, as a stable word for clients. */
export type RemedyAction =
  | "wait"
  | "cancelAtRenewal"
  | "cancelFirst"
  | "delete"
  | "reactivate"
  | "addPaymentMethod"
  | "payInvoice"
  | "removeLicenses"
  | "contactSupport";

export interface Remedy {
  action: RemedyAction;
  /** When it happens by itself, or becomes possible. */
  date?: Date;
  /** The invoice to pay first. */
  invoice?: { id: string; number: string };
}

export interface Refusal {
  /** Stable UPPER_SNAKE code. */
  code: string;
  /** `Blocked`: valid, but the subscription's state forbids it now; `Conflict`: nothing to do. */
  kind: "Blocked" | "Conflict" | "Invalid";
  message: string;
  remedy: Remedy;
}

/** The refusal codes, for clients and tests. */
export const LIFECYCLE_ERROR = {
  DEPROVISIONED: "SUBSCRIPTION_DEPROVISIONED",
  NOT_DUE: "LIFECYCLE_EVENT_NOT_DUE",
  NOT_ACTIVE: "SUBSCRIPTION_NOT_ACTIVE",
  ALREADY_ACTIVE: "SUBSCRIPTION_ALREADY_ACTIVE",
  ALREADY_DISABLED: "SUBSCRIPTION_ALREADY_DISABLED",
  ALREADY_CANCELLED: "SUBSCRIPTION_ALREADY_CANCELLED",
  ALREADY_MARKED: "SUBSCRIPTION_ALREADY_MARKED_FOR_DELETION",
  CANCEL_WINDOW_CLOSED: "CANCEL_WINDOW_CLOSED",
  REDUCTION_WINDOW_CLOSED: "QUANTITY_REDUCTION_WINDOW_CLOSED",
  TRIAL_DOES_NOT_RENEW: "TRIAL_DOES_NOT_RENEW",
  TRIAL_SEAT_LIMIT: "TRIAL_SEAT_LIMIT",
  DELETE_ACTIVE: "SUBSCRIPTION_ACTIVE",
  DELETE_NOT_DISABLED: "SUBSCRIPTION_NOT_DISABLED",
  DELETE_AGREEMENT: "AGREEMENT_DELETE_REFUSED",
  INVOICE_UNPAID: "INVOICE_UNPAID",
  PAYMENT_METHOD_REQUIRED: "PAYMENT_METHOD_REQUIRED",
  BELOW_ASSIGNED: "QUANTITY_BELOW_ASSIGNED",
} as const;

/** A day as people read it in a message, e.g. 2026-03-15 (UTC); the exact time is in `remedy`. */
export function formatDay(date: Date): string {
  return `${date.toISOString().slice(0, 10)} (UTC)`;
}

export function refuse(
  code: string,
  kind: Refusal["kind"],
  message: string,
  remedy: Remedy,
): Transition {
  return { ok: false, refusal: { code, kind, message, remedy } };
}

export function notActive(state: LifecycleState, what: string): Transition {
  const next = nextLifecycle(state);
  const status = state.status === "expired" ? "expired" : "disabled";
  const then = next
    ? ` It is ${next.event === "disable" ? "disabled" : "deprovisioned"} automatically on ${formatDay(next.at)}; reactivate it to use it again.`
    : "";
  return refuse(
    LIFECYCLE_ERROR.NOT_ACTIVE,
    "Blocked",
    `This subscription is ${status} and ${what}.${then}`,
    { action: "reactivate", ...(next ? { date: next.at } : {}) },
  );
}

export function alreadyDisabled(state: LifecycleState): Transition {
  const next = nextLifecycle(state);
  const at = next?.at ?? state.statusChangedAt;
  const canDelete = state.billingModel === "direct" && !state.markedForDeletionAt;
  return refuse(
    LIFECYCLE_ERROR.ALREADY_DISABLED,
    "Conflict",
    `This subscription is already disabled and is deprovisioned automatically on ${formatDay(at)}${canDelete ? "; delete it to deprovision it sooner" : ""}.`,
    { action: canDelete ? "delete" : "wait", date: at },
  );
}

export function trialDoesNotRenew(state: LifecycleState): Transition {
  return refuse(
    LIFECYCLE_ERROR.TRIAL_DOES_NOT_RENEW,
    "Conflict",
    `A trial never renews by itself: it expires on ${formatDay(state.periodEndAt)} unless you reactivate it with a payment method. To end it sooner, cancel it now.`,
    { action: "reactivate", date: state.periodEndAt },
  );
}

export function paymentMethodRequired(what: string): Transition {
  return refuse(
    LIFECYCLE_ERROR.PAYMENT_METHOD_REQUIRED,
    "Blocked",
    `${what} a subscription needs a payment method on file; add one first.`,
    { action: "addPaymentMethod" },
  );
}
