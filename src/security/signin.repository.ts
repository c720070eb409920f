import type { Executor } from "../store/database.js";

/** The organization a sign-in name's domain belongs to (domains are never reused). */
export async function findTenantOfDomain(
  db: Executor,
  domain: string,
): Promise<{ tenant_id: string; state: string } | undefined> {
  return db
    .selectFrom("tenant_domain as d")
    .innerJoin("tenant as t", "t.id", "d.tenant_id")
    .select(["d.tenant_id", "t.state"])
    .where("d.name", "=", domain)
    .executeTakeFirst();
}
