import { sql } from "kysely";
import type { Executor } from "../store/database.js";

/** SQL only: the counts the closure checks and plan read, and the erasure of a tenant's rows. */

async function count(query: {
  executeTakeFirstOrThrow(): Promise<{ n: string | number | bigint }>;
}): Promise<number> {
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export async function countUsers(
  db: Executor,
  tenantId: string,
  options: { deleted: boolean; exceptId: string | null; mfaOn?: boolean },
): Promise<number> {
  let q = db
    .selectFrom("app_user")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("tenant_id", "=", tenantId)
    .where("deleted_at", options.deleted ? "is not" : "is", null);
  if (options.exceptId) q = q.where("id", "!=", options.exceptId);
  if (options.mfaOn) q = q.where("per_user_mfa_state", "!=", "disabled");
  return count(q);
}

export async function countApplications(db: Executor, tenantId: string): Promise<number> {
  return count(
    db
      .selectFrom("application")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("tenant_id", "=", tenantId),
  );
}

/** Subscriptions per status. */
export async function countSubscriptionsByStatus(
  db: Executor,
  tenantId: string,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("subscription")
    .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
    .where("tenant_id", "=", tenantId)
    .groupBy("status")
    .execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

/** What the plan needs of a user: synced, licensed, admin (any directory role). */
export interface UserFactsRow {
  id: string;
  deleted: boolean;
  synced: boolean;
  licensed: boolean;
  admin: boolean;
  mfaState: string;
}

export async function listUserFacts(
  db: Executor,
  tenantId: string,
  exceptId: string | null,
): Promise<UserFactsRow[]> {
  let q = db
    .selectFrom("app_user as u")
    .select((eb) => [
      "u.id",
      "u.deleted_at",
      "u.on_premises_sync_enabled",
      "u.per_user_mfa_state",
      eb
        .exists(
          eb
            .selectFrom("license_assignment as l")
            .select("l.sku_id")
            .whereRef("l.tenant_id", "=", "u.tenant_id")
            .whereRef("l.user_id", "=", "u.id"),
        )
        .as("licensed"),
      eb
        .exists(
          eb
            .selectFrom("role_assignment as r")
            .select("r.role_template_id")
            .whereRef("r.tenant_id", "=", "u.tenant_id")
            .whereRef("r.user_id", "=", "u.id"),
        )
        .as("admin"),
    ])
    .where("u.tenant_id", "=", tenantId);
  if (exceptId) q = q.where("u.id", "!=", exceptId);
  const rows = await q.orderBy("u.id").execute();
  return rows.map((r) => ({
    id: r.id,
    deleted: r.deleted_at !== null,
    synced: Boolean(r.on_premises_sync_enabled),
    licensed: Boolean(r.licensed),
    admin: Boolean(r.admin),
    mfaState: r.per_user_mfa_state,
  }));
}

/** The tenant's rows in one table (any table with a `tenant_id` column). */
export async function countTenantRows(
  db: Executor,
  table: string,
  tenantId: string,
): Promise<number> {
  const result = await sql<{
    n: string | number;
  }>`select count(*) as n from ${sql.table(table)} where tenant_id = ${tenantId}`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

export async function deleteTenantRows(
  db: Executor,
  table: string,
  tenantId: string,
): Promise<void> {
  await sql`delete from ${sql.table(table)} where tenant_id = ${tenantId}`.execute(db);
}

export async function markTenantDeleted(db: Executor, tenantId: string, at: string): Promise<void> {
  await db
    .updateTable("tenant")
    .set({ state: "deleted", deleted_at: at, updated_at: at })
    .where("id", "=", tenantId)
    .execute();
}

export async function updateTenantState(
  db: Executor,
  tenantId: string,
  state: "active" | "closing",
  at: string,
): Promise<void> {
  await db
    .updateTable("tenant")
    .set({ state, updated_at: at })
    .where("id", "=", tenantId)
    .execute();
}

/** What the guided closure needs of a subscription to decide and to explain a wait. */
export interface SubscriptionFactsRow {
  id: string;
  status: string;
  marked_for_deletion_at: string | null;
  deprovision_at: string | null;
  next_lifecycle_at: string | null;
}

/** The tenant's subscriptions in `statuses`, by id after `afterId`. */
export async function listSubscriptionFacts(
  db: Executor,
  tenantId: string,
  options: { statuses: readonly string[]; afterId: string | null; limit: number },
): Promise<SubscriptionFactsRow[]> {
  let q = db
    .selectFrom("subscription")
    .select(["id", "status", "marked_for_deletion_at", "deprovision_at", "next_lifecycle_at"])
    .where("tenant_id", "=", tenantId)
    .where("status", "in", [...options.statuses]);
  if (options.afterId) q = q.where("id", ">", options.afterId);
  return q.orderBy("id").limit(options.limit).execute();
}

/** The tenant row whatever its state (a deleted tenant keeps it), for the certificate. */
export async function findTenantRecord(db: Executor, tenantId: string) {
  return db
    .selectFrom("tenant")
    .select(["id", "initial_domain", "state", "deleted_at"])
    .where("id", "=", tenantId)
    .executeTakeFirst();
}

/** Live Global Administrators of the tenant (role template id given by the caller). */
export async function listRoleHolderIds(
  db: Executor,
  tenantId: string,
  roleTemplateId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom("role_assignment as r")
    .innerJoin("app_user as u", (j) =>
      j.onRef("u.tenant_id", "=", "r.tenant_id").onRef("u.id", "=", "r.user_id"),
    )
    .select("u.id")
    .where("r.tenant_id", "=", tenantId)
    .where("r.role_template_id", "=", roleTemplateId)
    .where("u.deleted_at", "is", null)
    // Ordered by the assignment's column: SQLite then reads the few holders from the role's index
    // and looks each user up, instead of walking every live user in id order.
    .orderBy("r.user_id")
    .execute();
  return rows.map((r) => r.id);
}
