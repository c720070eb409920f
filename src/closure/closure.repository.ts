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
