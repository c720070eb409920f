import type { Insertable, Selectable, Updateable } from "kysely";
import type { Executor } from "../store/database.js";
import { lowerStartsWith } from "../store/engine.js";
import type { GroupTable } from "./group.table.js";

export type GroupRow = Selectable<GroupTable>;

export async function insertGroup(db: Executor, row: Insertable<GroupTable>): Promise<void> {
  await db.insertInto("directory_group").values(row).execute();
}

export async function findGroupRow(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<GroupRow | undefined> {
  return db
    .selectFrom("directory_group")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function listGroupRows(
  db: Executor,
  tenantId: string,
  options: { afterId?: string | undefined; limit: number; displayNamePrefix?: string | undefined },
): Promise<GroupRow[]> {
  let q = db.selectFrom("directory_group").selectAll().where("tenant_id", "=", tenantId);
  if (options.afterId) q = q.where("id", ">", options.afterId);
  if (options.displayNamePrefix)
    q = q.where(lowerStartsWith("display_name", options.displayNamePrefix));
  return q.orderBy("id").limit(options.limit).execute();
}

export async function updateGroupRow(
  db: Executor,
  tenantId: string,
  id: string,
  patch: Updateable<GroupTable>,
): Promise<void> {
  await db
    .updateTable("directory_group")
    .set(patch)
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

/** Deletes the group; its memberships go with it (cascade). */
export async function deleteGroupRow(db: Executor, tenantId: string, id: string): Promise<void> {
  await db
    .deleteFrom("directory_group")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

export async function insertGroupMember(
  db: Executor,
  row: { tenant_id: string; group_id: string; user_id: string; created_at: string },
): Promise<void> {
  await db.insertInto("group_member").values(row).execute();
}

export async function deleteGroupMember(
  db: Executor,
  tenantId: string,
  groupId: string,
  userId: string,
): Promise<number> {
  const result = await db
    .deleteFrom("group_member")
    .where("tenant_id", "=", tenantId)
    .where("group_id", "=", groupId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Member ids that are live users (members in the recycle bin come back when restored). */
export async function listGroupMemberIds(
  db: Executor,
  tenantId: string,
  groupId: string,
  options: { afterId?: string | undefined; limit: number },
): Promise<string[]> {
  let q = db
    .selectFrom("group_member as m")
    .innerJoin("app_user as u", (join) =>
      join.onRef("u.tenant_id", "=", "m.tenant_id").onRef("u.id", "=", "m.user_id"),
    )
    .select("u.id")
    .where("m.tenant_id", "=", tenantId)
    .where("m.group_id", "=", groupId)
    .where("u.deleted_at", "is", null);
  // Positioned and ordered by the membership's column, so that the group's index drives the
  // query rather than every live user of the tenant in id order.
  if (options.afterId) q = q.where("m.user_id", ">", options.afterId);
  const rows = await q.orderBy("m.user_id").limit(options.limit).execute();
  return rows.map((r) => r.id);
}
