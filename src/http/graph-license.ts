import type {
  AssignedLicense,
  CapabilityStatus,
  CompanySubscription,
  LicenseDetail,
  ServicePlan,
  SubscribedSku,
} from "../commerce/index.js";
import { provisioningStatusOf, subscribedSkuId } from "../commerce/index.js";

/**
 * Microsoft Graph's licensing resources (SPEC §3, §7): `subscribedSku`, `companySubscription`,
 * `licenseDetails` and a user's `assignedLicenses`, in the shapes Graph's SDKs parse.
 */

/** Graph's `servicePlanInfo`. Every plan Tenantry sells applies to users. */
function toServicePlanInfo(plan: ServicePlan, provisioningStatus: string) {
  return {
    servicePlanId: plan.servicePlanId,
    servicePlanName: plan.servicePlanName,
    provisioningStatus,
    appliesTo: "User",
  };
}

function servicePlansOf(plans: readonly ServicePlan[], status: CapabilityStatus) {
  return plans.map((plan) => toServicePlanInfo(plan, provisioningStatusOf(status)));
}

/** Graph's `subscribedSku`: id `{tenantId}_{skuId}`, the billing account being the tenant. */
export function toGraphSubscribedSku(sku: SubscribedSku) {
  return {
    id: subscribedSkuId(sku.tenantId, sku.skuId),
    accountId: sku.tenantId,
    accountName: sku.accountName,
    appliesTo: "User",
    capabilityStatus: sku.capabilityStatus,
    consumedUnits: sku.consumedUnits,
    prepaidUnits: sku.prepaidUnits,
    servicePlans: servicePlansOf(sku.servicePlans, sku.capabilityStatus),
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
    subscriptionIds: sku.subscriptionIds,
  };
}

export const SUBSCRIBED_SKU_PROPERTIES = [
  "id",
  "accountId",
  "accountName",
  "appliesTo",
  "capabilityStatus",
  "consumedUnits",
  "prepaidUnits",
  "servicePlans",
  "skuId",
  "skuPartNumber",
  "subscriptionIds",
] as const satisfies readonly (keyof ReturnType<typeof toGraphSubscribedSku>)[];

/**
 * Graph's `companySubscription`. Tenantry's subscription id is also its commerce id (the alternate
 * key) and its OCP id; no partner owns a Tenantry subscription, so the owner properties are null.
 */
export function toGraphCompanySubscription(subscription: CompanySubscription) {
  return {
    id: subscription.id,
    commerceSubscriptionId: subscription.id,
    createdDateTime: subscription.createdDateTime.toISOString(),
    isTrial: subscription.isTrial,
    nextLifecycleDateTime: subscription.nextLifecycleDateTime?.toISOString() ?? null,
    ocpSubscriptionId: subscription.id,
    ownerId: null,
    ownerTenantId: null,
    ownerType: null,
    serviceStatus: servicePlansOf(subscription.servicePlans, subscription.status),
    skuId: subscription.skuId,
    skuPartNumber: subscription.skuPartNumber,
    status: subscription.status,
    totalLicenses: subscription.totalLicenses,
  };
}

export const COMPANY_SUBSCRIPTION_PROPERTIES = [
  "id",
  "commerceSubscriptionId",
  "createdDateTime",
  "isTrial",
  "nextLifecycleDateTime",
  "ocpSubscriptionId",
  "ownerId",
  "ownerTenantId",
  "ownerType",
  "serviceStatus",
  "skuId",
  "skuPartNumber",
  "status",
  "totalLicenses",
] as const satisfies readonly (keyof ReturnType<typeof toGraphCompanySubscription>)[];

/**
 * Graph's `licenseDetails` id is opaque; like Graph's, it is the user's and the SKU's GUID bytes
 * in base64url, so it is stable and unique per user and SKU.
 */
export function licenseDetailsId(userId: string, skuId: string): string {
  const bytes = (guid: string) => Buffer.from(guid.replace(/-/g, ""), "hex");
  return Buffer.concat([bytes(userId), bytes(skuId)]).toString("base64url");
}

/** Graph's `licenseDetails`: a plan the admin turned off for the user reads `Disabled`. */
export function toGraphLicenseDetails(detail: LicenseDetail) {
  return {
    id: licenseDetailsId(detail.userId, detail.skuId),
    servicePlans: detail.servicePlans.map((plan) =>
      toServicePlanInfo(
        plan,
        detail.disabledPlans.includes(plan.servicePlanId.toLowerCase()) ? "Disabled" : "Success",
      ),
    ),
    skuId: detail.skuId,
    skuPartNumber: detail.skuPartNumber,
  };
}

export const LICENSE_DETAILS_PROPERTIES = [
  "id",
  "servicePlans",
  "skuId",
  "skuPartNumber",
] as const satisfies readonly (keyof ReturnType<typeof toGraphLicenseDetails>)[];

/** Graph's `assignedLicense`, as the user's `assignedLicenses` lists it. */
export function toGraphAssignedLicense(license: AssignedLicense) {
  return { disabledPlans: license.disabledPlans, skuId: license.skuId };
}
