import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import type { ApplicationTable } from "./application.table.js";

export type ApplicationRow = Selectable<ApplicationTable>;

export async function insertApplication(
  db: Executor,
  row: Insertable<ApplicationTable>,
): Promise<void> {
  await db.insertInto("application").values(row).execute();
}

export async function findApplicationRow(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<ApplicationRow | undefined> {
  return db
    .selectFrom("application")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
}
