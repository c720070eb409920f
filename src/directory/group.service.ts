import type { Updateable } from "kysely";
import { recordAudit } from "../audit/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { conflict, invalid, notFound } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import type { Executor } from "../store/database.js";
import { isUniqueViolation } from "../store/engine.js";
import { loadTenant, requirePermission } from "./directory-access.js";
import { type Group, nicknameFromDisplayName, normalizeDescription } from "./group.js";
import {
  deleteGroupMember,
  deleteGroupRow,
  findGroupRow,
  type GroupRow,
  insertGroup,
  insertGroupMember,
  listGroupMemberIds,
  listGroupRows,
  updateGroupRow,
} from "./group.repository.js";
import type { GroupTable } from "./group.table.js";
import { normalizeDisplayName } from "./tenant.js";
import { normalizeExternalId, normalizeMailNickname, type User } from "./user.js";
import { findUserRowsByIds } from "./user.repository.js";
import { loadUser, withRoles } from "./user-lookup.js";
import { tenantWriteBlocker } from "./user-rules.js";

export interface CreateGroupInput {
  displayName: string;
  description?: string | null | undefined;
  mailNickname?: string | undefined;
  securityEnabled?: boolean | undefined;
  externalId?: string | null | undefined;
}

export type UpdateGroupInput = Partial<CreateGroupInput>;

export async function createGroup(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  input: CreateGroupInput,
): Promise<Group> {
  const displayName = normalizeDisplayName(input.displayName);
  return ctx.db.transaction().execute(async (trx) => {
    await authorizeGroupChange(trx, actor, tenantId);
    const now = ctx.clock.now().toISOString();
    const id = newId();
    await insertGroup(trx, {
      tenant_id: tenantId,
      id,
      display_name: displayName,
      description: normalizeDescription(input.description),
      mail_nickname: normalizeMailNickname(
        input.mailNickname,
        nicknameFromDisplayName(displayName),
      ),
      security_enabled: input.securityEnabled ?? true,
      external_id: normalizeExternalId(input.externalId),
      on_premises_sync_enabled: null,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "group.create",
      target: { type: "group", id },
      details: { displayName },
    });
    return loadGroup(trx, tenantId, id);
  });
}

export async function getGroup(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  groupId: string,
): Promise<Group> {
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  return loadGroup(ctx.db, tenantId, groupId);
}

export async function listGroups(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  options: { afterId?: string; limit?: number; displayNamePrefix?: string } = {},
): Promise<Group[]> {
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 999)
    throw invalid("PAGE_SIZE_INVALID", "The page size must be between 1 and 999.");
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  const rows = await listGroupRows(ctx.db, tenantId, {
    afterId: options.afterId,
    limit,
    displayNamePrefix: options.displayNamePrefix,
  });
  return rows.map(toGroup);
}

export async function updateGroup(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  groupId: string,
  input: UpdateGroupInput,
): Promise<Group> {
  return ctx.db.transaction().execute(async (trx) => {
    await authorizeGroupChange(trx, actor, tenantId);
    const group = await loadGroup(trx, tenantId, groupId);
    const patch: Updateable<GroupTable> = {};
    if (input.displayName !== undefined)
      patch.display_name = normalizeDisplayName(input.displayName);
    if (input.description !== undefined)
      patch.description = normalizeDescription(input.description);
    if (input.mailNickname !== undefined)
      patch.mail_nickname = normalizeMailNickname(input.mailNickname, group.mailNickname);
    if (input.securityEnabled !== undefined) patch.security_enabled = input.securityEnabled;
    if (input.externalId !== undefined) patch.external_id = normalizeExternalId(input.externalId);
    if (Object.keys(patch).length === 0) return group;
    patch.updated_at = ctx.clock.now().toISOString();
    await updateGroupRow(trx, tenantId, groupId, patch);
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "group.update",
      target: { type: "group", id: groupId },
      details: { displayName: patch.display_name ?? group.displayName },
    });
    return loadGroup(trx, tenantId, groupId);
  });
}

export async function deleteGroup(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  groupId: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await authorizeGroupChange(trx, actor, tenantId);
    const group = await loadGroup(trx, tenantId, groupId);
    await deleteGroupRow(trx, tenantId, groupId);
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "group.delete",
      target: { type: "group", id: groupId },
      details: { displayName: group.displayName },
    });
  });
}

export async function addGroupMember(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  groupId: string,
  userIdOrUpn: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await authorizeGroupChange(trx, actor, tenantId);
    await loadGroup(trx, tenantId, groupId);
    const { user } = await loadUser(trx, tenantId, userIdOrUpn);
    try {
      await insertGroupMember(trx, {
        tenant_id: tenantId,
        group_id: groupId,
        user_id: user.id,
        created_at: ctx.clock.now().toISOString(),
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw conflict(
          "ALREADY_GROUP_MEMBER",
          `${user.userPrincipalName} is already a member of this group.`,
        );
      throw error;
    }
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "group.addMember",
      target: { type: "group", id: groupId },
      details: { userId: user.id, userPrincipalName: user.userPrincipalName },
    });
  });
}

export async function removeGroupMember(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  groupId: string,
  userIdOrUpn: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await authorizeGroupChange(trx, actor, tenantId);
    await loadGroup(trx, tenantId, groupId);
    const { user } = await loadUser(trx, tenantId, userIdOrUpn, "any");
    if ((await deleteGroupMember(trx, tenantId, groupId, user.id)) === 0) {
      throw notFound(
        "GROUP_MEMBER_NOT_FOUND",
        `${user.userPrincipalName} is not a member of this group.`,
      );
    }
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "group.removeMember",
      target: { type: "group", id: groupId },
      details: { userId: user.id, userPrincipalName: user.userPrincipalName },
    });
  });
}

export async function listGroupMembers(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  groupId: string,
  options: { afterId?: string; limit?: number } = {},
): Promise<User[]> {
  const limit = options.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 999) {
    throw invalid("PAGE_SIZE_INVALID", "The page size must be between 1 and 999.");
  }
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  await loadGroup(ctx.db, tenantId, groupId);
  const ids = await listGroupMemberIds(ctx.db, tenantId, groupId, {
    afterId: options.afterId,
    limit,
  });
  const rows = await findUserRowsByIds(ctx.db, tenantId, ids);
  rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  return withRoles(ctx.db, tenantId, rows);
}

/** Groups change only in a live (not frozen) tenant, by GA or User Administrator. */
async function authorizeGroupChange(db: Executor, actor: Actor, tenantId: string): Promise<void> {
  const tenant = await loadTenant(db, actor, tenantId);
  await requirePermission(db, actor, tenantId, "groups.manage");
  const frozen = tenantWriteBlocker(tenant);
  if (frozen) throw frozen;
}

async function loadGroup(db: Executor, tenantId: string, groupId: string): Promise<Group> {
  const row = await findGroupRow(db, tenantId, groupId);
  if (!row) throw notFound("GROUP_NOT_FOUND", `No group ${groupId} in this organization.`);
  return toGroup(row);
}

function toGroup(row: GroupRow): Group {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    displayName: row.display_name,
    description: row.description,
    mailNickname: row.mail_nickname,
    securityEnabled: Boolean(row.security_enabled),
    externalId: row.external_id,
    onPremisesSyncEnabled:
      row.on_premises_sync_enabled === null ? null : Boolean(row.on_premises_sync_enabled),
    createdDateTime: new Date(row.created_at),
  };
}
