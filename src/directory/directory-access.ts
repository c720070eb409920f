import type { Transaction } from "kysely";
import { type Actor, actorTenantId } from "../shared/actor.js";
import { forbidden, notFound } from "../shared/app-error.js";
import type { Database, Executor } from "../store/database.js";
import { findApplicationRow } from "./application.repository.js";
import { toRoleNames, toTenant } from "./directory-mappers.js";
import { isAllowed, type Permission, type PermissionTarget, rolesAllowed } from "./permissions.js";
import { ROLES, type RoleName } from "./role.js";
import { findApplicationRoleTemplateIds } from "./role.repository.js";
import type { Tenant } from "./tenant.js";
import {
  findTenantRow,
  findTenantRowForUpdate,
  findTenantWithActingUser,
} from "./tenant.repository.js";
import { findActingUserRoles } from "./user.repository.js";

export type Trx = Transaction<Database>;

/** The actor, resolved inside the transaction: a user's roles are read fresh, never trusted. */
export interface ResolvedActor {
  actor: Actor;
  userId: string | null;
  roles: RoleName[];
  /** Operator and system actors act with full rights on the local store. */
  privileged: boolean;
}

/**
 * Loads the tenant a request is about. A user of another tenant learns nothing: the answer is the
 * same NotFound as for a tenant that does not exist (SPEC §2, isolation). A deleted tenant is gone.
 */
export async function loadTenant(
  db: Executor,
  actor: Actor,
  tenantId: string,
  options: { forUpdate?: boolean; rowLocks?: boolean } = {},
): Promise<Tenant> {
  const own = actorTenantId(actor);
  const hidden = own !== null && own !== tenantId;
  const row = hidden
    ? undefined
    : options.forUpdate
      ? await findTenantRowForUpdate(db, tenantId, options.rowLocks ?? false)
      : await findTenantRow(db, tenantId);
  if (!row || row.state === "deleted") {
    throw notFound("TENANT_NOT_FOUND", `No organization with id ${tenantId}.`);
  }
  return toTenant(row);
}

export async function resolveActor(
  db: Executor,
  actor: Actor,
  tenantId: string,
): Promise<ResolvedActor> {
  if (actor.type === "operator" || actor.type === "system") {
    return { actor, userId: null, roles: [], privileged: true };
  }
  if (actor.tenantId !== tenantId) {
    throw notFound("TENANT_NOT_FOUND", `No organization with id ${tenantId}.`);
  }
  if (actor.type === "application") {
    if (!(await findApplicationRow(db, tenantId, actor.applicationId))) {
      throw forbidden("ACTOR_INACTIVE", "This application was removed.");
    }
    const roleIds = await findApplicationRoleTemplateIds(db, tenantId, actor.applicationId);
    return { actor, userId: null, roles: toRoleNames(roleIds), privileged: false };
  }
  const acting = await findActingUserRoles(db, tenantId, actor.userId);
  if (!acting?.active) {
    throw forbidden("ACTOR_INACTIVE", "Your account is disabled or deleted.");
  }
  const roleIds = acting.roleTemplateIds;
  return { actor, userId: actor.userId, roles: toRoleNames(roleIds), privileged: false };
}

/** Throws Forbidden, naming the roles that would allow it, unless the actor may act. */
export function assertAllowed(
  resolved: ResolvedActor,
  permission: Permission,
  target: PermissionTarget = {},
): void {
  if (resolved.privileged) return;
  if (isAllowed(resolved.roles, permission, target)) return;
  const needed = rolesAllowed(permission, target).map((r) => ROLES[r].displayName);
  throw forbidden(
    "INSUFFICIENT_ROLE",
    `This needs one of these roles: ${needed.join(", ") || "none (only the user themselves)"}.`,
    { permission, needed },
  );
}

export async function requirePermission(
  db: Executor,
  actor: Actor,
  tenantId: string,
  permission: Permission,
  target: PermissionTarget = {},
): Promise<ResolvedActor> {
  const resolved = await resolveActor(db, actor, tenantId);
  assertAllowed(resolved, permission, target);
  return resolved;
}

/**
 * `loadTenant` and `requirePermission` for reads, in the fewest round trips: none for a user whose
 * roles came with the request's session (its check already refused a deleted tenant, a disabled or
 * deleted user), one for another signed-in user, two for other actors. Same answers: another
 * tenant's or a deleted tenant is TENANT_NOT_FOUND, an inactive caller ACTOR_INACTIVE, a missing
 * role INSUFFICIENT_ROLE.
 */
export async function openRead(
  db: Executor,
  actor: Actor,
  tenantId: string,
  permission: Permission,
  target: PermissionTarget = {},
): Promise<ResolvedActor> {
  if (actor.type !== "user") {
    await loadTenant(db, actor, tenantId);
    return requirePermission(db, actor, tenantId, permission, target);
  }
  if (actor.tenantId !== tenantId) {
    throw notFound("TENANT_NOT_FOUND", `No organization with id ${tenantId}.`);
  }
  const roleTemplateIds = actor.sessionRoleTemplateIds ?? (await readActingUser(db, actor));
  const resolved: ResolvedActor = {
    actor,
    userId: actor.userId,
    roles: toRoleNames(roleTemplateIds),
    privileged: false,
  };
  assertAllowed(resolved, permission, target);
  return resolved;
}

/** The tenant and the acting user in one round trip: the user's roles, or why there are none. */
async function readActingUser(
  db: Executor,
  actor: Extract<Actor, { type: "user" }>,
): Promise<readonly string[]> {
  const found = await findTenantWithActingUser(db, actor.tenantId, actor.userId);
  if (!found || found.tenant.state === "deleted") {
    throw notFound("TENANT_NOT_FOUND", `No organization with id ${actor.tenantId}.`);
  }
  if (!found.actor?.active) {
    throw forbidden("ACTOR_INACTIVE", "Your account is disabled or deleted.");
  }
  return found.actor.roleTemplateIds;
}
