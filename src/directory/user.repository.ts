import {
  type Insertable,
  type RawBuilder,
  type Selectable,
  type SqlBool,
  sql,
  type Updateable,
} from "kysely";
import type { Executor } from "../store/database.js";
import { keyStartsWith } from "../store/engine.js";
import type { UserTable } from "./user.table.js";
import type { UserFilter } from "./user-filter.js";
import { whereUserFilter } from "./user-filter.repository.js";

export type UserRow = Selectable<UserTable>;

/**
 * A user as listings read it: every column but the password hash, of which only its presence
 * comes out, and the stored Graph document's head. Pages of hundreds of users then neither copy nor
 * expose the hashes.
 */
export type UserRecord = Omit<UserRow, "password_hash" | "document_head"> & {
  has_password: SqlBool;
};

const RECORD_COLUMNS = [
  "tenant_id",
  "id",
  "user_principal_name",
  "upn_key",
  "display_name",
  "display_name_key",
  "mail",
  "mail_nickname",
  "account_enabled",
  "force_change_password",
  "external_id",
  "on_premises_sync_enabled",
  "per_user_mfa_state",
  "created_at",
  "updated_at",
  "deleted_at",
  "security_epoch",
] as const satisfies ReadonlyArray<keyof UserRecord>;

function selectUserRecords(db: Executor) {
  return db
    .selectFrom("app_user")
    .select(RECORD_COLUMNS)
    .select(sql<SqlBool>`password_hash is not null`.as("has_password"));
}

export type UserOrder = "id" | "displayName" | "userPrincipalName";
export type SortDirection = "asc" | "desc";

export interface UserRowQuery {
  /** Recycle bin (true) or live users (false). */
  deleted: boolean;
  limit: number;
  orderBy: UserOrder;
  /** Ascending by default; ties are broken by id in the same direction. */
  direction?: SortDirection | undefined;
  /** Keyset position: rows strictly after (sortKey, id) in the listing's direction. */
  after?: { sortKey: string; id: string } | undefined;
  filter?: UserFilter | undefined;
  upnPrefix?: string | undefined;
  displayNamePrefix?: string | undefined;
  /** Prefix of either the UPN or the display name. */
  search?: string | undefined;
  accountEnabled?: boolean | undefined;
  synced?: boolean | undefined;
  mfaState?: string | undefined;
  excludeIds?: readonly string[] | undefined;
}

export const SORT_COLUMN = {
  id: "id",
  // Case-insensitive order, served by the (tenant_id, display_name_key, id) index.
  displayName: "display_name_key",
  userPrincipalName: "upn_key",
} as const;

export async function insertUsers(
  db: Executor,
  rows: readonly Insertable<UserTable>[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto("app_user").values(rows).execute();
}

export async function findUserRowById(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<UserRow | undefined> {
  return db
    .selectFrom("app_user")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function findUserRowByUpnKey(
  db: Executor,
  tenantId: string,
  key: string,
): Promise<UserRow | undefined> {
  return db
    .selectFrom("app_user")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("upn_key", "=", key)
    .executeTakeFirst();
}

export async function findUserRowsByIds(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
): Promise<UserRecord[]> {
  if (ids.length === 0) return [];
  return selectUserRecords(db).where("tenant_id", "=", tenantId).where("id", "in", ids).execute();
}

/** One page of users in keyset order; ask for `limit + 1` to learn whether more follow. */
export async function listUserRows(
  db: Executor,
  tenantId: string,
  query: UserRowQuery,
): Promise<UserRecord[]> {
  return selectUserPage(db, tenantId, query)
    .select(RECORD_COLUMNS)
    .select(sql<SqlBool>`password_hash is not null`.as("has_password"))
    .execute();
}

/**
 * The users of a page, filtered, ordered and limited; the caller picks the columns. The limit may
 * be a literal written into the SQL (`sql.lit`) instead of a parameter.
 */
export function selectUserPage(
  db: Executor,
  tenantId: string,
  query: Omit<UserRowQuery, "limit"> & { limit: number | RawBuilder<number> },
) {
  const column = SORT_COLUMN[query.orderBy];
  let q = db
    .selectFrom("app_user")
    .where("tenant_id", "=", tenantId)
    .where("deleted_at", query.deleted ? "is not" : "is", null);
  if (query.upnPrefix) q = q.where(keyStartsWith("upn_key", query.upnPrefix));
  if (query.displayNamePrefix)
    q = q.where(keyStartsWith("display_name_key", query.displayNamePrefix));
  if (query.search) {
    const search = query.search;
    q = q.where((eb) =>
      eb.or([keyStartsWith("upn_key", search), keyStartsWith("display_name_key", search)]),
    );
  }
  if (query.accountEnabled !== undefined) q = q.where("account_enabled", "=", query.accountEnabled);
  if (query.synced === true) q = q.where("on_premises_sync_enabled", "=", true);
  if (query.synced === false) {
    q = q.where((eb) =>
      eb.or([
        eb("on_premises_sync_enabled", "is", null),
        eb("on_premises_sync_enabled", "=", false),
      ]),
    );
  }
  if (query.mfaState) q = q.where("per_user_mfa_state", "=", query.mfaState);
  if (query.excludeIds && query.excludeIds.length > 0)
    q = q.where("id", "not in", query.excludeIds);
  const filter = query.filter;
  if (filter) q = q.where((eb) => whereUserFilter(eb, filter));
  const after = query.after;
  const direction = query.direction ?? "asc";
  const past = direction === "asc" ? ">" : "<";
  if (after) {
    q =
      column === "id"
        ? q.where("id", past, after.id)
        : q.where((eb) => eb(eb.refTuple(column, "id"), past, eb.tuple(after.sortKey, after.id)));
  }
  if (column !== "id") q = q.orderBy(column, direction);
  return q.orderBy("id", direction).limit(query.limit);
}

export async function countUserRows(
  db: Executor,
  tenantId: string,
  options: { deleted: boolean; filter?: UserFilter | undefined },
): Promise<number> {
  let q = db
    .selectFrom("app_user")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("tenant_id", "=", tenantId)
    .where("deleted_at", options.deleted ? "is not" : "is", null);
  const filter = options.filter;
  if (filter) q = q.where((eb) => whereUserFilter(eb, filter));
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function updateUserRow(
  db: Executor,
  tenantId: string,
  id: string,
  patch: Updateable<UserTable>,
): Promise<void> {
  await db
    .updateTable("app_user")
    .set(patch)
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

/** Moves live users to the recycle bin; returns how many moved. */
export async function softDeleteUserRows(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
  at: string,
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable("app_user")
    .set({ deleted_at: at, updated_at: at })
    .where("tenant_id", "=", tenantId)
    .where("id", "in", ids)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Erases users for good; role assignments and group memberships go with them (cascade). */
export async function deleteUserRows(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .deleteFrom("app_user")
    .where("tenant_id", "=", tenantId)
    .where("id", "in", ids)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Turning sync off completed: synced users become cloud-managed ("was synced"). */
export async function convertSyncedUserRows(
  db: Executor,
  tenantId: string,
  at: string,
): Promise<number> {
  const result = await db
    .updateTable("app_user")
    .set({ on_premises_sync_enabled: false, updated_at: at })
    .where("tenant_id", "=", tenantId)
    .where("on_premises_sync_enabled", "=", true)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Live user ids in id order after `afterId`, skipping `exceptId`: the bulk "all but one" walk. */
export async function listLiveUserIdsAfter(
  db: Executor,
  tenantId: string,
  options: { afterId: string | null; exceptIds: readonly string[]; limit: number },
): Promise<string[]> {
  let q = db
    .selectFrom("app_user")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("deleted_at", "is", null);
  if (options.afterId) q = q.where("id", ">", options.afterId);
  if (options.exceptIds.length > 0) q = q.where("id", "not in", options.exceptIds);
  const rows = await q.orderBy("id").limit(options.limit).execute();
  return rows.map((r) => r.id);
}

/** Ends every session issued before now (password changed, role removed, account disabled). */
export async function bumpSecurityEpoch(db: Executor, tenantId: string, id: string): Promise<void> {
  await db
    .updateTable("app_user")
    .set((eb) => ({ security_epoch: eb("security_epoch", "+", 1) }))
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

/**
 * What authorizing a user's request needs — whether the account can act, and its role template
 * ids — in one round trip (one row per role; one row with a null role when it holds none).
 */
export async function findActingUserRoles(
  db: Executor,
  tenantId: string,
  userId: string,
): Promise<{ active: boolean; roleTemplateIds: string[] } | undefined> {
  const rows = await db
    .selectFrom("app_user as u")
    .leftJoin("role_assignment as ra", (join) =>
      join.onRef("ra.tenant_id", "=", "u.tenant_id").onRef("ra.user_id", "=", "u.id"),
    )
    .select(["u.account_enabled", "u.deleted_at", "ra.role_template_id"])
    .where("u.tenant_id", "=", tenantId)
    .where("u.id", "=", userId)
    .orderBy("ra.role_template_id")
    .execute();
  const first = rows[0];
  if (!first) return undefined;
  return {
    active: first.deleted_at === null && Boolean(first.account_enabled),
    roleTemplateIds: rows.flatMap((r) => (r.role_template_id === null ? [] : [r.role_template_id])),
  };
}

/** Ids of users in the recycle bin, oldest id first. */
export async function listDeletedUserIds(
  db: Executor,
  tenantId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom("app_user")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("deleted_at", "is not", null)
    .orderBy("id")
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Live users other than `exceptIds` whose per-user MFA is not off, after `afterId`. */
export async function listMfaOnUserIdsAfter(
  db: Executor,
  tenantId: string,
  options: { afterId: string | null; exceptIds: readonly string[]; limit: number },
): Promise<string[]> {
  let q = db
    .selectFrom("app_user")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("deleted_at", "is", null)
    .where("per_user_mfa_state", "!=", "disabled")
    .where("id", "not in", options.exceptIds);
  if (options.afterId) q = q.where("id", ">", options.afterId);
  const rows = await q.orderBy("id").limit(options.limit).execute();
  return rows.map((r) => r.id);
}

export async function setMfaStateOfUsers(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
  state: string,
  at: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("app_user")
    .set({ per_user_mfa_state: state, updated_at: at })
    .where("tenant_id", "=", tenantId)
    .where("id", "in", ids)
    .execute();
}
