import { describe, expect, it } from "vitest";
import { DAY, HOUR } from "../shared/clock.js";
import type { BillingModel } from "./subscription.js";
import { transition } from "./subscription-lifecycle.js";
import {
  DISABLED_PHASE_MS,
  EXPIRED_PHASE_MS,
  type LifecycleEvent,
  type LifecycleState,
  nextLifecycle,
  projectedDeprovisionAt,
  type Transition,
} from "./subscription-lifecycle-state.js";
import { LIFECYCLE_ERROR } from "./subscription-refusal.js";

/**
 * SPEC §3's subscription lifecycle, transition by transition: every (state × event × billing
 * model × trial) cell of the state machine, then the dates and amounts of the transitions.
 */

const T0 = new Date("2026-01-15T09:00:00.000Z");
const PERIOD_END = new Date("2026-02-15T09:00:00.000Z");
const EXPIRED_AT = PERIOD_END;
const DISABLED_AT = new Date(PERIOD_END.getTime() + EXPIRED_PHASE_MS);
const MARKED_AT = new Date(DISABLED_AT.getTime() + DAY);
const DELAY = 72 * HOUR;

type Variant = "direct" | "agreement" | "direct trial" | "agreement trial";
const VARIANTS: readonly Variant[] = ["direct", "agreement", "direct trial", "agreement trial"];

/** The states of the table: an active one renewing or not, and every later status. */
const STATES = [
  "active",
  "active, not renewing",
  "expired",
  "disabled",
  "disabled, marked for deletion",
  "deprovisioned",
] as const;
type StateName = (typeof STATES)[number];

function stateOf(name: StateName, variant: Variant): LifecycleState {
  const isTrial = variant.endsWith("trial");
  const billingModel = variant.split(" ")[0] as BillingModel;
  const base: LifecycleState = {
    status: "active",
    billingModel,
    term: "monthly",
    isTrial,
    autoRenew: !isTrial,
    quantity: 5,
    periodStartAt: T0,
    periodEndAt: PERIOD_END,
    statusChangedAt: T0,
    cancelledAt: null,
    markedForDeletionAt: null,
    deprovisionAt: null,
  };
  const lapsed = { ...base, autoRenew: false };
  switch (name) {
    case "active":
      return base;
    case "active, not renewing":
      return { ...lapsed, cancelledAt: isTrial ? null : new Date(T0.getTime() + DAY) };
    case "expired":
      return { ...lapsed, status: "expired", statusChangedAt: EXPIRED_AT };
    case "disabled":
      return { ...lapsed, status: "disabled", statusChangedAt: DISABLED_AT };
    case "disabled, marked for deletion":
      return {
        ...lapsed,
        status: "disabled",
        statusChangedAt: DISABLED_AT,
        markedForDeletionAt: MARKED_AT,
        deprovisionAt: new Date(MARKED_AT.getTime() + DELAY),
      };
    case "deprovisioned":
      return {
        ...lapsed,
        status: "deprovisioned",
        statusChangedAt: new Date(DISABLED_AT.getTime() + DISABLED_PHASE_MS),
      };
  }
}

/** When a user acts: 2 days (inside agreement's 7-day window) or 10 days into the period. */
function actAt(state: LifecycleState, lateInPeriod: boolean): Date {
  if (state.status !== "active") return new Date(state.statusChangedAt.getTime() + DAY);
  return new Date(state.periodStartAt.getTime() + (lateInPeriod ? 10 : 2) * DAY);
}

/** A time-driven event at the time it falls due (or, when it is not the one due, a year later). */
function timeEvent(type: "renew" | "lapse" | "disable" | "deprovision") {
  return (state: LifecycleState): LifecycleEvent => ({
    type,
    at: nextLifecycle(state)?.at ?? new Date(state.statusChangedAt.getTime() + 365 * DAY),
  });
}

const EVENTS = {
  renew: timeEvent("renew"),
  lapse: timeEvent("lapse"),
  disable: timeEvent("disable"),
  deprovision: timeEvent("deprovision"),
  "cancel now, day 2": (s) => ({ type: "cancelNow", at: actAt(s, false) }),
  "cancel now, day 10": (s) => ({ type: "cancelNow", at: actAt(s, true) }),
  "cancel at renewal": (s) => ({ type: "cancelAtRenewal", at: actAt(s, true) }),
  "auto-renew on": (s) => ({
    type: "setAutoRenew",
    at: actAt(s, true),
    autoRenew: true,
    hasPaymentMethod: true,
  }),
  "auto-renew off": (s) => ({
    type: "setAutoRenew",
    at: actAt(s, true),
    autoRenew: false,
    hasPaymentMethod: true,
  }),
  delete: (s) => ({
    type: "delete",
    at: actAt(s, true),
    deprovisionDelayMs: DELAY,
    unpaidInvoice: null,
  }),
  "delete with an unpaid invoice": (s) => ({
    type: "delete",
    at: actAt(s, true),
    deprovisionDelayMs: DELAY,
    unpaidInvoice: { id: "inv-1", number: "INV-000007" },
  }),
  reactivate: (s) => ({ type: "reactivate", at: actAt(s, true), hasPaymentMethod: true }),
  "reactivate without a payment method": (s) => ({
    type: "reactivate",
    at: actAt(s, true),
    hasPaymentMethod: false,
  }),
  "more seats": (s) => quantity(s, 8, false),
  "30 seats": (s) => quantity(s, 30, false),
  "fewer seats, day 2": (s) => quantity(s, 3, false),
  "fewer seats, day 10": (s) => quantity(s, 3, true),
  "fewer seats than assigned": (s) => ({ ...quantity(s, 3, false), consumedUnits: 4 }),
} satisfies Record<string, (state: LifecycleState) => LifecycleEvent>;
type EventName = keyof typeof EVENTS;

function quantity(state: LifecycleState, seats: number, late: boolean): LifecycleEvent {
  return {
    type: "changeQuantity",
    at: actAt(state, late),
    quantity: seats,
    consumedUnits: 0,
    otherActiveSeats: 0,
  };
}

/** A cell's outcome in one line: the new state and its effects, or ✗ and the refusal's code. */
function summarize(result: Transition): string {
  if (!result.ok) return `✗ ${result.refusal.code}`;
  const s = result.state;
  const words = [
    s.status,
    s.autoRenew ? "renewing" : null,
    s.isTrial ? "trial" : null,
    s.markedForDeletionAt ? "marked" : null,
  ].filter(Boolean);
  const effects = result.effects.map((e) => e.type);
  return `${words.join(" ")}${effects.length ? ` [${effects.join(", ")}]` : ""}`;
}

type Expected = string | Partial<Record<Variant | "paid" | "trial", string>>;

/** The same outcome for every variant, or per variant ("paid" = both non-trial, "trial" = both trials). */
function expectedFor(expected: Expected, variant: Variant): string | undefined {
  if (typeof expected === "string") return expected;
  const group = variant.endsWith("trial") ? "trial" : "paid";
  return expected[variant] ?? expected[group];
}

const E = LIFECYCLE_ERROR;
const NOT_DUE = `✗ ${E.NOT_DUE}`;
const GONE = `✗ ${E.DEPROVISIONED}`;
const NOT_ACTIVE = `✗ ${E.NOT_ACTIVE}`;
const TRIAL_NO_RENEW = `✗ ${E.TRIAL_DOES_NOT_RENEW}`;
const AGREEMENT_NO_DELETE = `✗ ${E.DELETE_AGREEMENT}`;
const ALREADY_DISABLED = `✗ ${E.ALREADY_DISABLED}`;

/** Rows: events; columns: states. Every cell is listed; the completeness test below checks it. */
const TABLE: Record<EventName, Record<StateName, Expected>> = {
  renew: {
    active: { paid: "active renewing [chargePeriod]", trial: NOT_DUE },
    "active, not renewing": NOT_DUE,
    expired: NOT_DUE,
    disabled: NOT_DUE,
    "disabled, marked for deletion": NOT_DUE,
    deprovisioned: GONE,
  },
  lapse: {
    active: { paid: NOT_DUE, trial: "expired trial" },
    "active, not renewing": { paid: "expired", trial: "expired trial" },
    expired: NOT_DUE,
    disabled: NOT_DUE,
    "disabled, marked for deletion": NOT_DUE,
    deprovisioned: GONE,
  },
  disable: {
    active: NOT_DUE,
    "active, not renewing": NOT_DUE,
    expired: { paid: "disabled", trial: "disabled trial" },
    disabled: NOT_DUE,
    "disabled, marked for deletion": NOT_DUE,
    deprovisioned: GONE,
  },
  deprovision: {
    active: NOT_DUE,
    "active, not renewing": NOT_DUE,
    expired: NOT_DUE,
    disabled: { paid: "deprovisioned", trial: "deprovisioned trial" },
    "disabled, marked for deletion": {
      paid: "deprovisioned marked",
      trial: "deprovisioned trial marked",
    },
    deprovisioned: GONE,
  },
  "cancel now, day 2": {
    active: {
      direct: "disabled [creditProrated]",
      agreement: "disabled [refundPeriod]",
      trial: "disabled trial",
    },
    "active, not renewing": {
      direct: "disabled [creditProrated]",
      agreement: "disabled [refundPeriod]",
      trial: "disabled trial",
    },
    expired: {
      direct: "disabled",
      agreement: `✗ ${E.CANCEL_WINDOW_CLOSED}`,
      trial: "disabled trial",
    },
    disabled: ALREADY_DISABLED,
    "disabled, marked for deletion": ALREADY_DISABLED,
    deprovisioned: GONE,
  },
  "cancel now, day 10": {
    active: {
      direct: "disabled [creditProrated]",
      agreement: `✗ ${E.CANCEL_WINDOW_CLOSED}`,
      trial: "disabled trial",
    },
    "active, not renewing": {
      direct: "disabled [creditProrated]",
      agreement: `✗ ${E.CANCEL_WINDOW_CLOSED}`,
      trial: "disabled trial",
    },
    expired: {
      direct: "disabled",
      agreement: `✗ ${E.CANCEL_WINDOW_CLOSED}`,
      trial: "disabled trial",
    },
    disabled: ALREADY_DISABLED,
    "disabled, marked for deletion": ALREADY_DISABLED,
    deprovisioned: GONE,
  },
  "cancel at renewal": {
    active: { paid: "active", trial: TRIAL_NO_RENEW },
    "active, not renewing": { paid: `✗ ${E.ALREADY_CANCELLED}`, trial: TRIAL_NO_RENEW },
    expired: NOT_ACTIVE,
    disabled: NOT_ACTIVE,
    "disabled, marked for deletion": NOT_ACTIVE,
    deprovisioned: GONE,
  },
  "auto-renew on": {
    active: { paid: "active renewing", trial: TRIAL_NO_RENEW },
    "active, not renewing": { paid: "active renewing", trial: TRIAL_NO_RENEW },
    expired: NOT_ACTIVE,
    disabled: NOT_ACTIVE,
    "disabled, marked for deletion": NOT_ACTIVE,
    deprovisioned: GONE,
  },
  "auto-renew off": {
    active: { paid: "active", trial: TRIAL_NO_RENEW },
    "active, not renewing": { paid: "active", trial: TRIAL_NO_RENEW },
    expired: NOT_ACTIVE,
    disabled: NOT_ACTIVE,
    "disabled, marked for deletion": NOT_ACTIVE,
    deprovisioned: GONE,
  },
  delete: {
    active: { "direct trial": `✗ ${E.DELETE_ACTIVE}`, direct: `✗ ${E.DELETE_ACTIVE}` },
    "active, not renewing": {
      "direct trial": `✗ ${E.DELETE_ACTIVE}`,
      direct: `✗ ${E.DELETE_ACTIVE}`,
    },
    expired: { direct: `✗ ${E.DELETE_NOT_DISABLED}`, "direct trial": `✗ ${E.DELETE_NOT_DISABLED}` },
    disabled: { direct: "disabled marked", "direct trial": "disabled trial marked" },
    "disabled, marked for deletion": `✗ ${E.ALREADY_MARKED}`,
    deprovisioned: GONE,
  },
  "delete with an unpaid invoice": {
    active: { direct: `✗ ${E.DELETE_ACTIVE}`, "direct trial": `✗ ${E.DELETE_ACTIVE}` },
    "active, not renewing": {
      direct: `✗ ${E.DELETE_ACTIVE}`,
      "direct trial": `✗ ${E.DELETE_ACTIVE}`,
    },
    expired: { direct: `✗ ${E.DELETE_NOT_DISABLED}`, "direct trial": `✗ ${E.DELETE_NOT_DISABLED}` },
    disabled: `✗ ${E.INVOICE_UNPAID}`,
    "disabled, marked for deletion": `✗ ${E.ALREADY_MARKED}`,
    deprovisioned: GONE,
  },
  reactivate: {
    active: { paid: `✗ ${E.ALREADY_ACTIVE}`, trial: "active renewing [chargePeriod]" },
    "active, not renewing": {
      paid: `✗ ${E.ALREADY_ACTIVE}`,
      trial: "active renewing [chargePeriod]",
    },
    expired: "active renewing [chargePeriod]",
    disabled: "active renewing [chargePeriod]",
    "disabled, marked for deletion": "active renewing [chargePeriod]",
    deprovisioned: GONE,
  },
  "reactivate without a payment method": {
    active: { paid: `✗ ${E.ALREADY_ACTIVE}`, trial: `✗ ${E.PAYMENT_METHOD_REQUIRED}` },
    "active, not renewing": {
      paid: `✗ ${E.ALREADY_ACTIVE}`,
      trial: `✗ ${E.PAYMENT_METHOD_REQUIRED}`,
    },
    expired: `✗ ${E.PAYMENT_METHOD_REQUIRED}`,
    disabled: `✗ ${E.PAYMENT_METHOD_REQUIRED}`,
    "disabled, marked for deletion": `✗ ${E.PAYMENT_METHOD_REQUIRED}`,
    deprovisioned: GONE,
  },
  "more seats": {
    active: { paid: "active renewing [chargeProrated]", trial: "active trial" },
    "active, not renewing": { paid: "active [chargeProrated]", trial: "active trial" },
    expired: NOT_ACTIVE,
    disabled: NOT_ACTIVE,
    "disabled, marked for deletion": NOT_ACTIVE,
    deprovisioned: GONE,
  },
  "30 seats": {
    active: { paid: "active renewing [chargeProrated]", trial: `✗ ${E.TRIAL_SEAT_LIMIT}` },
    "active, not renewing": { paid: "active [chargeProrated]", trial: `✗ ${E.TRIAL_SEAT_LIMIT}` },
    expired: NOT_ACTIVE,
    disabled: NOT_ACTIVE,
    "disabled, marked for deletion": NOT_ACTIVE,
    deprovisioned: GONE,
  },
  "fewer seats, day 2": {
    active: { paid: "active renewing [creditProrated]", trial: "active trial" },
    "active, not renewing": { paid: "active [creditProrated]", trial: "active trial" },
    expired: NOT_ACTIVE,
    disabled: NOT_ACTIVE,
    "disabled, marked for deletion": NOT_ACTIVE,
    deprovisioned: GONE,
  },
  "fewer seats, day 10": {
    active: {
      direct: "active renewing [creditProrated]",
      agreement: `✗ ${E.REDUCTION_WINDOW_CLOSED}`,
      trial: "active trial",
    },
    "active, not renewing": {
      direct: "active [creditProrated]",
      agreement: `✗ ${E.REDUCTION_WINDOW_CLOSED}`,
      trial: "active trial",
    },
    expired: NOT_ACTIVE,
    disabled: NOT_ACTIVE,
    "disabled, marked for deletion": NOT_ACTIVE,
    deprovisioned: GONE,
  },
  "fewer seats than assigned": {
    active: `✗ ${E.BELOW_ASSIGNED}`,
    "active, not renewing": `✗ ${E.BELOW_ASSIGNED}`,
    expired: NOT_ACTIVE,
    disabled: NOT_ACTIVE,
    "disabled, marked for deletion": NOT_ACTIVE,
    deprovisioned: GONE,
  },
};

/** Agreement subscriptions are never deleted by hand (SPEC §3). */
for (const event of ["delete", "delete with an unpaid invoice"] as const) {
  for (const state of STATES) {
    const row = TABLE[event][state];
    if (state === "deprovisioned") continue;
    const direct = typeof row === "string" ? { paid: row, trial: row } : row;
    TABLE[event][state] = {
      ...direct,
      agreement: AGREEMENT_NO_DELETE,
      "agreement trial": AGREEMENT_NO_DELETE,
    };
  }
}

const CELLS = Object.entries(TABLE).flatMap(([event, row]) =>
  STATES.flatMap((state) =>
    VARIANTS.map((variant) => ({
      event: event as EventName,
      state,
      variant,
      expected: expectedFor(row[state], variant),
    })),
  ),
);

describe("the subscription state machine, cell by cell", () => {
  it("has an expected outcome for every (state × event × billing model × trial) cell", () => {
    expect(Object.keys(TABLE).sort()).toEqual(Object.keys(EVENTS).sort());
    const missing = CELLS.filter((c) => c.expected === undefined).map(
      (c) => `${c.event} / ${c.state} / ${c.variant}`,
    );
    expect(missing).toEqual([]);
    expect(CELLS).toHaveLength(Object.keys(EVENTS).length * STATES.length * VARIANTS.length);
  });

  for (const cell of CELLS) {
    it(`${cell.event} on ${cell.state} (${cell.variant}) → ${cell.expected}`, () => {
      const state = stateOf(cell.state, cell.variant);
      const event: LifecycleEvent = EVENTS[cell.event](state);
      expect(summarize(transition(state, event))).toBe(cell.expected);
    });
  }
});

function applied(state: LifecycleState, event: LifecycleEvent) {
  const result = transition(state, event);
  if (!result.ok) throw new Error(`refused: ${result.refusal.code} ${result.refusal.message}`);
  return result;
}

function refused(state: LifecycleState, event: LifecycleEvent) {
  const result = transition(state, event);
  if (result.ok) throw new Error("expected a refusal");
  return result.refusal;
}

describe("time-driven transitions", () => {
  const active = stateOf("active", "direct");

  it("schedules the renewal at the period end while auto-renew is on, the lapse when it is off", () => {
    expect(nextLifecycle(active)).toEqual({ at: PERIOD_END, event: "renew" });
    expect(nextLifecycle(stateOf("active, not renewing", "direct"))).toEqual({
      at: PERIOD_END,
      event: "lapse",
    });
    expect(nextLifecycle(stateOf("active", "direct trial"))).toEqual({
      at: PERIOD_END,
      event: "lapse",
    });
  });

  it("renews into the next calendar month and charges that period for every seat", () => {
    const result = applied(active, { type: "renew", at: PERIOD_END });
    expect(result.state.periodStartAt).toEqual(PERIOD_END);
    expect(result.state.periodEndAt).toEqual(new Date("2026-03-15T09:00:00.000Z"));
    expect(result.effects).toEqual([
      {
        type: "chargePeriod",
        seats: 5,
        periodStartAt: PERIOD_END,
        periodEndAt: new Date("2026-03-15T09:00:00.000Z"),
      },
    ]);
    expect(result.next).toEqual({ at: new Date("2026-03-15T09:00:00.000Z"), event: "renew" });
  });

  it("applies a late event as of its due time, not as of when it ran", () => {
    const late = new Date(PERIOD_END.getTime() + 100 * DAY);
    const lapsed = applied(stateOf("active, not renewing", "direct"), { type: "lapse", at: late });
    expect(lapsed.state.statusChangedAt).toEqual(PERIOD_END);
    expect(lapsed.next).toEqual({ at: DISABLED_AT, event: "disable" });
  });

  it("refuses an event before its time, naming when it is due", () => {
    const early = new Date(PERIOD_END.getTime() - 1);
    const refusal = refused(active, { type: "renew", at: early });
    expect(refusal.code).toBe(LIFECYCLE_ERROR.NOT_DUE);
    expect(refusal.remedy).toEqual({ action: "wait", date: PERIOD_END });
  });

  it("walks a subscription left alone from lapse to deprovisioned: 30 days expired, 90 disabled", () => {
    let state = stateOf("active, not renewing", "direct");
    const steps: string[] = [];
    for (let next = nextLifecycle(state); next; next = nextLifecycle(state)) {
      state = applied(state, { type: next.event, at: next.at }).state;
      steps.push(`${next.event} ${next.at.toISOString()} → ${state.status}`);
    }
    expect(steps).toEqual([
      "lapse 2026-02-15T09:00:00.000Z → expired",
      "disable 2026-03-17T09:00:00.000Z → disabled",
      "deprovision 2026-06-15T09:00:00.000Z → deprovisioned",
    ]);
  });

  it("deprovisions a subscription marked for deletion at its deprovision time", () => {
    const marked = stateOf("disabled, marked for deletion", "direct");
    expect(nextLifecycle(marked)).toEqual({
      at: new Date(MARKED_AT.getTime() + DELAY),
      event: "deprovision",
    });
  });

  it("keeps the natural deprovision date when it comes before the delete's delay ends", () => {
    const disabled = stateOf("disabled", "direct");
    const natural = new Date(DISABLED_AT.getTime() + DISABLED_PHASE_MS);
    const lateDelete = new Date(natural.getTime() - HOUR);
    const marked = applied(disabled, {
      type: "delete",
      at: lateDelete,
      deprovisionDelayMs: DELAY,
      unpaidInvoice: null,
    });
    expect(marked.state.deprovisionAt).toEqual(new Date(lateDelete.getTime() + DELAY));
    expect(marked.next).toEqual({ at: natural, event: "deprovision" });
  });

  it("has nothing due after deprovisioning", () => {
    expect(nextLifecycle(stateOf("deprovisioned", "direct"))).toBeNull();
  });
});

describe("user-driven transitions", () => {
  it("cancel now disables at once and credits the seats from that moment (direct)", () => {
    const at = new Date(T0.getTime() + 10 * DAY);
    const result = applied(stateOf("active", "direct"), { type: "cancelNow", at });
    expect(result.state).toMatchObject({
      status: "disabled",
      statusChangedAt: at,
      cancelledAt: at,
    });
    expect(result.effects).toEqual([{ type: "creditProrated", seats: 5, from: at }]);
    expect(result.next).toEqual({
      at: new Date(at.getTime() + DISABLED_PHASE_MS),
      event: "deprovision",
    });
  });

  it("agreement: cancel now within 7 days refunds the whole period", () => {
    const at = new Date(T0.getTime() + 7 * DAY - 1);
    const result = applied(stateOf("active", "agreement"), { type: "cancelNow", at });
    expect(result.effects).toEqual([{ type: "refundPeriod" }]);
  });

  it("agreement: cancel now after 7 days is refused with the term's end and cancel at renewal", () => {
    const at = new Date(T0.getTime() + 7 * DAY);
    const refusal = refused(stateOf("active", "agreement"), { type: "cancelNow", at });
    expect(refusal.kind).toBe("Blocked");
    expect(refusal.remedy).toEqual({ action: "cancelAtRenewal", date: PERIOD_END });
    expect(refusal.message).toContain("2026-02-15");
    expect(refusal.message).toContain("2026-01-22");
  });

  it("agreement: delete is refused with the day it is deleted automatically", () => {
    const disabled = stateOf("disabled", "agreement");
    const refusal = refused(disabled, {
      type: "delete",
      at: new Date(DISABLED_AT.getTime() + DAY),
      deprovisionDelayMs: DELAY,
      unpaidInvoice: null,
    });
    const date = new Date(DISABLED_AT.getTime() + DISABLED_PHASE_MS);
    expect(refusal.remedy).toEqual({ action: "wait", date });
    expect(refusal.message).toContain(
      `deleted automatically on ${date.toISOString().slice(0, 10)}`,
    );
    expect(projectedDeprovisionAt(stateOf("active", "agreement"))).toEqual(
      new Date(PERIOD_END.getTime() + EXPIRED_PHASE_MS + DISABLED_PHASE_MS),
    );
  });

  it("delete marks a disabled subscription and deprovisions it after the delay", () => {
    const at = new Date(DISABLED_AT.getTime() + DAY);
    const result = applied(stateOf("disabled", "direct"), {
      type: "delete",
      at,
      deprovisionDelayMs: DELAY,
      unpaidInvoice: null,
    });
    expect(result.state).toMatchObject({
      status: "disabled",
      markedForDeletionAt: at,
      deprovisionAt: new Date(at.getTime() + DELAY),
    });
    expect(result.next).toEqual({ at: new Date(at.getTime() + DELAY), event: "deprovision" });
  });

  it("delete with an unpaid invoice names the invoice to pay", () => {
    const refusal = refused(stateOf("disabled", "direct"), {
      type: "delete",
      at: new Date(DISABLED_AT.getTime() + DAY),
      deprovisionDelayMs: DELAY,
      unpaidInvoice: { id: "inv-1", number: "INV-000007" },
    });
    expect(refusal.message).toContain("pay invoice INV-000007");
    expect(refusal.remedy).toEqual({
      action: "payInvoice",
      invoice: { id: "inv-1", number: "INV-000007" },
    });
  });

  it("delete of an active subscription says to cancel it first", () => {
    const refusal = refused(stateOf("active", "direct"), {
      type: "delete",
      at: T0,
      deprovisionDelayMs: DELAY,
      unpaidInvoice: null,
    });
    expect(refusal.message).toContain("Cancel it first");
    expect(refusal.remedy.action).toBe("cancelFirst");
  });

  it("reactivation starts a new paid period now and clears the deletion mark", () => {
    const at = new Date(MARKED_AT.getTime() + HOUR);
    const result = applied(stateOf("disabled, marked for deletion", "direct"), {
      type: "reactivate",
      at,
      hasPaymentMethod: true,
    });
    const end = new Date("2026-04-18T10:00:00.000Z");
    expect(result.state).toMatchObject({
      status: "active",
      autoRenew: true,
      periodStartAt: at,
      periodEndAt: end,
      statusChangedAt: at,
      markedForDeletionAt: null,
      deprovisionAt: null,
      cancelledAt: null,
    });
    expect(result.effects).toEqual([
      { type: "chargePeriod", seats: 5, periodStartAt: at, periodEndAt: end },
    ]);
  });

  it("reactivating an active trial converts it into a paid subscription from now", () => {
    const at = new Date(T0.getTime() + 3 * DAY);
    const result = applied(stateOf("active", "direct trial"), {
      type: "reactivate",
      at,
      hasPaymentMethod: true,
    });
    expect(result.state).toMatchObject({ isTrial: false, autoRenew: true, periodStartAt: at });
  });

  it("a deprovisioned subscription refuses everything and says to contact support", () => {
    const refusal = refused(stateOf("deprovisioned", "direct"), {
      type: "reactivate",
      at: new Date(),
      hasPaymentMethod: true,
    });
    expect(refusal.remedy).toEqual({ action: "contactSupport" });
    expect(refusal.message).toContain("contact support");
  });

  it("refuses fewer seats than the assigned licenses need, with the numbers", () => {
    const refusal = refused(stateOf("active", "direct"), {
      type: "changeQuantity",
      at: T0,
      quantity: 2,
      consumedUnits: 9,
      otherActiveSeats: 4,
    });
    expect(refusal.message).toContain("9 licenses");
    expect(refusal.message).toContain("4 seats");
    expect(refusal.message).toContain("at least 5 seats, not 2");
  });

  it("charges more seats and credits fewer seats from the moment of the change", () => {
    const at = new Date(T0.getTime() + 5 * DAY);
    const state = stateOf("active", "direct");
    const up = applied(state, {
      type: "changeQuantity",
      at,
      quantity: 12,
      consumedUnits: 0,
      otherActiveSeats: 0,
    });
    expect(up.state.quantity).toBe(12);
    expect(up.effects).toEqual([{ type: "chargeProrated", seats: 7, from: at }]);
    const down = applied(state, {
      type: "changeQuantity",
      at,
      quantity: 2,
      consumedUnits: 2,
      otherActiveSeats: 0,
    });
    expect(down.effects).toEqual([{ type: "creditProrated", seats: 3, from: at }]);
  });

  it("turning auto-renew back on needs a payment method and clears the cancellation", () => {
    const state = stateOf("active, not renewing", "direct");
    const at = new Date(T0.getTime() + 3 * DAY);
    expect(
      refused(state, { type: "setAutoRenew", at, autoRenew: true, hasPaymentMethod: false }).code,
    ).toBe(LIFECYCLE_ERROR.PAYMENT_METHOD_REQUIRED);
    const on = applied(state, {
      type: "setAutoRenew",
      at,
      autoRenew: true,
      hasPaymentMethod: true,
    });
    expect(on.state).toMatchObject({ autoRenew: true, cancelledAt: null });
    expect(on.next).toEqual({ at: PERIOD_END, event: "renew" });
  });
});
