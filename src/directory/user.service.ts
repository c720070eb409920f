import type { Updateable } from "kysely";
import { recordAudit } from "../audit/index.js";
import { cancelJob, scheduleJob } from "../scheduler/index.js";
import { hashPassword } from "../security/password-hash.js";
import { assertPasswordAllowed } from "../security/password-policy.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { conflict, invalid } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import type { Executor } from "../store/database.js";
import { isUniqueViolation, supportsRowLocks } from "../store/engine.js";
import {
  assertAllowed,
  loadTenant,
  openRead,
  type ResolvedActor,
  requirePermission,
  resolveActor,
} from "./directory-access.js";
import { JOB_PURGE_USER } from "./directory-jobs.js";
import { ROLES } from "./role.js";
import { countActiveRoleMembers } from "./role.repository.js";
import { isReadOnlySyncedUser, syncedUserReadOnlyError } from "./sync.js";
import { normalizeDisplayName, type Tenant } from "./tenant.js";
import { listTenantDomainNames } from "./tenant.repository.js";
import {
  isAdminUser,
  normalizeExternalId,
  normalizeMail,
  normalizeMailNickname,
  parseUpn,
  type User,
  upnKey,
} from "./user.js";
import {
  bumpSecurityEpoch,
  deleteUserRows,
  findUserRowByUpnKey,
  insertUsers,
  softDeleteUserRows,
  updateUserRow,
} from "./user.repository.js";
import type { UserTable } from "./user.table.js";
import { loadUser, type UserState } from "./user-lookup.js";
import {
  assertSyncChannel,
  purgeDueAt,
  removalBlocker,
  tenantWriteBlocker,
  upnTakenError,
} from "./user-rules.js";

export interface CreateUserInput {
  userPrincipalName: string;
  displayName: string;
  mailNickname?: string | undefined;
  mail?: string | null | undefined;
  accountEnabled?: boolean | undefined;
  password?: string | undefined;
  forceChangePasswordNextSignIn?: boolean | undefined;
  externalId?: string | null | undefined;
  /** Only the sync channel (SCIM) creates synced users, and only while the tenant's sync is on. */
  onPremisesSyncEnabled?: boolean | undefined;
}

export interface UpdateUserInput {
  userPrincipalName?: string | undefined;
  displayName?: string | undefined;
  mailNickname?: string | undefined;
  mail?: string | null | undefined;
  accountEnabled?: boolean | undefined;
  password?: string | undefined;
  forceChangePasswordNextSignIn?: boolean | undefined;
  externalId?: string | null | undefined;
}

/** Creates a cloud user (or a synced one through the sync channel). New users start with MFA disabled. */
export async function createUser(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  input: CreateUserInput,
): Promise<User> {
  const passwordHash =
    input.password === undefined
      ? null
      : await hashNewPassword(ctx, input.password, input.userPrincipalName);
  return ctx.db.transaction().execute(async (trx) => {
    const tenant = await loadTenant(trx, actor, tenantId);
    await requirePermission(trx, actor, tenantId, "users.manage", { isAdmin: false });
    const frozen = tenantWriteBlocker(tenant);
    if (frozen) throw frozen;
    if (input.onPremisesSyncEnabled) assertSyncChannel(actor, tenant);
    const upn = parseUpn(input.userPrincipalName, await listTenantDomainNames(trx, tenantId));
    const existing = await findUserRowByUpnKey(trx, tenantId, upnKey(upn.userPrincipalName));
    if (existing) throw upnTakenError(upn.userPrincipalName, existing.deleted_at !== null);
    const now = ctx.clock.now().toISOString();
    const id = newId();
    const displayName = normalizeDisplayName(input.displayName);
    try {
      await insertUsers(trx, [
        {
          tenant_id: tenantId,
          id,
          user_principal_name: upn.userPrincipalName,
          upn_key: upnKey(upn.userPrincipalName),
          display_name: displayName,
          mail: normalizeMail(input.mail),
          mail_nickname: normalizeMailNickname(input.mailNickname, upn.localPart),
          account_enabled: input.accountEnabled ?? true,
          password_hash: passwordHash,
          force_change_password: input.forceChangePasswordNextSignIn ?? false,
          external_id: normalizeExternalId(input.externalId),
          on_premises_sync_enabled: input.onPremisesSyncEnabled ? true : null,
          per_user_mfa_state: "disabled",
          created_at: now,
          updated_at: now,
          deleted_at: null,
        },
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) throw upnTakenError(upn.userPrincipalName, false);
      throw error;
    }
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "user.create",
      target: { type: "user", id },
      details: { userPrincipalName: upn.userPrincipalName, displayName },
    });
    return (await loadUser(trx, tenantId, id)).user;
  });
}

export async function getUser(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  idOrUpn: string,
  state: "live" | "deleted" = "live",
): Promise<User> {
  await openRead(ctx.db, actor, tenantId, "directory.read");
  return (await loadUser(ctx.db, tenantId, idOrUpn, state)).user;
}

/** Changes a live user. Synced users are read-only while sync is on; the last Global Administrator stays enabled. */
export async function updateUser(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  idOrUpn: string,
  input: UpdateUserInput,
): Promise<User> {
  const upnForPolicy = input.userPrincipalName ?? idOrUpn;
  const passwordHash =
    input.password === undefined
      ? undefined
      : await hashNewPassword(ctx, input.password, upnForPolicy);
  return ctx.db.transaction().execute(async (trx) => {
    const { tenant, resolved, user } = await beginUserChange(ctx, trx, actor, tenantId, idOrUpn, {
      lockTenant: true,
    });
    if (isReadOnlySyncedUser(user, tenant)) throw syncedUserReadOnlyError(user);
    const patch: Updateable<UserTable> = {};
    const details: Record<string, unknown> = {};
    if (input.userPrincipalName !== undefined) {
      const upn = parseUpn(input.userPrincipalName, await listTenantDomainNames(trx, tenantId));
      const existing = await findUserRowByUpnKey(trx, tenantId, upnKey(upn.userPrincipalName));
      if (existing && existing.id !== user.id)
        throw upnTakenError(upn.userPrincipalName, existing.deleted_at !== null);
      patch.user_principal_name = upn.userPrincipalName;
      patch.upn_key = upnKey(upn.userPrincipalName);
      details.userPrincipalName = upn.userPrincipalName;
    }
    if (input.displayName !== undefined)
      details.displayName = patch.display_name = normalizeDisplayName(input.displayName);
    if (input.mail !== undefined) details.mail = patch.mail = normalizeMail(input.mail);
    if (input.mailNickname !== undefined)
      patch.mail_nickname = normalizeMailNickname(input.mailNickname, user.mailNickname);
    if (input.externalId !== undefined) patch.external_id = normalizeExternalId(input.externalId);
    if (input.forceChangePasswordNextSignIn !== undefined)
      patch.force_change_password = input.forceChangePasswordNextSignIn;
    if (input.password !== undefined && passwordHash !== undefined) {
      // The early check above only knew the reference the caller gave (often the id): check the
      // policy's "not the user name" rule against the principal name the user will have.
      assertPasswordAllowed(input.password, patch.user_principal_name ?? user.userPrincipalName);
      patch.password_hash = passwordHash;
    }
    if (input.accountEnabled === false && user.accountEnabled) {
      await assertRemovable(trx, tenant, resolved.userId, user, "disable");
    }
    if (input.accountEnabled !== undefined) patch.account_enabled = input.accountEnabled;
    if (Object.keys(patch).length === 0) return user;
    patch.updated_at = ctx.clock.now().toISOString();
    try {
      await updateUserRow(trx, tenantId, user.id, patch);
    } catch (error) {
      if (isUniqueViolation(error)) throw upnTakenError(input.userPrincipalName ?? "", false);
      throw error;
    }
    // A new password or a disabled account ends the user's sessions at once (SPEC §2).
    if (passwordHash !== undefined || input.accountEnabled === false) {
      await bumpSecurityEpoch(trx, tenantId, user.id);
    }
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "user.update",
      target: { type: "user", id: user.id },
      details: { ...details, changed: changedFields(input) },
    });
    return (await loadUser(trx, tenantId, user.id)).user;
  });
}

/** Moves a user to the recycle bin for 30 days; a purge job is scheduled in the same transaction. */
export async function deleteUser(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  idOrUpn: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const { tenant, resolved, user } = await beginUserChange(ctx, trx, actor, tenantId, idOrUpn, {
      lockTenant: true,
    });
    await assertRemovable(trx, tenant, resolved.userId, user, "delete");
    const now = ctx.clock.now();
    await softDeleteUserRows(trx, tenantId, [user.id], now.toISOString());
    await scheduleJob(
      trx,
      {
        tenantId,
        kind: JOB_PURGE_USER,
        key: user.id,
        dueAt: purgeDueAt(now),
        payload: { userId: user.id },
      },
      now,
    );
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "user.delete",
      target: { type: "user", id: user.id },
      details: { userPrincipalName: user.userPrincipalName },
    });
  });
}

/** Brings a user back from the recycle bin with its roles and group memberships. */
export async function restoreUser(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  userId: string,
): Promise<User> {
  return ctx.db.transaction().execute(async (trx) => {
    const { user } = await beginUserChange(ctx, trx, actor, tenantId, userId, { state: "deleted" });
    const now = ctx.clock.now().toISOString();
    await updateUserRow(trx, tenantId, user.id, { deleted_at: null, updated_at: now });
    await cancelJob(trx, { tenantId, kind: JOB_PURGE_USER, key: user.id });
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "user.restore",
      target: { type: "user", id: user.id },
      details: { userPrincipalName: user.userPrincipalName },
    });
    return (await loadUser(trx, tenantId, user.id)).user;
  });
}

/** Erases a user from the recycle bin for good: irreversible. */
export async function purgeUser(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  userId: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await loadTenant(trx, actor, tenantId);
    const resolved = await resolveActor(trx, actor, tenantId);
    const { user } = await loadUser(trx, tenantId, userId, "any");
    assertAllowed(resolved, "users.manage", { isAdmin: isAdminUser(user) });
    if (user.deletedDateTime === null) {
      throw conflict(
        "USER_NOT_DELETED",
        `${user.userPrincipalName} is not in the recycle bin; delete it first, then purge it.`,
      );
    }
    await deleteUserRows(trx, tenantId, [user.id]);
    await cancelJob(trx, { tenantId, kind: JOB_PURGE_USER, key: user.id });
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "user.purge",
      target: { type: "user", id: user.id },
      details: { userPrincipalName: user.userPrincipalName },
    });
  });
}

/**
 * The common start of a change to one user, inside its transaction: the tenant (locked on
 * PostgreSQL when the change may lower the count of Global Administrators), the actor with fresh
 * roles, the user, the permission on that user (admins need a stronger role), and the freeze.
 */
async function beginUserChange(
  ctx: AppContext,
  trx: Executor,
  actor: Actor,
  tenantId: string,
  idOrUpn: string,
  options: { state?: UserState; lockTenant?: boolean },
): Promise<{ tenant: Tenant; resolved: ResolvedActor; user: User }> {
  const tenant = await loadTenant(trx, actor, tenantId, {
    forUpdate: options.lockTenant ?? false,
    rowLocks: supportsRowLocks(ctx.engine),
  });
  const resolved = await resolveActor(trx, actor, tenantId);
  const { user } = await loadUser(trx, tenantId, idOrUpn, options.state ?? "live");
  assertAllowed(resolved, "users.manage", { isAdmin: isAdminUser(user) });
  const frozen = tenantWriteBlocker(tenant);
  if (frozen) throw frozen;
  return { tenant, resolved, user };
}

/**
 * Refuses to delete or disable `user` when a rule forbids it (self, synced while sync is on, the
 * last active Global Administrator). Call with the tenant row locked, so the count stays true.
 */
async function assertRemovable(
  trx: Executor,
  tenant: Tenant,
  actorUserId: string | null,
  user: User,
  verb: "delete" | "disable",
): Promise<void> {
  const activeGlobalAdministrators = await countActiveRoleMembers(
    trx,
    tenant.id,
    ROLES.globalAdministrator.roleTemplateId,
  );
  const reason = removalBlocker(user, { tenant, actorUserId, activeGlobalAdministrators }, verb);
  if (reason) throw reason;
}

async function hashNewPassword(
  ctx: AppContext,
  password: string,
  userPrincipalName: string,
): Promise<string> {
  if (typeof password !== "string") throw invalid("PASSWORD_INVALID", "password must be a string.");
  assertPasswordAllowed(password, userPrincipalName);
  return hashPassword(password, ctx.config.hashCost);
}

function changedFields(input: UpdateUserInput): string[] {
  return Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
}
