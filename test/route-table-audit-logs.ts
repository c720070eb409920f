import { type Caller, type RouteAccess, route } from "./route-targets.js";

/**
 * Rows of the route × role table (test/route-table.ts) for the audit log (SPEC §1): Global
 * Administrator and Global Reader read it all; a Billing Administrator lists the billing events
 * only (the list answers 200 with those), and cannot verify the whole chain.
 */
const GA: Caller = "globalAdministrator";
const GR: Caller = "globalReader";
const BA: Caller = "billingAdministrator";

export const AUDIT_LOG_ROUTES: readonly RouteAccess[] = [
  route({
    method: "GET",
    path: "/v1.0/auditLogs/directoryAudits",
    status: 200,
    allowed: [GA, GR, BA],
  }),
  route({ method: "GET", path: "/v1.0/auditLogs/verify", status: 200, allowed: [GA, GR] }),
];
