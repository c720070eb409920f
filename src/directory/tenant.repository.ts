import type { Insertable, Selectable, Updateable } from "kysely";
import type { Executor } from "../store/database.js";
import { PreparedQuery } from "../store/prepared-query.js";
import type { TenantDomainTable, TenantTable } from "./tenant.table.js";

export type TenantRow = Selectable<TenantTable>;

export async function insertTenant(db: Executor, row: Insertable<TenantTable>): Promise<void> {
  await db.insertInto("tenant").values(row).execute();
}

export async function insertDomain(
  db: Executor,
  row: Insertable<TenantDomainTable>,
): Promise<void> {
  await db.insertInto("tenant_domain").values(row).execute();
}

export async function findTenantRow(
  db: Executor,
  tenantId: string,
): Promise<TenantRow | undefined> {
  return db.selectFrom("tenant").selectAll().where("id", "=", tenantId).executeTakeFirst();
}

/** Locks the tenant row on PostgreSQL for the rest of the transaction (a no-op lock on SQLite). */
export async function findTenantRowForUpdate(
  db: Executor,
  tenantId: string,
  rowLocks: boolean,
): Promise<TenantRow | undefined> {
  const query = db.selectFrom("tenant").selectAll().where("id", "=", tenantId);
  return (rowLocks ? query.forUpdate() : query).executeTakeFirst();
}

export async function listTenantDomainNames(db: Executor, tenantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("tenant_domain")
    .select("name")
    .where("tenant_id", "=", tenantId)
    .orderBy("name")
    .execute();
  return rows.map((r) => r.name);
}

export async function isDomainRegistered(db: Executor, name: string): Promise<boolean> {
  const row = await db
    .selectFrom("tenant_domain")
    .select("name")
    .where("name", "=", name)
    .executeTakeFirst();
  return row !== undefined;
}

export async function updateTenantRow(
  db: Executor,
  tenantId: string,
  patch: Updateable<TenantTable>,
): Promise<void> {
  await db.updateTable("tenant").set(patch).where("id", "=", tenantId).execute();
}

/** Whether any tenant row exists, in any state (closed tenants count). */
export async function anyTenantRowExists(db: Executor): Promise<boolean> {
  const row = await db.selectFrom("tenant").select("id").limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * The tenant and, in the same round trip, whether the acting user is active and which roles it
 * holds (one row per role; `actor_found` is false when the user is not in this tenant).
 */
export async function findTenantWithActingUser(
  db: Executor,
  tenantId: string,
  userId: string,
): Promise<
  | { tenant: TenantRow; actor: { active: boolean; roleTemplateIds: string[] } | undefined }
  | undefined
> {
  const rows = await tenantWithActingUser.execute(db, { tenantId, userId });
  const first = rows[0];
  if (!first) return undefined;
  const { actor_id, actor_account_enabled, actor_deleted_at, role_template_id, ...tenant } = first;
  return {
    tenant,
    actor:
      actor_id === null
        ? undefined
        : {
            active: actor_deleted_at === null && Boolean(actor_account_enabled),
            roleTemplateIds: rows.flatMap((r) =>
              r.role_template_id === null ? [] : [r.role_template_id],
            ),
          },
  };
}

/** Every read's permission check asks this: prepared once (prepared-query.ts). */
const tenantWithActingUser = new PreparedQuery(
  (db: Executor, args: { tenantId: string; userId: string }) =>
    db
      .selectFrom("tenant as t")
      .leftJoin("app_user as u", (join) =>
        join.onRef("u.tenant_id", "=", "t.id").on("u.id", "=", args.userId),
      )
      .leftJoin("role_assignment as ra", (join) =>
        join.onRef("ra.tenant_id", "=", "u.tenant_id").onRef("ra.user_id", "=", "u.id"),
      )
      .selectAll("t")
      .select([
        "u.id as actor_id",
        "u.account_enabled as actor_account_enabled",
        "u.deleted_at as actor_deleted_at",
        "ra.role_template_id",
      ])
      .where("t.id", "=", args.tenantId)
      .orderBy("ra.role_template_id"),
);
