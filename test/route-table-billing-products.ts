import { BUSINESS_STANDARD } from "./catalog-fixtures.js";
import { CALLERS, type RouteAccess, route } from "./route-targets.js";

/**
 * Rows of the route × role table (test/route-table.ts) for this part of commerce: the catalog,
 * which every signed-in member of a tenant reads (SPEC §3).
 */
export const BILLING_PRODUCT_ROUTES: readonly RouteAccess[] = [
  route({ method: "GET", path: "/v1.0/billing/products", status: 200, allowed: CALLERS }),
  route({
    method: "GET",
    path: "/v1.0/billing/products/{skuId}",
    status: 200,
    allowed: CALLERS,
    url: () => `/v1.0/billing/products/${BUSINESS_STANDARD.skuId}`,
  }),
];
