import type { RouteAccess } from "./route-targets.js";

/** Rows of the route × role table (test/route-table.ts) for this part of commerce. */
export const BILLING_SUBSCRIPTION_ROUTES: readonly RouteAccess[] = [];
