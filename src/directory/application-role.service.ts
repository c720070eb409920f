import { recordAudit } from "../audit/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { conflict, notFound } from "../shared/app-error.js";
import { isUniqueViolation } from "../store/engine.js";
import type { Application } from "./application.js";
import {
  deleteApplicationRoleAssignment,
  findApplicationIdsWithRole,
  insertApplicationRoleAssignment,
  listApplicationRows,
} from "./application.repository.js";
import { loadApplication, withSecrets } from "./application-lookup.js";
import { loadTenant, requirePermission } from "./directory-access.js";
import { type RoleDefinition, roleByTemplateId } from "./role.js";
import { findApplicationRoleTemplateIds } from "./role.repository.js";
import { requireRole } from "./role.service.js";
import { tenantWriteBlocker } from "./user-rules.js";

/**
 * Gives an application a directory role (Global Administrator or Privileged Role Administrator
 * only, like any role assignment). Every role may be given, Global Administrator included — as
 * in Entra — and the audit entry records it; refused in a tenant frozen by its closure.
 */
export async function assignApplicationRole(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  applicationRef: string,
  roleNameOrId: string,
): Promise<void> {
  const role = requireRole(roleNameOrId);
  await ctx.db.transaction().execute(async (trx) => {
    const tenant = await loadTenant(trx, actor, tenantId);
    await requirePermission(trx, actor, tenantId, "roles.manage");
    const frozen = tenantWriteBlocker(tenant);
    if (frozen) throw frozen;
    const { application } = await loadApplication(trx, tenantId, applicationRef);
    const alreadyAssigned = () =>
      conflict(
        "ROLE_ALREADY_ASSIGNED",
        `Application ${application.displayName} already has the ${role.displayName} role.`,
      );
    const held = await findApplicationRoleTemplateIds(trx, tenantId, application.id);
    if (held.includes(role.roleTemplateId)) throw alreadyAssigned();
    try {
      await insertApplicationRoleAssignment(trx, {
        tenant_id: tenantId,
        application_id: application.id,
        role_template_id: role.roleTemplateId,
        created_at: ctx.clock.now().toISOString(),
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyAssigned();
      throw error;
    }
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "role.assign",
      target: { type: "application", id: application.id },
      details: { role: role.displayName, displayName: application.displayName },
    });
  });
}

/**
 * Takes a directory role from an application. Its tokens lose the role's rights on their next
 * request: an application's roles are read afresh for every request.
 */
export async function removeApplicationRole(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  applicationRef: string,
  roleNameOrId: string,
): Promise<void> {
  const role = requireRole(roleNameOrId);
  await ctx.db.transaction().execute(async (trx) => {
    await loadTenant(trx, actor, tenantId);
    await requirePermission(trx, actor, tenantId, "roles.manage");
    const { application } = await loadApplication(trx, tenantId, applicationRef);
    const removed = await deleteApplicationRoleAssignment(
      trx,
      tenantId,
      application.id,
      role.roleTemplateId,
    );
    if (removed === 0) {
      throw notFound(
        "ROLE_ASSIGNMENT_NOT_FOUND",
        `Application ${application.displayName} does not have the ${role.displayName} role.`,
      );
    }
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "role.remove",
      target: { type: "application", id: application.id },
      details: { role: role.displayName, displayName: application.displayName },
    });
  });
}

/** The directory roles an application holds. */
export async function listApplicationRoles(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  applicationRef: string,
): Promise<RoleDefinition[]> {
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  const { application } = await loadApplication(ctx.db, tenantId, applicationRef);
  const ids = await findApplicationRoleTemplateIds(ctx.db, tenantId, application.id);
  return ids.flatMap((id) => roleByTemplateId(id) ?? []);
}

/** The tenant's applications holding a role, oldest first. */
export async function listApplicationsWithRole(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  roleNameOrId: string,
): Promise<Application[]> {
  const role = requireRole(roleNameOrId);
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  const ids = await findApplicationIdsWithRole(ctx.db, tenantId, role.roleTemplateId);
  return withSecrets(ctx.db, tenantId, await listApplicationRows(ctx.db, tenantId, ids));
}
