import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import type { MailMessageTable } from "./content.table.js";

export type MailMessageRow = Selectable<MailMessageTable>;

/** Where a newest-first page continues: after the message received at `receivedAt` with `id`. */
export interface MessageCursor {
  receivedAt: string;
  id: string;
}

export async function insertMessageRow(
  db: Executor,
  row: Insertable<MailMessageTable>,
): Promise<void> {
  await db.insertInto("mail_message").values(row).execute();
}

export async function findMessageRow(
  db: Executor,
  tenantId: string,
  userId: string,
  id: string,
): Promise<MailMessageRow | undefined> {
  return db
    .selectFrom("mail_message")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** A user's messages, newest first (ties by id, descending), a page at a time. */
export async function listMessageRows(
  db: Executor,
  tenantId: string,
  userId: string,
  options: { after?: MessageCursor | undefined; limit: number },
): Promise<MailMessageRow[]> {
  let query = db
    .selectFrom("mail_message")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId);
  const after = options.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb("received_at", "<", after.receivedAt),
        eb.and([eb("received_at", "=", after.receivedAt), eb("id", "<", after.id)]),
      ]),
    );
  }
  return query.orderBy("received_at", "desc").orderBy("id", "desc").limit(options.limit).execute();
}

export async function deleteMessageRow(
  db: Executor,
  tenantId: string,
  userId: string,
  id: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom("mail_message")
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
