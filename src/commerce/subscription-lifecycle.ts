import { addMs } from "../shared/clock.js";
import { MAX_TRIAL_QUANTITY } from "./subscription.js";
import {
  AGREEMENT_CHANGE_WINDOW_MS,
  applied,
  EXPIRED_PHASE_MS,
  type LifecycleEvent,
  type LifecycleState,
  nextLifecycle,
  projectedDeprovisionAt,
  type TimeEventType,
  type Transition,
} from "./subscription-lifecycle-state.js";
import { firstPeriodEnd, nextPeriodEnd } from "./subscription-period.js";
import {
  alreadyDisabled,
  formatDay,
  LIFECYCLE_ERROR,
  notActive,
  paymentMethodRequired,
  refuse,
  trialDoesNotRenew,
} from "./subscription-refusal.js";

/**
 * The subscription lifecycle of SPEC §3 as one pure state machine (states, events and effects in
 * subscription-lifecycle-state.ts, refusals in subscription-refusal.ts): no I/O, no clock — every
 * event carries its time.
 */

/** Applies `event` to `state`, or says why it cannot happen now and what to do. */
export function transition(state: LifecycleState, event: LifecycleEvent): Transition {
  if (state.status === "deprovisioned") {
    return refuse(
      LIFECYCLE_ERROR.DEPROVISIONED,
      "Blocked",
      `This subscription was deprovisioned on ${formatDay(state.statusChangedAt)} and can no longer be changed; contact support.`,
      { action: "contactSupport" },
    );
  }
  switch (event.type) {
    case "renew":
    case "lapse":
    case "disable":
    case "deprovision":
      return applyTimeEvent(state, event.type, event.at);
    case "cancelNow":
      return cancelNow(state, event.at);
    case "cancelAtRenewal":
      return turnOffAutoRenew(state, event.at, "cancel");
    case "setAutoRenew":
      return event.autoRenew
        ? turnOnAutoRenew(state, event.hasPaymentMethod)
        : turnOffAutoRenew(state, event.at, "patch");
    case "delete":
      return markForDeletion(state, event);
    case "reactivate":
      return reactivate(state, event.at, event.hasPaymentMethod);
    case "changeQuantity":
      return changeQuantity(state, event);
  }
}

function applyTimeEvent(state: LifecycleState, type: TimeEventType, at: Date): Transition {
  const due = nextLifecycle(state);
  if (!due || due.event !== type || at < due.at) {
    const what = due ? `${due.event} on ${formatDay(due.at)}` : "nothing";
    return refuse(
      LIFECYCLE_ERROR.NOT_DUE,
      "Conflict",
      `A ${type} is not due for this subscription; next: ${what}.`,
      { action: "wait", ...(due ? { date: due.at } : {}) },
    );
  }
  // Applied as of its due time, however late it runs: a catch-up replays each step at its time.
  const when = due.at;
  switch (type) {
    case "renew": {
      const periodEndAt = nextPeriodEnd(state.periodStartAt, state.periodEndAt, state.term);
      const renewed = { ...state, periodStartAt: state.periodEndAt, periodEndAt };
      return applied(renewed, [
        { type: "chargePeriod", seats: state.quantity, periodStartAt: when, periodEndAt },
      ]);
    }
    case "lapse":
      return applied({ ...state, status: "expired", autoRenew: false, statusChangedAt: when });
    case "disable":
      return applied({ ...state, status: "disabled", statusChangedAt: when });
    case "deprovision":
      return applied({
        ...state,
        status: "deprovisioned",
        autoRenew: false,
        statusChangedAt: when,
      });
  }
}

function cancelNow(state: LifecycleState, at: Date): Transition {
  if (state.status === "disabled") return alreadyDisabled(state);
  const disabled: LifecycleState = {
    ...state,
    status: "disabled",
    autoRenew: false,
    statusChangedAt: at,
    cancelledAt: at,
  };
  // Nothing was paid for a trial, and an expired subscription's paid period is over.
  if (state.isTrial || (state.status === "expired" && state.billingModel === "direct")) {
    return applied(disabled);
  }
  if (state.billingModel === "direct") {
    return applied(disabled, [{ type: "creditProrated", seats: state.quantity, from: at }]);
  }
  const windowEnd = addMs(state.periodStartAt, AGREEMENT_CHANGE_WINDOW_MS);
  if (state.status === "active" && at < windowEnd) {
    return applied(disabled, [{ type: "refundPeriod" }]);
  }
  if (state.status === "expired") {
    const disableAt = addMs(state.statusChangedAt, EXPIRED_PHASE_MS);
    return refuse(
      LIFECYCLE_ERROR.CANCEL_WINDOW_CLOSED,
      "Blocked",
      `Agreement billing allows cancelling only within 7 days of the start or a renewal. This subscription expired on ${formatDay(state.statusChangedAt)} and is disabled automatically on ${formatDay(disableAt)}.`,
      { action: "wait", date: disableAt },
    );
  }
  const ending = state.autoRenew
    ? `Turn off recurring billing (cancel at renewal) instead: it stays active until the term ends on ${formatDay(state.periodEndAt)} and then expires.`
    : `Recurring billing is already off: the term ends on ${formatDay(state.periodEndAt)} and the subscription then expires.`;
  return refuse(
    LIFECYCLE_ERROR.CANCEL_WINDOW_CLOSED,
    "Blocked",
    `Agreement billing allows cancelling with a refund only within 7 days of the start or a renewal, which ended on ${formatDay(windowEnd)}. ${ending}`,
    { action: state.autoRenew ? "cancelAtRenewal" : "wait", date: state.periodEndAt },
  );
}

function turnOffAutoRenew(state: LifecycleState, at: Date, via: "cancel" | "patch"): Transition {
  if (state.status !== "active") return notActive(state, "does not renew");
  if (state.isTrial) return trialDoesNotRenew(state);
  if (!state.autoRenew) {
    if (via === "patch") return applied(state);
    return refuse(
      LIFECYCLE_ERROR.ALREADY_CANCELLED,
      "Conflict",
      `Recurring billing is already off: the subscription expires at the end of its term on ${formatDay(state.periodEndAt)}.`,
      { action: "wait", date: state.periodEndAt },
    );
  }
  return applied({ ...state, autoRenew: false, cancelledAt: at });
}

function turnOnAutoRenew(state: LifecycleState, hasPaymentMethod: boolean): Transition {
  if (state.status !== "active") return notActive(state, "cannot renew");
  if (state.isTrial) return trialDoesNotRenew(state);
  if (state.autoRenew) return applied(state);
  if (!hasPaymentMethod) return paymentMethodRequired("Renewing");
  return applied({ ...state, autoRenew: true, cancelledAt: null });
}

function markForDeletion(
  state: LifecycleState,
  event: Extract<LifecycleEvent, { type: "delete" }>,
): Transition {
  if (state.billingModel === "agreement") {
    const date = projectedDeprovisionAt(state);
    const renewing = state.status === "active" && state.autoRenew && !state.isTrial;
    const when = date ? ` on ${formatDay(date)}` : "";
    return refuse(
      LIFECYCLE_ERROR.DELETE_AGREEMENT,
      "Blocked",
      renewing
        ? `A subscription billed under an agreement cannot be deleted. Turn off recurring billing (cancel at renewal): it is then deleted automatically${when}.`
        : `A subscription billed under an agreement cannot be deleted; it is deleted automatically${when}.`,
      { action: renewing ? "cancelAtRenewal" : "wait", ...(date ? { date } : {}) },
    );
  }
  if (state.status === "active") {
    return refuse(
      LIFECYCLE_ERROR.DELETE_ACTIVE,
      "Blocked",
      "Only a disabled subscription can be deleted; this one is active. Cancel it first (cancel now disables it at once), then delete it.",
      { action: "cancelFirst" },
    );
  }
  if (state.status === "expired") {
    const disableAt = addMs(state.statusChangedAt, EXPIRED_PHASE_MS);
    return refuse(
      LIFECYCLE_ERROR.DELETE_NOT_DISABLED,
      "Blocked",
      `Only a disabled subscription can be deleted; this one expired and is disabled automatically on ${formatDay(disableAt)}. To delete it sooner, cancel it now first.`,
      { action: "cancelFirst", date: disableAt },
    );
  }
  if (state.markedForDeletionAt) {
    const at = nextLifecycle(state)?.at ?? state.deprovisionAt ?? state.markedForDeletionAt;
    return refuse(
      LIFECYCLE_ERROR.ALREADY_MARKED,
      "Conflict",
      `This subscription is already marked for deletion and is deprovisioned on ${formatDay(at)}; reactivate it before then to keep it.`,
      { action: "wait", date: at },
    );
  }
  if (event.unpaidInvoice) {
    return refuse(
      LIFECYCLE_ERROR.INVOICE_UNPAID,
      "Blocked",
      `Invoice ${event.unpaidInvoice.number} of this subscription is unpaid; pay invoice ${event.unpaidInvoice.number}, then delete the subscription.`,
      { action: "payInvoice", invoice: event.unpaidInvoice },
    );
  }
  return applied({
    ...state,
    markedForDeletionAt: event.at,
    deprovisionAt: addMs(event.at, event.deprovisionDelayMs),
  });
}

function reactivate(state: LifecycleState, at: Date, hasPaymentMethod: boolean): Transition {
  if (state.status === "active" && !state.isTrial) {
    return refuse(
      LIFECYCLE_ERROR.ALREADY_ACTIVE,
      "Conflict",
      `This subscription is already active, until ${formatDay(state.periodEndAt)}.`,
      { action: "wait", date: state.periodEndAt },
    );
  }
  if (!hasPaymentMethod) return paymentMethodRequired("Reactivating");
  // A paid period starts now, for a trial converted early too.
  const periodEndAt = firstPeriodEnd(at, state.term);
  const active: LifecycleState = {
    ...state,
    status: "active",
    isTrial: false,
    autoRenew: true,
    periodStartAt: at,
    periodEndAt,
    statusChangedAt: state.status === "active" ? state.statusChangedAt : at,
    cancelledAt: null,
    markedForDeletionAt: null,
    deprovisionAt: null,
  };
  return applied(active, [
    { type: "chargePeriod", seats: state.quantity, periodStartAt: at, periodEndAt },
  ]);
}

function changeQuantity(
  state: LifecycleState,
  event: Extract<LifecycleEvent, { type: "changeQuantity" }>,
): Transition {
  if (state.status !== "active") return notActive(state, "cannot change seats");
  const { quantity, at } = event;
  const needed = event.consumedUnits - event.otherActiveSeats;
  if (quantity < needed) {
    return refuse(
      LIFECYCLE_ERROR.BELOW_ASSIGNED,
      "Blocked",
      `${event.consumedUnits} licenses of this product are assigned and the other active subscriptions of it have ${event.otherActiveSeats} seats, so this one needs at least ${needed} seats, not ${quantity}. Remove licenses from users first.`,
      { action: "removeLicenses" },
    );
  }
  if (state.isTrial && quantity > MAX_TRIAL_QUANTITY) {
    return refuse(
      LIFECYCLE_ERROR.TRIAL_SEAT_LIMIT,
      "Invalid",
      `A trial has at most ${MAX_TRIAL_QUANTITY} seats; reactivate it with a payment method to buy more.`,
      { action: "reactivate" },
    );
  }
  const delta = quantity - state.quantity;
  if (delta === 0) return applied(state);
  const changed = { ...state, quantity };
  if (state.isTrial) return applied(changed);
  if (delta > 0) return applied(changed, [{ type: "chargeProrated", seats: delta, from: at }]);
  if (state.billingModel === "agreement") {
    const windowEnd = addMs(state.periodStartAt, AGREEMENT_CHANGE_WINDOW_MS);
    if (at >= windowEnd) {
      return refuse(
        LIFECYCLE_ERROR.REDUCTION_WINDOW_CLOSED,
        "Blocked",
        `Agreement billing allows fewer seats only within 7 days of the start or a renewal, which ended on ${formatDay(windowEnd)}; reduce the seats within 7 days after the renewal on ${formatDay(state.periodEndAt)}.`,
        { action: "wait", date: state.periodEndAt },
      );
    }
  }
  return applied(changed, [{ type: "creditProrated", seats: -delta, from: at }]);
}
