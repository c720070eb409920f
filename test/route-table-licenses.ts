import { BUSINESS_STANDARD, insertSubscription } from "./license-fixtures.js";
import {
  ADMIN_ROLES,
  CALLERS,
  type Caller,
  freshUser,
  type RouteAccess,
  type RouteEnv,
  route,
} from "./route-targets.js";

/**
 * Rows of the route × role table (test/route-table.ts) for this part of commerce: Graph's
 * licensing resources, read by every member of the tenant (like Graph's Directory.Read), and
 * license assignment — User Administrator and Global Administrator, never Billing Administrator
 * (SPEC §1), whatever roles the target holds.
 */

const ASSIGN_LICENSES: readonly Caller[] = ["globalAdministrator", "userAdministrator"];

/** A fresh subscription of one active seat of Business Standard in the caller's tenant. */
async function freshSubscription({ t, org }: RouteEnv): Promise<string> {
  return insertSubscription(t, org.tenantId, { skuId: BUSINESS_STANDARD.skuId, quantity: 1 });
}

const COMPANY_SUBSCRIPTION_PATHS = [
  {
    path: "/v1.0/directory/subscriptions/{id}",
    url: (id: string) => `/v1.0/directory/subscriptions/${id}`,
  },
  {
    path: "/v1.0/directory/subscriptions(commerceSubscriptionId='{id}')",
    url: (id: string) => `/v1.0/directory/subscriptions(commerceSubscriptionId='${id}')`,
  },
];

export const LICENSE_ROUTES: readonly RouteAccess[] = [
  route({ method: "GET", path: "/v1.0/subscribedSkus", status: 200, allowed: CALLERS }),
  route({
    method: "GET",
    path: "/v1.0/subscribedSkus/{id}",
    status: 200,
    allowed: CALLERS,
    fresh: freshSubscription,
    url: (_, { org }) => `/v1.0/subscribedSkus/${org.tenantId}_${BUSINESS_STANDARD.skuId}`,
  }),
  route({ method: "GET", path: "/v1.0/directory/subscriptions", status: 200, allowed: CALLERS }),
  ...COMPANY_SUBSCRIPTION_PATHS.map(({ path, url }) =>
    route({ method: "GET", path, status: 200, allowed: CALLERS, fresh: freshSubscription, url }),
  ),
  route({
    method: "GET",
    path: "/v1.0/users/{id}/licenseDetails",
    status: 200,
    allowed: CALLERS,
    fresh: freshUser(),
    url: (user) => `/v1.0/users/${user.id}/licenseDetails`,
  }),
  route({ method: "GET", path: "/v1.0/me/licenseDetails", status: 200, allowed: CALLERS }),
  ...[
    { on: "a non-admin user", roles: [] },
    { on: "an admin user", roles: ADMIN_ROLES },
  ].map(({ on, roles }) =>
    route({
      method: "POST",
      path: "/v1.0/users/{id}/assignLicense",
      on,
      status: 200,
      allowed: ASSIGN_LICENSES,
      fresh: async (env) => {
        await freshSubscription(env);
        return freshUser(roles)(env);
      },
      url: (user) => `/v1.0/users/${user.id}/assignLicense`,
      body: () => ({
        addLicenses: [{ skuId: BUSINESS_STANDARD.skuId, disabledPlans: [] }],
        removeLicenses: [],
      }),
    }),
  ),
];
