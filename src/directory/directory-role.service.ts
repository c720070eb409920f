import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { notFound } from "../shared/app-error.js";
import type { Application } from "./application.js";
import { findApplicationRow } from "./application.repository.js";
import {
  assignApplicationRole,
  listApplicationsWithRole,
  removeApplicationRole,
} from "./application-role.service.js";
import { loadTenant, requirePermission } from "./directory-access.js";
import { findRole, listRoleDefinitions, type RoleDefinition } from "./role.js";
import { assignRole, listRoleMembers, removeRole } from "./role.service.js";
import type { User } from "./user.js";
import { findUserRowById } from "./user.repository.js";

/**
 * Directory roles as Graph shows them (`/directoryRoles`): every built-in role, with members that
 * are users or applications, addressed by object id.
 */
export type DirectoryRoleMember =
  | { type: "user"; user: User }
  | { type: "application"; application: Application };

/** Every built-in role; any member of the tenant (user or application) may read them. */
export async function listDirectoryRoles(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<RoleDefinition[]> {
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  return listRoleDefinitions();
}

/** One role by template id (or name); ROLE_NOT_FOUND otherwise. */
export async function getDirectoryRole(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  roleRef: string,
): Promise<RoleDefinition> {
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  return findDirectoryRole(roleRef);
}

/** The role's users (not in the recycle bin, by user principal name), then its applications. */
export async function listDirectoryRoleMembers(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  roleRef: string,
): Promise<DirectoryRoleMember[]> {
  const role = findDirectoryRole(roleRef);
  const users = await listRoleMembers(ctx, actor, tenantId, role.roleTemplateId);
  const applications = await listApplicationsWithRole(ctx, actor, tenantId, role.roleTemplateId);
  return [
    ...users.map((user) => ({ type: "user" as const, user })),
    ...applications.map((application) => ({ type: "application" as const, application })),
  ];
}

/** Gives the role to the user or application with this object id. */
export async function addDirectoryRoleMember(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  roleRef: string,
  objectId: string,
): Promise<void> {
  const role = findDirectoryRole(roleRef);
  const type = await directoryObjectType(ctx, actor, tenantId, objectId);
  if (type === "application") {
    await assignApplicationRole(ctx, actor, tenantId, objectId, role.roleTemplateId);
  } else {
    await assignRole(ctx, actor, tenantId, objectId, role.roleTemplateId);
  }
}

/** Takes the role from the user or application with this object id. */
export async function removeDirectoryRoleMember(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  roleRef: string,
  objectId: string,
): Promise<void> {
  const role = findDirectoryRole(roleRef);
  const type = await directoryObjectType(ctx, actor, tenantId, objectId);
  if (type === "application") {
    await removeApplicationRole(ctx, actor, tenantId, objectId, role.roleTemplateId);
  } else {
    await removeRole(ctx, actor, tenantId, objectId, role.roleTemplateId);
  }
}

function findDirectoryRole(roleRef: string): RoleDefinition {
  const role = findRole(roleRef);
  if (!role) throw notFound("ROLE_NOT_FOUND", `No directory role ${roleRef}.`);
  return role;
}

/**
 * Whether an object id names one of the tenant's applications or users. The tenant is checked
 * first, so an actor of another tenant learns nothing of its objects (SPEC §2).
 */
async function directoryObjectType(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  objectId: string,
): Promise<"user" | "application"> {
  await loadTenant(ctx.db, actor, tenantId);
  if (await findApplicationRow(ctx.db, tenantId, objectId)) return "application";
  if (await findUserRowById(ctx.db, tenantId, objectId)) return "user";
  throw notFound(
    "DIRECTORY_OBJECT_NOT_FOUND",
    `No user or application with id ${objectId} in this organization.`,
  );
}
