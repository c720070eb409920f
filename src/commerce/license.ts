import { blocked, invalid } from "../shared/app-error.js";
import type { Product, ServicePlan } from "./product.js";

/**
 * Licenses (SPEC §3): a user is assigned a SKU. Consumed units of a SKU stay within the enabled
 * units — the seats of its `active` subscriptions — except for the over-assignment a restore from
 * the recycle bin may cause, which is reported, never refused (SPEC §1). Pure rules only.
 */

/** Graph's `assignedLicense`: a SKU on a user, with the service plans turned off for them. */
export interface AssignedLicense {
  skuId: string;
  disabledPlans: string[];
}

/** One SKU assigned to a user, with what the catalog says about it. */
export interface LicenseDetail {
  userId: string;
  skuId: string;
  skuPartNumber: string;
  servicePlans: ServicePlan[];
  disabledPlans: string[];
  assignedDateTime: Date;
}

/** Graph's `assignLicense` body: SKUs to add (with plans to turn off) and SKU ids to remove. */
export interface AssignLicenseInput {
  addLicenses: readonly { skuId: string; disabledPlans?: readonly string[] | undefined }[];
  removeLicenses: readonly string[];
}

/** Seats of one SKU by the state of the subscriptions holding them (deprovisioned ones hold none). */
export interface SeatCounts {
  /** Seats of `active` subscriptions: the only assignable ones. */
  enabled: number;
  /** Seats of `expired` subscriptions (everyone keeps access for 30 days). */
  warning: number;
  /** Seats of `disabled` subscriptions (admins only). */
  suspended: number;
}

export const NO_SEATS: SeatCounts = { enabled: 0, warning: 0, suspended: 0 };

/** A SKU whose live assignments exceed its enabled seats (after a restore). */
export interface LicenseOverAssignment {
  skuId: string;
  skuPartNumber: string;
  enabled: number;
  consumed: number;
}

/** What the rules need to decide an `assignLicense`, loaded inside its transaction. */
export interface AssignmentFacts {
  userPrincipalName: string;
  /** The user's current licenses, by lower-case skuId. */
  held: ReadonlyMap<string, AssignedLicense>;
  /** The catalog's products named by the request, by lower-case skuId (unknown ones absent). */
  products: ReadonlyMap<string, Product>;
  /** Seats and live assignments of each product named by the request, by lower-case skuId. */
  seats: ReadonlyMap<string, SeatCounts & { consumed: number }>;
}

/** The rows an `assignLicense` writes: new assignments, changed plans, removed SKUs. */
export interface LicenseChange {
  add: AssignedLicense[];
  update: AssignedLicense[];
  remove: string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SKU and plan ids are GUIDs, compared case-insensitively as Graph does. */
export function normalizeGuid(value: string, field: string): string {
  const id = value.trim().toLowerCase();
  if (!GUID.test(id)) {
    throw invalid("LICENSE_ID_INVALID", `${field}: '${value}' is not a GUID.`, { field });
  }
  return id;
}

/** The SKU ids a request names, normalized; duplicates and contradictions are refused. */
export function skuIdsOf(input: AssignLicenseInput): { add: string[]; remove: string[] } {
  const add = input.addLicenses.map((l) => normalizeGuid(l.skuId, "addLicenses.skuId"));
  const remove = input.removeLicenses.map((id) => normalizeGuid(id, "removeLicenses"));
  for (const [list, field] of [
    [add, "addLicenses"],
    [remove, "removeLicenses"],
  ] as const) {
    const repeated = list.find((id, i) => list.indexOf(id) !== i);
    if (repeated) {
      throw invalid("LICENSE_SKU_REPEATED", `${field} names SKU ${repeated} more than once.`, {
        field,
        skuId: repeated,
      });
    }
  }
  const both = add.find((id) => remove.includes(id));
  if (both) {
    throw invalid(
      "LICENSE_ADD_AND_REMOVE",
      `SKU ${both} is both in addLicenses and in removeLicenses; name it in one of them.`,
      { field: "removeLicenses", skuId: both },
    );
  }
  return { add, remove };
}

/**
 * Decides an `assignLicense` as Graph does, all or nothing: every removed SKU must be held; every
 * added SKU must be in the catalog, its disabled plans must be plans of that product, and a SKU the
 * user does not hold yet needs a free seat of an `active` subscription (SPEC §3: a `disabled` or
 * `expired` subscription's seats cannot be assigned). Adding a SKU the user holds changes its
 * disabled plans only and takes no seat. Throws the first refusal, naming the SKU and the counts.
 */
export function planLicenseChange(
  input: AssignLicenseInput,
  facts: AssignmentFacts,
): LicenseChange {
  const ids = skuIdsOf(input);
  const change: LicenseChange = { add: [], update: [], remove: [] };
  for (const skuId of ids.remove) {
    const held = facts.held.get(skuId);
    if (!held) {
      throw invalid(
        "LICENSE_NOT_ASSIGNED",
        `${facts.userPrincipalName} has no license of SKU ${skuId}; there is nothing to remove.`,
        { field: "removeLicenses", skuId },
      );
    }
    change.remove.push(held.skuId);
  }
  input.addLicenses.forEach((requested, i) => {
    const skuId = ids.add[i] as string;
    const product = facts.products.get(skuId);
    if (!product) {
      throw invalid(
        "LICENSE_SKU_UNKNOWN",
        `SKU ${skuId} is not a product of the catalog; GET /v1.0/subscribedSkus lists the SKUs of this organization.`,
        { field: "addLicenses.skuId", skuId },
      );
    }
    const disabledPlans = disabledPlansOf(product, requested.disabledPlans ?? []);
    const held = facts.held.get(skuId);
    if (held) {
      if (!samePlans(held.disabledPlans, disabledPlans)) {
        change.update.push({ skuId: held.skuId, disabledPlans });
      }
      return;
    }
    assertFreeSeat(product, facts.seats.get(skuId) ?? { ...NO_SEATS, consumed: 0 });
    change.add.push({ skuId: product.skuId, disabledPlans });
  });
  return change;
}

/** The plans to turn off, each a plan of the product, without repeats. */
function disabledPlansOf(product: Product, requested: readonly string[]): string[] {
  const planIds = new Set(product.servicePlans.map((p) => p.servicePlanId.toLowerCase()));
  const plans: string[] = [];
  for (const raw of requested) {
    const planId = normalizeGuid(raw, "addLicenses.disabledPlans");
    if (!planIds.has(planId)) {
      throw invalid(
        "LICENSE_PLAN_UNKNOWN",
        `Service plan ${planId} is not part of ${product.skuPartNumber} (${product.skuId}); its plans are ${[...planIds].join(", ")}.`,
        { field: "addLicenses.disabledPlans", skuId: product.skuId, servicePlanId: planId },
      );
    }
    if (!plans.includes(planId)) plans.push(planId);
  }
  return plans;
}

function samePlans(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p) => b.includes(p));
}

/** Refuses a new assignment of `product` unless an `active` subscription has a free seat. */
function assertFreeSeat(product: Product, seats: SeatCounts & { consumed: number }): void {
  const sku = `${product.skuPartNumber} (${product.skuId})`;
  const counts = {
    skuId: product.skuId,
    skuPartNumber: product.skuPartNumber,
    enabled: seats.enabled,
    warning: seats.warning,
    suspended: seats.suspended,
    consumed: seats.consumed,
  };
  if (seats.enabled === 0 && seats.warning + seats.suspended === 0) {
    throw invalid(
      "LICENSE_SKU_NOT_SUBSCRIBED",
      `This organization has no subscription of ${sku}; buy one (POST /v1.0/billing/subscriptions) before assigning it.`,
      { field: "addLicenses.skuId", ...counts },
    );
  }
  if (seats.enabled === 0) {
    throw blocked(
      "LICENSE_SEATS_NOT_ASSIGNABLE",
      `${sku} has no active seats: ${seats.warning} are in expired and ${seats.suspended} in disabled subscriptions, whose seats cannot be assigned. Reactivate a subscription (POST /v1.0/billing/subscriptions/{id}/reactivate) or buy one.`,
      counts,
    );
  }
  if (seats.consumed >= seats.enabled) {
    throw blocked(
      "LICENSE_SEATS_EXHAUSTED",
      `All ${seats.enabled} active seats of ${sku} are assigned (${seats.consumed} of ${seats.enabled}). Add seats to a subscription (PATCH /v1.0/billing/subscriptions/{id}) or remove this license from another user.`,
      counts,
    );
  }
}

/** Whether a SKU's live assignments exceed its enabled seats. */
export function isOverAssigned(seats: SeatCounts, consumed: number): boolean {
  return consumed > seats.enabled;
}
