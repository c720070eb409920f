import type { Insertable, Selectable, Updateable } from "kysely";
import type { Executor } from "../store/database.js";
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
