import type { ServicePlan } from "./product.js";
import type { CapabilityStatus } from "./subscribed-sku.js";
import type { SubscriptionStatus } from "./subscription.js";

/** One of the tenant's subscriptions as Graph's `companySubscription` describes it (SPEC §3, §7). */
export interface CompanySubscription {
  id: string;
  skuId: string;
  skuPartNumber: string;
  /** Tenantry's lifecycle state. */
  lifecycleStatus: SubscriptionStatus;
  /** Graph's status: Enabled, Warning, Suspended or Deleted. */
  status: CapabilityStatus;
  isTrial: boolean;
  createdDateTime: Date;
  /** When the next time-driven transition (renewal, expiry, …) falls due; null when none will. */
  nextLifecycleDateTime: Date | null;
  /** Seats. */
  totalLicenses: number;
  servicePlans: ServicePlan[];
}
