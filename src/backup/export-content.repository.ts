import type { Executor } from "../store/database.js";

/**
 * SQL of the export, content part. Messages are paged by the index
 * `(tenant_id, user_id, received_at, id)`: first their keys and sizes, then the full rows in
 * groups of bounded total size, so a page of large messages never sits in memory at once. Drive
 * items are paged by `(tenant_id, user_id, path_key)` without their bytes; the bytes are read in
 * groups of bounded total size too (one query per group, not per file).
 */

export interface MessageKey {
  userId: string;
  receivedAt: string;
  id: string;
}

export async function listMessageKeysPage(
  db: Executor,
  tenantId: string,
  after: MessageKey | undefined,
  limit: number,
) {
  let query = db
    .selectFrom("mail_message")
    .select(["user_id", "received_at", "id", "size_bytes"])
    .where("tenant_id", "=", tenantId);
  if (after !== undefined) {
    query = query.where((eb) =>
      eb(
        eb.refTuple("user_id", "received_at", "id"),
        ">",
        eb.tuple(after.userId, after.receivedAt, after.id),
      ),
    );
  }
  return query.orderBy("user_id").orderBy("received_at").orderBy("id").limit(limit).execute();
}

export async function findMessagesByIds(db: Executor, tenantId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("mail_message")
    .select([
      "id",
      "user_id",
      "subject",
      "body_content_type",
      "body_content",
      "from_address",
      "from_name",
      "to_recipients",
      "received_at",
      "created_at",
      "size_bytes",
    ])
    .where("tenant_id", "=", tenantId)
    .where("id", "in", ids)
    .execute();
}

export type ExportMessageRow = Awaited<ReturnType<typeof findMessagesByIds>>[number];

export async function listDriveItemsPage(
  db: Executor,
  tenantId: string,
  after: { userId: string; pathKey: string } | undefined,
  limit: number,
) {
  let query = db
    .selectFrom("drive_item")
    .select([
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
    ])
    .where("tenant_id", "=", tenantId);
  if (after !== undefined) {
    query = query.where((eb) =>
      eb(eb.refTuple("user_id", "path_key"), ">", eb.tuple(after.userId, after.pathKey)),
    );
  }
  return query.orderBy("user_id").orderBy("path_key").limit(limit).execute();
}

export type ExportDriveItemRow = Awaited<ReturnType<typeof listDriveItemsPage>>[number];

/** The bytes of the given files (ids of one page, grouped by size by the caller). */
export async function findDriveItemContents(
  db: Executor,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, Buffer>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("drive_item")
    .select(["id", "content"])
    .where("tenant_id", "=", tenantId)
    .where("id", "in", ids)
    .execute();
  return new Map(rows.map((row) => [row.id, Buffer.from(row.content)]));
}
