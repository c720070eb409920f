import { describe, expect, it } from "vitest";
import { type AppError, isAppError } from "../shared/app-error.js";
import {
  type AssignedLicense,
  type AssignLicenseInput,
  type AssignmentFacts,
  isOverAssigned,
  planLicenseChange,
  type SeatCounts,
} from "./license.js";
import type { Product } from "./product.js";
import {
  capabilityStatusOf,
  capabilityStatusOfSubscription,
  parseSubscribedSkuId,
  provisioningStatusOf,
  subscribedSkuId,
} from "./subscribed-sku.js";
import { SUBSCRIPTION_STATUSES } from "./subscription.js";

const PLAN_A = "11111111-1111-4111-8111-111111111111";
const PLAN_B = "22222222-2222-4222-8222-222222222222";
const SKU = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const OTHER = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
const UNKNOWN = "cccccccc-cccc-4ccc-8ccc-cccccccccccc";

function product(skuId: string, skuPartNumber: string): Product {
  return {
    skuId,
    skuPartNumber,
    displayName: { "en-US": skuPartNumber, "zh-CN": skuPartNumber },
    servicePlans: [
      { servicePlanId: PLAN_A, servicePlanName: "PLAN_A", displayName: "Plan A" },
      { servicePlanId: PLAN_B, servicePlanName: "PLAN_B", displayName: "Plan B" },
    ],
    monthlyPriceMinor: 1000,
    annualPriceMinor: 12000,
    currency: "USD",
    trialDays: null,
  };
}

function facts(
  options: {
    held?: AssignedLicense[];
    seats?: Record<string, Partial<SeatCounts> & { consumed?: number }>;
  } = {},
): AssignmentFacts {
  const seats = new Map(
    Object.entries(options.seats ?? {}).map(([id, s]) => [
      id,
      { enabled: 0, warning: 0, suspended: 0, consumed: 0, ...s },
    ]),
  );
  return {
    userPrincipalName: "ada@contoso.example",
    held: new Map((options.held ?? []).map((l) => [l.skuId, l])),
    products: new Map([
      [SKU, product(SKU, "BUSINESS")],
      [OTHER, product(OTHER, "OTHER")],
    ]),
    seats,
  };
}

function refusal(input: AssignLicenseInput, given: AssignmentFacts): AppError {
  try {
    planLicenseChange(input, given);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const add = (skuId: string, disabledPlans: string[] = []) => ({
  addLicenses: [{ skuId, disabledPlans }],
  removeLicenses: [],
});

describe("planLicenseChange", () => {
  it("adds a SKU with a free seat of an active subscription", () => {
    const change = planLicenseChange(
      add(SKU),
      facts({ seats: { [SKU]: { enabled: 2, consumed: 1 } } }),
    );
    expect(change).toEqual({ add: [{ skuId: SKU, disabledPlans: [] }], update: [], remove: [] });
  });

  it("compares SKU and plan ids case-insensitively and keeps each disabled plan once", () => {
    const change = planLicenseChange(
      add(SKU.toUpperCase(), [PLAN_A.toUpperCase(), PLAN_A]),
      facts({ seats: { [SKU]: { enabled: 1 } } }),
    );
    expect(change.add).toEqual([{ skuId: SKU, disabledPlans: [PLAN_A] }]);
  });

  it("refuses the seat after the last one, naming the SKU and the counts", () => {
    const error = refusal(add(SKU), facts({ seats: { [SKU]: { enabled: 3, consumed: 3 } } }));
    expect(error).toMatchObject({ kind: "Blocked", code: "LICENSE_SEATS_EXHAUSTED" });
    expect(error.message).toContain("BUSINESS");
    expect(error.message).toContain("3 of 3");
    expect(error.details).toMatchObject({ skuId: SKU, enabled: 3, consumed: 3 });
  });

  it("refuses seats that only expired or disabled subscriptions hold", () => {
    for (const seats of [{ warning: 5 }, { suspended: 5 }]) {
      const error = refusal(add(SKU), facts({ seats: { [SKU]: seats } }));
      expect(error).toMatchObject({ kind: "Blocked", code: "LICENSE_SEATS_NOT_ASSIGNABLE" });
      expect(error.message).toContain("Reactivate");
    }
  });

  it("refuses a catalog SKU the organization has no subscription of as bad input", () => {
    expect(refusal(add(OTHER), facts())).toMatchObject({
      kind: "Invalid",
      code: "LICENSE_SKU_NOT_SUBSCRIBED",
    });
  });

  it("refuses a SKU that is not in the catalog", () => {
    expect(refusal(add(UNKNOWN), facts())).toMatchObject({
      kind: "Invalid",
      code: "LICENSE_SKU_UNKNOWN",
    });
  });

  it("refuses a disabled plan that is not a plan of the product", () => {
    const error = refusal(add(SKU, [UNKNOWN]), facts({ seats: { [SKU]: { enabled: 1 } } }));
    expect(error).toMatchObject({ kind: "Invalid", code: "LICENSE_PLAN_UNKNOWN" });
  });

  it("refuses ids that are not GUIDs", () => {
    expect(refusal(add("not-a-guid"), facts())).toMatchObject({ code: "LICENSE_ID_INVALID" });
    expect(refusal(add(SKU, ["x"]), facts({ seats: { [SKU]: { enabled: 1 } } }))).toMatchObject({
      code: "LICENSE_ID_INVALID",
    });
  });

  it("removes a held SKU and refuses to remove one the user does not hold", () => {
    const held = [{ skuId: SKU, disabledPlans: [] }];
    expect(planLicenseChange({ addLicenses: [], removeLicenses: [SKU] }, facts({ held }))).toEqual({
      add: [],
      update: [],
      remove: [SKU],
    });
    const error = refusal({ addLicenses: [], removeLicenses: [OTHER] }, facts({ held }));
    expect(error).toMatchObject({ kind: "Invalid", code: "LICENSE_NOT_ASSIGNED" });
  });

  it("changes the disabled plans of a held SKU without taking a seat, even when none is free", () => {
    const held = [{ skuId: SKU, disabledPlans: [] }];
    const full = { seats: { [SKU]: { enabled: 1, consumed: 1 } }, held };
    expect(planLicenseChange(add(SKU, [PLAN_B]), facts(full))).toEqual({
      add: [],
      update: [{ skuId: SKU, disabledPlans: [PLAN_B] }],
      remove: [],
    });
    expect(planLicenseChange(add(SKU), facts(full))).toEqual({ add: [], update: [], remove: [] });
  });

  it("refuses a SKU named twice, or both added and removed", () => {
    const twice = { addLicenses: [{ skuId: SKU }, { skuId: SKU }], removeLicenses: [] };
    expect(refusal(twice, facts())).toMatchObject({ code: "LICENSE_SKU_REPEATED" });
    const both = { addLicenses: [{ skuId: SKU }], removeLicenses: [SKU] };
    expect(refusal(both, facts())).toMatchObject({ code: "LICENSE_ADD_AND_REMOVE" });
  });

  it("refuses the whole request when one of its parts is refused", () => {
    const input = { addLicenses: [{ skuId: SKU }], removeLicenses: [OTHER] };
    expect(refusal(input, facts({ seats: { [SKU]: { enabled: 9 } } }))).toMatchObject({
      code: "LICENSE_NOT_ASSIGNED",
    });
  });
});

describe("seats as Graph reads them", () => {
  it("derives a SKU's capability status from the states of its subscriptions' seats", () => {
    expect(capabilityStatusOf({ enabled: 1, warning: 1, suspended: 1 })).toBe("Enabled");
    expect(capabilityStatusOf({ enabled: 0, warning: 1, suspended: 1 })).toBe("Warning");
    expect(capabilityStatusOf({ enabled: 0, warning: 0, suspended: 1 })).toBe("Suspended");
    expect(capabilityStatusOf({ enabled: 0, warning: 0, suspended: 0 })).toBe("Deleted");
  });

  it("maps each lifecycle state of a subscription to Graph's status", () => {
    expect(SUBSCRIPTION_STATUSES.map(capabilityStatusOfSubscription)).toEqual([
      "Enabled",
      "Warning",
      "Suspended",
      "Deleted",
    ]);
  });

  it("provisions service plans while users keep access", () => {
    expect(provisioningStatusOf("Enabled")).toBe("Success");
    expect(provisioningStatusOf("Warning")).toBe("Success");
    expect(provisioningStatusOf("Suspended")).toBe("Disabled");
    expect(provisioningStatusOf("Deleted")).toBe("Disabled");
  });

  it("reports a SKU as over-assigned only when live assignments exceed enabled seats", () => {
    expect(isOverAssigned({ enabled: 2, warning: 0, suspended: 0 }, 2)).toBe(false);
    expect(isOverAssigned({ enabled: 2, warning: 5, suspended: 0 }, 3)).toBe(true);
  });

  it("composes and splits subscribedSku ids as {tenantId}_{skuId}", () => {
    const tenantId = "0196f1c2-0000-7000-8000-000000000001";
    expect(parseSubscribedSkuId(subscribedSkuId(tenantId, SKU))).toEqual({ tenantId, skuId: SKU });
    expect(parseSubscribedSkuId("no-underscore")).toBeUndefined();
    expect(parseSubscribedSkuId(`${tenantId}_`)).toBeUndefined();
  });
});
