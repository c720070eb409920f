import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import type { DriveItemTable } from "./content.table.js";

/** An item without its bytes: what listings and metadata need. */
export type DriveItemRecord = Omit<Selectable<DriveItemTable>, "content">;

const RECORD_COLUMNS = [
  "tenant_id",
  "id",
  "user_id",
  "path",
  "path_key",
  "name",
  "size_bytes",
  "sha256",
  "content_type",
  "created_at",
  "updated_at",
] as const;

export async function insertDriveItemRow(
  db: Executor,
  row: Insertable<DriveItemTable>,
): Promise<void> {
  await db.insertInto("drive_item").values(row).execute();
}

/** Replaces an item's bytes and what describes them. */
export async function replaceDriveItemContent(
  db: Executor,
  tenantId: string,
  id: string,
  changes: Pick<
    DriveItemTable,
    "content" | "size_bytes" | "sha256" | "content_type" | "updated_at"
  >,
): Promise<void> {
  await db
    .updateTable("drive_item")
    .set(changes)
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

export async function findDriveItemByPathKey(
  db: Executor,
  tenantId: string,
  userId: string,
  pathKey: string,
): Promise<DriveItemRecord | undefined> {
  return db
    .selectFrom("drive_item")
    .select(RECORD_COLUMNS)
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .where("path_key", "=", pathKey)
    .executeTakeFirst();
}

export async function findDriveItemRecord(
  db: Executor,
  tenantId: string,
  userId: string,
  id: string,
): Promise<DriveItemRecord | undefined> {
  return db
    .selectFrom("drive_item")
    .select(RECORD_COLUMNS)
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .where("id", "=", id)
    .executeTakeFirst();
}

export async function findDriveItemContent(
  db: Executor,
  tenantId: string,
  userId: string,
  id: string,
): Promise<{ content: Buffer; content_type: string } | undefined> {
  return db
    .selectFrom("drive_item")
    .select(["content", "content_type"])
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** A user's items in path order (case-insensitive), a page at a time after `afterPathKey`. */
export async function listDriveItemRecords(
  db: Executor,
  tenantId: string,
  userId: string,
  options: { afterPathKey?: string | undefined; limit: number },
): Promise<DriveItemRecord[]> {
  let query = db
    .selectFrom("drive_item")
    .select(RECORD_COLUMNS)
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId);
  if (options.afterPathKey !== undefined)
    query = query.where("path_key", ">", options.afterPathKey);
  return query.orderBy("path_key").limit(options.limit).execute();
}

export async function deleteDriveItemRow(
  db: Executor,
  tenantId: string,
  userId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom("drive_item")
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
