import { addMs, DAY } from "../shared/clock.js";
import type { BillingModel, SubscriptionStatus, Term } from "./subscription.js";
import type { Refusal } from "./subscription-refusal.js";

/**
 * The subscription lifecycle of SPEC §3 as one pure state machine: no I/O, no clock (every event
 * carries its time). `transition(state, event)` either applies the event — the new state, the
 * money it moves (`effects`, turned into invoices and credits by the service) and the next
 * time-driven event — or refuses it with the reason and what to do instead.
 *
 *   active ──lapse──▶ expired ──30 d──▶ disabled ──90 d──▶ deprovisioned (terminal)
 *     │  ▲ renew (auto-renew, new period)       │  ▲            ▲
 *     │  └─────────────── reactivate ◀──────────┴──┘            │ delete: marked, deprovisioned
 *     └─────────── cancel now ─────────────────▶ disabled ──────┘ after the configured delay
 */

/** An expired subscription keeps everyone's access this long, then it is disabled. */
export const EXPIRED_PHASE_MS = 30 * DAY;
/** A disabled subscription keeps admin access (to back up) this long, then it is deprovisioned. */
export const DISABLED_PHASE_MS = 90 * DAY;
/** Agreement billing: cancel now (with a full refund) or remove seats only this soon after a (re)start. */
export const AGREEMENT_CHANGE_WINDOW_MS = 7 * DAY;

/** What the rules need to know of a subscription. */
export interface LifecycleState {
  status: SubscriptionStatus;
  billingModel: BillingModel;
  term: Term;
  isTrial: boolean;
  autoRenew: boolean;
  quantity: number;
  periodStartAt: Date;
  periodEndAt: Date;
  /** When the status last changed (the expiry, the disabling, …). */
  statusChangedAt: Date;
  cancelledAt: Date | null;
  markedForDeletionAt: Date | null;
  deprovisionAt: Date | null;
}

/** The events the scheduler applies when their time comes. */
export const TIME_EVENTS = ["renew", "lapse", "disable", "deprovision"] as const;
export type TimeEventType = (typeof TIME_EVENTS)[number];

export type LifecycleEvent =
  /** Auto-renew at the period end: a new period, still active. */
  | { type: "renew"; at: Date }
  /** The period ended without a renewal (auto-renew off, or a trial). */
  | { type: "lapse"; at: Date }
  /** 30 days after the expiry. */
  | { type: "disable"; at: Date }
  /** 90 days after the disabling, or at `deprovisionAt` after a delete. */
  | { type: "deprovision"; at: Date }
  | { type: "cancelNow"; at: Date }
  | { type: "cancelAtRenewal"; at: Date }
  /** PATCH `autoRenew`: off is cancel-at-renewal without a reason, on undoes it. */
  | { type: "setAutoRenew"; at: Date; autoRenew: boolean; hasPaymentMethod: boolean }
  | {
      type: "delete";
      at: Date;
      deprovisionDelayMs: number;
      /** The oldest unpaid invoice with a line of this subscription, if any. */
      unpaidInvoice: { id: string; number: string } | null;
    }
  /** From expired or disabled (also marked for deletion); on an active trial it converts it. */
  | { type: "reactivate"; at: Date; hasPaymentMethod: boolean }
  | {
      type: "changeQuantity";
      at: Date;
      quantity: number;
      /** Licenses of the SKU assigned to users that are not deleted. */
      consumedUnits: number;
      /** Seats of the tenant's other active subscriptions of the SKU. */
      otherActiveSeats: number;
    };

export type LifecycleEventType = LifecycleEvent["type"];

/**
 * Money an applied event moves; the service prices it (seats × the term's price) and turns it into
 * invoices (part C's `issueInvoice`) and credits for the next invoice (`addBillingCredit`).
 */
export type LifecycleEffect =
  /** Invoice a whole new period for `seats` (renewal, reactivation, trial conversion). */
  | { type: "chargePeriod"; seats: number; periodStartAt: Date; periodEndAt: Date }
  /** Invoice `seats` more for the rest of the current period, from `from`. */
  | { type: "chargeProrated"; seats: number; from: Date }
  /** Credit `seats` for the unused rest of the current period, from `from`. */
  | { type: "creditProrated"; seats: number; from: Date }
  /** Credit back everything charged for the current period (agreement, within 7 days). */
  | { type: "refundPeriod" };

export interface NextLifecycle {
  at: Date;
  event: TimeEventType;
}

export type Transition =
  | {
      ok: true;
      state: LifecycleState;
      effects: LifecycleEffect[];
      next: NextLifecycle | null;
    }
  | { ok: false; refusal: Refusal };

/** The time-driven event due next, or null for a deprovisioned subscription. */
export function nextLifecycle(state: LifecycleState): NextLifecycle | null {
  switch (state.status) {
    case "active":
      return {
        at: state.periodEndAt,
        event: state.autoRenew && !state.isTrial ? "renew" : "lapse",
      };
    case "expired":
      return { at: addMs(state.statusChangedAt, EXPIRED_PHASE_MS), event: "disable" };
    case "disabled": {
      const natural = addMs(state.statusChangedAt, DISABLED_PHASE_MS);
      const marked = state.deprovisionAt;
      return { at: marked && marked < natural ? marked : natural, event: "deprovision" };
    }
    case "deprovisioned":
      return null;
  }
}

/**
 * When the subscription is deprovisioned if nobody acts and recurring billing is (turned) off:
 * the date an agreement subscription's delete refusal names.
 */
export function projectedDeprovisionAt(state: LifecycleState): Date | null {
  switch (state.status) {
    case "active":
      return addMs(state.periodEndAt, EXPIRED_PHASE_MS + DISABLED_PHASE_MS);
    case "expired":
      return addMs(state.statusChangedAt, EXPIRED_PHASE_MS + DISABLED_PHASE_MS);
    case "disabled":
      return nextLifecycle(state)?.at ?? null;
    case "deprovisioned":
      return null;
  }
}

/** An applied event: the new state and the time-driven event due next from it. */
export function applied(state: LifecycleState, effects: LifecycleEffect[] = []): Transition {
  return { ok: true, state, effects, next: nextLifecycle(state) };
}
