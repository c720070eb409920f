import type { SeatCounts } from "./license.js";
import type { ServicePlan } from "./product.js";
import type { SubscriptionStatus } from "./subscription.js";

/**
 * Graph's view of licensing (SPEC §3, §7): one `subscribedSku` per SKU the tenant has or had, and
 * one `companySubscription` per subscription. Pure rules: how seats and lifecycle states read there.
 */

/** Graph's capability status of a SKU or a subscription. */
export type CapabilityStatus = "Enabled" | "Warning" | "Suspended" | "Deleted" | "LockedOut";

/** Graph's provisioning status of a service plan. */
export type ProvisioningStatus = "Success" | "Disabled";

export interface SubscribedSku {
  tenantId: string;
  /** The organization's display name (Graph's `accountName`). */
  accountName: string;
  skuId: string;
  skuPartNumber: string;
  capabilityStatus: CapabilityStatus;
  /** Licenses of the SKU assigned to live users. */
  consumedUnits: number;
  prepaidUnits: SeatCounts & { lockedOut: number };
  servicePlans: ServicePlan[];
  /** The tenant's subscriptions of the SKU, oldest first. */
  subscriptionIds: string[];
}

/**
 * A SKU is Enabled while any `active` subscription holds seats of it, else Warning while an
 * `expired` one does, else Suspended while a `disabled` one does, else Deleted.
 */
export function capabilityStatusOf(seats: SeatCounts): CapabilityStatus {
  if (seats.enabled > 0) return "Enabled";
  if (seats.warning > 0) return "Warning";
  if (seats.suspended > 0) return "Suspended";
  return "Deleted";
}

/** A subscription's lifecycle state as Graph's `companySubscription.status` reads it. */
export function capabilityStatusOfSubscription(status: SubscriptionStatus): CapabilityStatus {
  switch (status) {
    case "active":
      return "Enabled";
    case "expired":
      return "Warning";
    case "disabled":
      return "Suspended";
    case "deprovisioned":
      return "Deleted";
  }
}

/** Service plans work while users keep access (Enabled, Warning), not once suspended or deleted. */
export function provisioningStatusOf(status: CapabilityStatus): ProvisioningStatus {
  return status === "Enabled" || status === "Warning" ? "Success" : "Disabled";
}

/** Graph's subscribedSku id: `{tenantId}_{skuId}`. */
export function subscribedSkuId(tenantId: string, skuId: string): string {
  return `${tenantId}_${skuId}`;
}

/** The parts of a subscribedSku id, or undefined when it has not that form. */
export function parseSubscribedSkuId(id: string): { tenantId: string; skuId: string } | undefined {
  const at = id.lastIndexOf("_");
  if (at <= 0 || at === id.length - 1) return undefined;
  return { tenantId: id.slice(0, at), skuId: id.slice(at + 1).toLowerCase() };
}
