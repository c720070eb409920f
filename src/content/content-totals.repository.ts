import type { Executor } from "../store/database.js";

/** What a set of users owns (SPEC §4), as the closure plan and certificate count it. */
export interface ContentTotals {
  messages: number;
  files: number;
  /** Message sizes plus file sizes. */
  bytes: number;
}

/** Ids per `in (…)` list: well below either engine's limit on bound parameters. */
const CHUNK = 500;

/**
 * The content of the given users of a tenant, or of all its users (deleted ones included) when
 * `userIds` is undefined. No authorization: for services (closure plan, certificate).
 */
export async function contentTotals(
  db: Executor,
  tenantId: string,
  userIds?: readonly string[],
): Promise<ContentTotals> {
  const totals: ContentTotals = { messages: 0, files: 0, bytes: 0 };
  const chunks: (readonly string[] | undefined)[] = [];
  if (userIds === undefined) chunks.push(undefined);
  else for (let i = 0; i < userIds.length; i += CHUNK) chunks.push(userIds.slice(i, i + CHUNK));
  for (const ids of chunks) {
    for (const table of ["mail_message", "drive_item"] as const) {
      let query = db
        .selectFrom(table)
        .select((eb) => [
          eb.fn.countAll<string | number>().as("items"),
          eb.fn.coalesce(eb.fn.sum<string | number | null>("size_bytes"), eb.lit(0)).as("bytes"),
        ])
        .where("tenant_id", "=", tenantId);
      if (ids) query = query.where("user_id", "in", ids);
      const row = await query.executeTakeFirstOrThrow();
      if (table === "mail_message") totals.messages += Number(row.items);
      else totals.files += Number(row.items);
      totals.bytes += Number(row.bytes);
    }
  }
  return totals;
}

/**
 * Erases the mail and files of these users in two set-based statements (the closure's purge: the
 * cascade from `app_user` would delete them row by row); how many of each went.
 */
export async function deleteContentOfUsers(
  db: Executor,
  tenantId: string,
  userIds: readonly string[],
): Promise<{ messages: number; files: number }> {
  if (userIds.length === 0) return { messages: 0, files: 0 };
  const messages = await db
    .deleteFrom("mail_message")
    .where("tenant_id", "=", tenantId)
    .where("user_id", "in", userIds)
    .executeTakeFirst();
  const files = await db
    .deleteFrom("drive_item")
    .where("tenant_id", "=", tenantId)
    .where("user_id", "in", userIds)
    .executeTakeFirst();
  return { messages: Number(messages.numDeletedRows), files: Number(files.numDeletedRows) };
}
