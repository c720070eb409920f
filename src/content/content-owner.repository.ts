import type { Executor } from "../store/database.js";

/** The id of a user of the tenant not in the recycle bin, by id or (lower-cased) UPN. */
export async function findLiveUserId(
  db: Executor,
  tenantId: string,
  idOrUpn: string,
): Promise<string | undefined> {
  const byUpn = idOrUpn.includes("@");
  const row = await db
    .selectFrom("app_user")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where(byUpn ? "upn_key" : "id", "=", byUpn ? idOrUpn.trim().toLowerCase() : idOrUpn)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return row?.id;
}
