import type { Executor } from "../store/database.js";

export async function insertRoleAssignment(
  db: Executor,
  row: { tenant_id: string; user_id: string; role_template_id: string; created_at: string },
): Promise<void> {
  await db.insertInto("role_assignment").values(row).execute();
}

export async function deleteRoleAssignment(
  db: Executor,
  tenantId: string,
  userId: string,
  roleTemplateId: string,
): Promise<number> {
  const result = await db
    .deleteFrom("role_assignment")
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .where("role_template_id", "=", roleTemplateId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Role template ids per user, for the given users (deleted users included). */
export async function findRoleTemplateIdsOfUsers(
  db: Executor,
  tenantId: string,
  userIds: readonly string[],
): Promise<Map<string, string[]>> {
  const byUser = new Map<string, string[]>();
  if (userIds.length === 0) return byUser;
  const rows = await db
    .selectFrom("role_assignment")
    .select(["user_id", "role_template_id"])
    .where("tenant_id", "=", tenantId)
    .where("user_id", "in", userIds)
    .orderBy("role_template_id")
    .execute();
  for (const row of rows) {
    const list = byUser.get(row.user_id) ?? [];
    list.push(row.role_template_id);
    byUser.set(row.user_id, list);
  }
  return byUser;
}

/** Ids of users holding the role who are not in the recycle bin. */
export async function findRoleMemberIds(
  db: Executor,
  tenantId: string,
  roleTemplateId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom("role_assignment as ra")
    .innerJoin("app_user as u", (join) =>
      join.onRef("u.tenant_id", "=", "ra.tenant_id").onRef("u.id", "=", "ra.user_id"),
    )
    .select("u.id")
    .where("ra.tenant_id", "=", tenantId)
    .where("ra.role_template_id", "=", roleTemplateId)
    .where("u.deleted_at", "is", null)
    // Ordered by the assignment's column: SQLite then reads the few holders from the role's index
    // and looks each user up, instead of walking every live user in id order (6 ms at 100,000).
    .orderBy("ra.user_id")
    .execute();
  return rows.map((r) => r.id);
}

/** Enabled, not-deleted holders of the role: the count that must never reach zero for GAs. */
export async function countActiveRoleMembers(
  db: Executor,
  tenantId: string,
  roleTemplateId: string,
): Promise<number> {
  const row = await db
    .selectFrom("role_assignment as ra")
    .innerJoin("app_user as u", (join) =>
      join.onRef("u.tenant_id", "=", "ra.tenant_id").onRef("u.id", "=", "ra.user_id"),
    )
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("ra.tenant_id", "=", tenantId)
    .where("ra.role_template_id", "=", roleTemplateId)
    .where("u.deleted_at", "is", null)
    .where("u.account_enabled", "=", true)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Role template ids assigned to an application. */
export async function findApplicationRoleTemplateIds(
  db: Executor,
  tenantId: string,
  applicationId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom("application_role_assignment")
    .select("role_template_id")
    .where("tenant_id", "=", tenantId)
    .where("application_id", "=", applicationId)
    .orderBy("role_template_id")
    .execute();
  return rows.map((r) => r.role_template_id);
}
