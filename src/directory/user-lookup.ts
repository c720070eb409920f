import { notFound } from "../shared/app-error.js";
import type { Executor } from "../store/database.js";
import { toUser } from "./directory-mappers.js";
import { findRoleTemplateIdsOfUsers } from "./role.repository.js";
import type { User } from "./user.js";
import { upnKey } from "./user.js";
import {
  findUserRowById,
  findUserRowByUpnKey,
  type UserRecord,
  type UserRow,
} from "./user.repository.js";

export type UserState = "live" | "deleted" | "any";

/** Finds a user by id or user principal name; throws USER_NOT_FOUND otherwise. */
export async function loadUser(
  db: Executor,
  tenantId: string,
  idOrUpn: string,
  state: UserState = "live",
): Promise<{ user: User; row: UserRow }> {
  const row = idOrUpn.includes("@")
    ? await findUserRowByUpnKey(db, tenantId, upnKey(idOrUpn))
    : await findUserRowById(db, tenantId, idOrUpn);
  const matches =
    row !== undefined &&
    (state === "any" || (state === "live" ? row.deleted_at === null : row.deleted_at !== null));
  if (!matches) throw userNotFound(idOrUpn, state);
  const roles = (await findRoleTemplateIdsOfUsers(db, tenantId, [row.id])).get(row.id) ?? [];
  return { user: toUser(row, roles), row };
}

/** USER_NOT_FOUND, or DELETED_USER_NOT_FOUND when the recycle bin was searched. */
export function userNotFound(idOrUpn: string, state: UserState) {
  return notFound(
    state === "deleted" ? "DELETED_USER_NOT_FOUND" : "USER_NOT_FOUND",
    state === "deleted"
      ? `No user ${idOrUpn} in the recycle bin.`
      : `No user ${idOrUpn} in this organization.`,
  );
}

export async function withRoles(
  db: Executor,
  tenantId: string,
  rows: readonly (UserRow | UserRecord)[],
): Promise<User[]> {
  const roles = await findRoleTemplateIdsOfUsers(
    db,
    tenantId,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toUser(row, roles.get(row.id) ?? []));
}
