import type { Executor } from "../store/database.js";

/**
 * The application a token request names by client id (unique across the installation), with its
 * tenant's state. The token endpoint is the one place an application is found without a tenant.
 */
export async function findClientApplication(
  db: Executor,
  appId: string,
): Promise<{ tenant_id: string; id: string; tenant_state: string } | undefined> {
  return db
    .selectFrom("application as a")
    .innerJoin("tenant as t", "t.id", "a.tenant_id")
    .select(["a.tenant_id", "a.id", "t.state as tenant_state"])
    .where("a.app_id", "=", appId)
    .executeTakeFirst();
}

/** The application's client secrets: key, hash and end of validity. */
export async function findClientSecretHashes(
  db: Executor,
  tenantId: string,
  applicationId: string,
): Promise<{ key_id: string; secret_hash: string; end_at: string }[]> {
  return db
    .selectFrom("application_secret")
    .select(["key_id", "secret_hash", "end_at"])
    .where("tenant_id", "=", tenantId)
    .where("application_id", "=", applicationId)
    .execute();
}
