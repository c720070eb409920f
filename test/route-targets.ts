import type { HTTPMethods } from "fastify";
import {
  addGroupMember,
  createGroup,
  deleteUser,
  type Group,
  ROLES,
  type RoleName,
  type User,
} from "../src/directory/index.js";
import { startTotpEnrolment, type TotpEnrolment } from "../src/security/index.js";
import { type ApplicationFixture, createApplicationWithSecret } from "./application-fixtures.js";
import {
  createUserWithRoles,
  OPERATOR,
  type TenantFixture,
  userActor,
} from "./directory-fixtures.js";
import type { TestContext } from "./test-context.js";

/**
 * The pieces of the route × role table (route-table.ts): who calls, and fresh targets built per
 * call through the services as the operator, so that no call depends on what another one did.
 */

/** Who calls a route: the holder of one directory role, or a member of the tenant without any. */
export type Caller = RoleName | "member";

export const CALLERS: readonly Caller[] = [
  "globalAdministrator",
  "billingAdministrator",
  "userAdministrator",
  "authenticationAdministrator",
  "privilegedAuthenticationAdministrator",
  "privilegedRoleAdministrator",
  "globalReader",
  "member",
];

export function callerLabel(caller: Caller): string {
  return caller === "member" ? "A member without roles" : ROLES[caller].displayName;
}

/** What a target builder may use: the test's store, the one tenant, the calling user. */
export interface RouteEnv {
  t: TestContext;
  org: TenantFixture;
  callerId: string;
}

/** One request, ready for `app.inject`. */
export interface RouteCall {
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One row of the table: a route (on one kind of target) and who may call it. */
export interface RouteAccess {
  /** The route as a sentence fragment, e.g. "PATCH /v1.0/users/{id} on an admin user". */
  name: string;
  method: HTTPMethods;
  /** The path as GET /openapi.json lists it. */
  path: string;
  /** What an allowed caller gets. */
  status: number;
  allowed: readonly Caller[];
  /** Builds the call's own fresh target, then its URL and body. */
  prepare(env: RouteEnv): Promise<RouteCall>;
}

export interface RouteRow<T> {
  method: HTTPMethods;
  /** The path as OpenAPI lists it; also the URL of rows without `url`. */
  path: string;
  /** The kind of target, when the rules depend on it ("a non-admin user"). */
  on?: string;
  status: number;
  allowed: readonly Caller[];
  fresh?: (env: RouteEnv) => Promise<T>;
  url?: (target: T, env: RouteEnv) => string;
  body?: (target: T, env: RouteEnv) => unknown;
  headers?: Record<string, string>;
}

/** A typed row: `fresh` builds a target of type T that `url` and `body` then address. */
export function route<T = undefined>(row: RouteRow<T>): RouteAccess {
  return {
    name: `${row.method} ${row.path}${row.on ? ` on ${row.on}` : ""}`,
    method: row.method,
    path: row.path,
    status: row.status,
    allowed: row.allowed,
    async prepare(env) {
      const target = row.fresh ? await row.fresh(env) : (undefined as T);
      return {
        url: row.url ? row.url(target, env) : row.path,
        body: row.body?.(target, env),
        headers: row.headers,
      };
    },
  };
}

let serial = 0;

/** A name no other call of this process used. */
export function freshName(prefix: string): string {
  serial += 1;
  return `${prefix}-${serial}`;
}

/** Anyone holding a directory role is an admin target (SPEC §1: stronger roles manage them). */
export const ADMIN_ROLES: readonly RoleName[] = ["globalReader"];

export function freshUser(roles: readonly RoleName[] = []) {
  return async ({ t, org }: RouteEnv): Promise<User> =>
    (await createUserWithRoles(t, org, freshName("target"), roles)).user;
}

/** A user in the recycle bin, keeping its roles. */
export function freshDeletedUser(roles: readonly RoleName[] = []) {
  return async (env: RouteEnv): Promise<User> => {
    const user = await freshUser(roles)(env);
    await deleteUser(env.t, OPERATOR, env.org.tenantId, user.id);
    return user;
  };
}

export async function freshGroup({ t, org }: RouteEnv): Promise<Group> {
  return createGroup(t, OPERATOR, org.tenantId, { displayName: freshName("group") });
}

export async function freshGroupWithMember(env: RouteEnv): Promise<{ group: Group; member: User }> {
  const group = await freshGroup(env);
  const member = await freshUser()(env);
  await addGroupMember(env.t, OPERATOR, env.org.tenantId, group.id, member.id);
  return { group, member };
}

export async function freshApplication({ t, org }: RouteEnv): Promise<ApplicationFixture> {
  return createApplicationWithSecret(t, org, freshName("app"));
}

/** A pending authenticator app of the calling user, with its secret. */
export async function freshPendingTotp({ t, org, callerId }: RouteEnv): Promise<TotpEnrolment> {
  return startTotpEnrolment(t, userActor(org.tenantId, callerId));
}

/** Graph's reference body for `…/members/$ref`. */
export function reference(objectId: string): { "@odata.id": string } {
  return { "@odata.id": `https://graph.example/v1.0/directoryObjects/${objectId}` };
}

/** Who may call a route on a non-admin target, and who on an admin target. */
export interface TargetRules {
  nonAdmin: readonly Caller[];
  admin: readonly Caller[];
}

/**
 * The rows of a route on one user (`<prefix>/{id}<suffix>`, the prefix `/v1.0/users` unless
 * given), for both kinds of target.
 */
export function userRows(
  method: "GET" | "PATCH" | "DELETE",
  suffix: string,
  status: number,
  allowed: TargetRules,
  body?: unknown,
  prefix = "/v1.0/users",
): RouteAccess[] {
  return [
    { on: "a non-admin user", roles: [], callers: allowed.nonAdmin },
    { on: "an admin user", roles: ADMIN_ROLES, callers: allowed.admin },
  ].map(({ on, roles, callers }) =>
    route({
      method,
      path: `${prefix}/{id}${suffix}`,
      on,
      status,
      allowed: callers,
      fresh: freshUser(roles),
      url: (user) => `${prefix}/${user.id}${suffix}`,
      body: () => body,
    }),
  );
}

/** Restore (`/restore`) or purge (no suffix) of a user in the recycle bin, both kinds of target. */
export function recycleBinRows(
  method: "POST" | "DELETE",
  suffix: string,
  status: number,
  allowed: TargetRules,
): RouteAccess[] {
  return [
    { on: "a deleted non-admin user", roles: [], callers: allowed.nonAdmin },
    { on: "a deleted admin user", roles: ADMIN_ROLES, callers: allowed.admin },
  ].map(({ on, roles, callers }) =>
    route({
      method,
      path: `/v1.0/directory/deletedItems/{id}${suffix}`,
      on,
      status,
      allowed: callers,
      fresh: freshDeletedUser(roles),
      url: (user) => `/v1.0/directory/deletedItems/${user.id}${suffix}`,
    }),
  );
}

/** The application item routes, by object id or by Graph's alternate key on the client id. */
export function applicationRows(
  key: "id" | "appId",
  allowed: { read: readonly Caller[]; manage: readonly Caller[] },
): RouteAccess[] {
  const path = key === "id" ? "/v1.0/applications/{id}" : "/v1.0/applications(appId='{id}')";
  const url = ({ application }: ApplicationFixture) =>
    key === "id"
      ? `/v1.0/applications/${application.id}`
      : `/v1.0/applications(appId='${application.appId}')`;
  const fresh = freshApplication;
  const manage = allowed.manage;
  return [
    route({ method: "GET", path, status: 200, allowed: allowed.read, fresh, url }),
    route({
      method: "PATCH",
      path,
      status: 204,
      allowed: manage,
      fresh,
      url,
      body: () => ({ displayName: "Renamed app" }),
    }),
    route({ method: "DELETE", path, status: 204, allowed: manage, fresh, url }),
    route({
      method: "POST",
      path: `${path}/addPassword`,
      status: 200,
      allowed: manage,
      fresh,
      url: (app) => `${url(app)}/addPassword`,
      body: () => ({ passwordCredential: { displayName: "ci" } }),
    }),
    route({
      method: "POST",
      path: `${path}/removePassword`,
      status: 204,
      allowed: manage,
      fresh,
      url: (app) => `${url(app)}/removePassword`,
      body: (app) => ({ keyId: app.keyId }),
    }),
  ];
}
