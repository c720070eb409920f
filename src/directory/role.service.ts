import { recordAudit } from "../audit/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { blocked, conflict, invalid, notFound } from "../shared/app-error.js";
import { isUniqueViolation, supportsRowLocks } from "../store/engine.js";
import { loadTenant, requirePermission } from "./directory-access.js";
import { findRole, listRoleDefinitions, type RoleDefinition } from "./role.js";
import {
  countActiveRoleMembers,
  deleteRoleAssignment,
  findRoleMemberIds,
  insertRoleAssignment,
} from "./role.repository.js";
import { isActiveGlobalAdministrator, type User } from "./user.js";
import { bumpSecurityEpoch, findUserRowsByIds } from "./user.repository.js";
import { loadUser, withRoles } from "./user-lookup.js";
import { lastGlobalAdministratorError } from "./user-rules.js";

export { listRoleDefinitions };

export function requireRole(nameOrId: string): RoleDefinition {
  const role = findRole(nameOrId);
  if (!role) {
    throw invalid(
      "ROLE_UNKNOWN",
      `"${nameOrId}" is not a directory role. Roles: ${listRoleDefinitions()
        .map((r) => r.displayName)
        .join(", ")}.`,
      {
        field: "role",
      },
    );
  }
  return role;
}

export async function listRoleMembers(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  roleNameOrId: string,
): Promise<User[]> {
  const role = requireRole(roleNameOrId);
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  const ids = await findRoleMemberIds(ctx.db, tenantId, role.roleTemplateId);
  // Role holders are few (admins); listed in a stable order by user principal name.
  const rows = await findUserRowsByIds(ctx.db, tenantId, ids);
  rows.sort((a, b) => a.upn_key.localeCompare(b.upn_key));
  return withRoles(ctx.db, tenantId, rows);
}

/** Assigns a directory role (Global Administrator or Privileged Role Administrator only). */
export async function assignRole(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  userIdOrUpn: string,
  roleNameOrId: string,
): Promise<void> {
  const role = requireRole(roleNameOrId);
  await ctx.db.transaction().execute(async (trx) => {
    await loadTenant(trx, actor, tenantId);
    await requirePermission(trx, actor, tenantId, "roles.manage");
    const { user } = await loadUser(trx, tenantId, userIdOrUpn);
    if (user.roles.includes(role.name)) {
      throw conflict(
        "ROLE_ALREADY_ASSIGNED",
        `${user.userPrincipalName} already has the ${role.displayName} role.`,
      );
    }
    try {
      await insertRoleAssignment(trx, {
        tenant_id: tenantId,
        user_id: user.id,
        role_template_id: role.roleTemplateId,
        created_at: ctx.clock.now().toISOString(),
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict(
          "ROLE_ALREADY_ASSIGNED",
          `${user.userPrincipalName} already has the ${role.displayName} role.`,
        );
      throw error;
    }
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "role.assign",
      target: { type: "user", id: user.id },
      details: { role: role.displayName, userPrincipalName: user.userPrincipalName },
    });
  });
}

/**
 * Removes a directory role. Nobody removes their own Global Administrator role, and the last
 * active Global Administrator keeps it (SPEC §1). The tenant row is locked so two concurrent
 * removals cannot both see "one other admin left".
 */
export async function removeRole(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  userIdOrUpn: string,
  roleNameOrId: string,
): Promise<void> {
  const role = requireRole(roleNameOrId);
  await ctx.db.transaction().execute(async (trx) => {
    await loadTenant(trx, actor, tenantId, {
      forUpdate: true,
      rowLocks: supportsRowLocks(ctx.engine),
    });
    const resolved = await requirePermission(trx, actor, tenantId, "roles.manage");
    const { user } = await loadUser(trx, tenantId, userIdOrUpn, "any");
    if (!user.roles.includes(role.name)) {
      throw notFound(
        "ROLE_ASSIGNMENT_NOT_FOUND",
        `${user.userPrincipalName} does not have the ${role.displayName} role.`,
      );
    }
    if (role.name === "globalAdministrator") {
      if (resolved.userId === user.id) {
        throw blocked(
          "CANNOT_REMOVE_OWN_GLOBAL_ADMIN",
          "You cannot remove your own Global Administrator role; ask another Global Administrator.",
        );
      }
      const active = await countActiveRoleMembers(trx, tenantId, role.roleTemplateId);
      if (isActiveGlobalAdministrator(user) && active <= 1)
        throw lastGlobalAdministratorError(user.userPrincipalName);
    }
    await deleteRoleAssignment(trx, tenantId, user.id, role.roleTemplateId);
    // Sessions that relied on the role end now, not at their expiry (SPEC §2).
    await bumpSecurityEpoch(trx, tenantId, user.id);
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "role.remove",
      target: { type: "user", id: user.id },
      details: { role: role.displayName, userPrincipalName: user.userPrincipalName },
    });
  });
}
