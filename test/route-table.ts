import { ROLES } from "../src/directory/index.js";
import { PASSWORD } from "./directory-fixtures.js";
import {
  applicationRows,
  CALLERS,
  type Caller,
  freshDeletedUser,
  freshGroup,
  freshGroupWithMember,
  freshName,
  freshPendingTotp,
  freshUser,
  type RouteAccess,
  recycleBinRows,
  reference,
  route,
  type TargetRules,
  userRows,
} from "./route-targets.js";
import { AUDIT_LOG_ROUTES } from "./route-table-audit-logs.js";
import { BILLING_PAYMENT_ROUTES } from "./route-table-billing-payments.js";
import { BILLING_PRODUCT_ROUTES } from "./route-table-billing-products.js";
import { BILLING_SUBSCRIPTION_ROUTES } from "./route-table-billing-subscriptions.js";
import { CLOSURE_ROUTES } from "./route-table-closure.js";
import { CONTENT_ROUTES } from "./route-table-content.js";
import { LICENSE_ROUTES } from "./route-table-licenses.js";
import { totpCode } from "./signin-fixtures.js";

/**
 * Every authenticated route under /v1.0 (as GET /openapi.json lists them) with the roles that may
 * call it, from SPEC §1's permission table. A Global Administrator may do everything; every member
 * of the tenant reads the directory and manages their own authentication methods.
 */

const GA: Caller = "globalAdministrator";
const UA: Caller = "userAdministrator";
const AA: Caller = "authenticationAdministrator";
const PAA: Caller = "privilegedAuthenticationAdministrator";
const PRA: Caller = "privilegedRoleAdministrator";
const GR: Caller = "globalReader";

/** Reads of the directory, and a user's own `me` routes. */
const EVERYONE = CALLERS;
const READ_ANY_USER: TargetRules = { nonAdmin: EVERYONE, admin: EVERYONE };
/** Create, edit, delete, restore, purge a user; on an admin target, not User Administrator. */
const MANAGE_USERS: TargetRules = { nonAdmin: [GA, UA, PAA], admin: [GA, PAA] };
/** Per-user MFA state and methods; on an admin target, not Authentication Administrator. */
const MANAGE_MFA: TargetRules = { nonAdmin: [GA, AA, PAA], admin: [GA, PAA] };
/** Read a user's per-user MFA state: those who may change it, and Global Readers. */
const READ_MFA: TargetRules = { nonAdmin: [GA, AA, PAA, GR], admin: [GA, PAA, GR] };
/** Assign and remove directory roles. */
const ROLE_MANAGERS = [GA, PRA];
/** Security groups and their members (User Administrator, as in Microsoft 365). */
const GROUP_MANAGERS = [GA, UA];
/** Organization settings and app registrations. */
const GA_ONLY = [GA];

const READER_ROLE = ROLES.globalReader.roleTemplateId;

const ME_METHODS = "/v1.0/me/authentication/softwareOathMethods";
const REGISTRATION_REPORT = "/v1.0/reports/authenticationMethods/userRegistrationDetails";

export const ROUTE_ACCESS: readonly RouteAccess[] = [
  // Users (SPEC §1: User Administrator for non-admins, Privileged Authentication Administrator for all).
  route({ method: "GET", path: "/v1.0/me", status: 200, allowed: EVERYONE }),
  route({ method: "GET", path: "/v1.0/users", status: 200, allowed: EVERYONE }),
  route({
    method: "GET",
    path: "/v1.0/users/$count",
    status: 200,
    allowed: EVERYONE,
    headers: { consistencylevel: "eventual" },
  }),
  route({
    method: "POST",
    path: "/v1.0/users",
    status: 201,
    allowed: MANAGE_USERS.nonAdmin,
    fresh: async () => freshName("created"),
    body: (alias, { org }) => ({
      accountEnabled: true,
      displayName: alias,
      mailNickname: alias,
      userPrincipalName: `${alias}@${org.domain}`,
      passwordProfile: { password: PASSWORD },
    }),
  }),
  ...userRows("GET", "", 200, READ_ANY_USER),
  ...userRows("PATCH", "", 204, MANAGE_USERS, { displayName: "Renamed" }),
  ...userRows("DELETE", "", 204, MANAGE_USERS),
  // Per-user MFA (SPEC §1: Authentication Administrator for non-admins, PAA for all).
  ...userRows("GET", "/authentication/requirements", 200, READ_MFA),
  ...userRows("PATCH", "/authentication/requirements", 204, MANAGE_MFA, {
    perUserMfaState: "enabled",
  }),
  ...userRows("DELETE", "/authentication/methods", 204, MANAGE_MFA),
  // The registration report: an Authentication Administrator is allowed, and sees non-admins only.
  route({
    method: "GET",
    path: REGISTRATION_REPORT,
    status: 200,
    allowed: READ_MFA.nonAdmin,
  }),
  ...userRows("GET", "", 200, READ_MFA, undefined, REGISTRATION_REPORT),
  // The recycle bin.
  ...["microsoft.graph.user", "graph.user"].map((cast) =>
    route({
      method: "GET",
      path: `/v1.0/directory/deletedItems/${cast}`,
      status: 200,
      allowed: EVERYONE,
    }),
  ),
  route({
    method: "GET",
    path: "/v1.0/directory/deletedItems/{id}",
    status: 200,
    allowed: EVERYONE,
    fresh: freshDeletedUser(),
    url: (user) => `/v1.0/directory/deletedItems/${user.id}`,
  }),
  ...recycleBinRows("POST", "/restore", 200, MANAGE_USERS),
  ...recycleBinRows("DELETE", "", 204, MANAGE_USERS),
  // Groups.
  route({ method: "GET", path: "/v1.0/groups", status: 200, allowed: EVERYONE }),
  route({
    method: "POST",
    path: "/v1.0/groups",
    status: 201,
    allowed: GROUP_MANAGERS,
    body: () => ({
      displayName: freshName("group"),
      mailEnabled: false,
      mailNickname: freshName("group"),
      securityEnabled: true,
    }),
  }),
  ...(["GET", "PATCH", "DELETE"] as const).map((method) =>
    route({
      method,
      path: "/v1.0/groups/{id}",
      status: method === "GET" ? 200 : 204,
      allowed: method === "GET" ? EVERYONE : GROUP_MANAGERS,
      fresh: freshGroup,
      url: (group) => `/v1.0/groups/${group.id}`,
      body: () => (method === "PATCH" ? { description: "Renamed" } : undefined),
    }),
  ),
  route({
    method: "GET",
    path: "/v1.0/groups/{id}/members",
    status: 200,
    allowed: EVERYONE,
    fresh: freshGroupWithMember,
    url: ({ group }) => `/v1.0/groups/${group.id}/members`,
  }),
  route({
    method: "POST",
    path: "/v1.0/groups/{id}/members/$ref",
    status: 204,
    allowed: GROUP_MANAGERS,
    fresh: async (env) => ({ group: await freshGroup(env), user: await freshUser()(env) }),
    url: ({ group }) => `/v1.0/groups/${group.id}/members/$ref`,
    body: ({ user }) => reference(user.id),
  }),
  route({
    method: "DELETE",
    path: "/v1.0/groups/{id}/members/{memberId}/$ref",
    status: 204,
    allowed: GROUP_MANAGERS,
    fresh: freshGroupWithMember,
    url: ({ group, member }) => `/v1.0/groups/${group.id}/members/${member.id}/$ref`,
  }),
  // The organization (SPEC §1: Global Administrator changes it).
  route({ method: "GET", path: "/v1.0/organization", status: 200, allowed: EVERYONE }),
  ...(["GET", "PATCH"] as const).map((method) =>
    route({
      method,
      path: "/v1.0/organization/{id}",
      status: method === "GET" ? 200 : 204,
      allowed: method === "GET" ? EVERYONE : GA_ONLY,
      url: (_, { org }) => `/v1.0/organization/${org.tenantId}`,
      body: () => (method === "PATCH" ? { displayName: "Renamed organization" } : undefined),
    }),
  ),
  // Directory roles (SPEC §1: Global Administrator, Privileged Role Administrator).
  route({ method: "GET", path: "/v1.0/directoryRoles", status: 200, allowed: EVERYONE }),
  ...["", "/members"].map((suffix) =>
    route({
      method: "GET",
      path: `/v1.0/directoryRoles/{id}${suffix}`,
      status: 200,
      allowed: EVERYONE,
      url: () => `/v1.0/directoryRoles/${READER_ROLE}${suffix}`,
    }),
  ),
  route({
    method: "POST",
    path: "/v1.0/directoryRoles/{id}/members/$ref",
    status: 204,
    allowed: ROLE_MANAGERS,
    fresh: freshUser(),
    url: () => `/v1.0/directoryRoles/${READER_ROLE}/members/$ref`,
    body: (user) => reference(user.id),
  }),
  route({
    method: "DELETE",
    path: "/v1.0/directoryRoles/{id}/members/{memberId}/$ref",
    status: 204,
    allowed: ROLE_MANAGERS,
    fresh: freshUser(["globalReader"]),
    url: (user) => `/v1.0/directoryRoles/${READER_ROLE}/members/${user.id}/$ref`,
  }),
  // Applications (SPEC §1: Global Administrator registers and removes them).
  route({ method: "GET", path: "/v1.0/applications", status: 200, allowed: EVERYONE }),
  route({
    method: "POST",
    path: "/v1.0/applications",
    status: 201,
    allowed: GA_ONLY,
    body: () => ({ displayName: freshName("app") }),
  }),
  ...applicationRows("id", { read: EVERYONE, manage: GA_ONLY }),
  ...applicationRows("appId", { read: EVERYONE, manage: GA_ONLY }),
  // JSON batching: the batch itself; each item is authorized as its own request.
  route({
    method: "POST",
    path: "/v1.0/$batch",
    status: 200,
    allowed: EVERYONE,
    body: () => ({ requests: [{ id: "1", method: "GET", url: "/me" }] }),
  }),
  // The caller's own authentication methods (SPEC §2): every member, whatever their roles.
  route({ method: "GET", path: ME_METHODS, status: 200, allowed: EVERYONE }),
  route({ method: "POST", path: ME_METHODS, status: 201, allowed: EVERYONE, body: () => ({}) }),
  route({
    method: "POST",
    path: `${ME_METHODS}/{id}/verify`,
    status: 200,
    allowed: EVERYONE,
    fresh: freshPendingTotp,
    url: (method) => `${ME_METHODS}/${method.id}/verify`,
    body: (method, { t }) => ({ code: totpCode(t, method.secretKey) }),
  }),
  route({
    method: "DELETE",
    path: `${ME_METHODS}/{id}`,
    status: 204,
    allowed: EVERYONE,
    fresh: freshPendingTotp,
    url: (method) => `${ME_METHODS}/${method.id}`,
  }),
  route({
    method: "POST",
    path: "/v1.0/me/authentication/recoveryCodes",
    status: 200,
    allowed: EVERYONE,
  }),
  // Commerce (SPEC §3), one file per part.
  ...BILLING_PRODUCT_ROUTES,
  ...BILLING_SUBSCRIPTION_ROUTES,
  ...BILLING_PAYMENT_ROUTES,
  ...LICENSE_ROUTES,
  // Users' content (SPEC §4): the owner only.
  ...CONTENT_ROUTES,
  // Account closure (SPEC §6): a Global Administrator only.
  ...CLOSURE_ROUTES,
  ...AUDIT_LOG_ROUTES,
];
