import { notFound } from "../shared/app-error.js";
import type { Executor } from "../store/database.js";
import type { Application, PasswordCredential } from "./application.js";
import {
  type ApplicationRow,
  type ApplicationSecretRow,
  findApplicationRowByRef,
  findApplicationSecretRows,
} from "./application.repository.js";

/** Finds an application by object id or client id (`appId`); APPLICATION_NOT_FOUND otherwise. */
export async function loadApplication(
  db: Executor,
  tenantId: string,
  ref: string,
): Promise<{ application: Application; row: ApplicationRow }> {
  const row = await findApplicationRowByRef(db, tenantId, ref);
  if (!row) {
    throw notFound("APPLICATION_NOT_FOUND", `No application ${ref} in this organization.`);
  }
  const [application] = await withSecrets(db, tenantId, [row]);
  if (!application) throw new Error("unreachable: one row in, one application out");
  return { application, row };
}

/** Rows to domain objects, each with its secrets' metadata (never their hashes). */
export async function withSecrets(
  db: Executor,
  tenantId: string,
  rows: readonly ApplicationRow[],
): Promise<Application[]> {
  const secrets = await findApplicationSecretRows(
    db,
    tenantId,
    rows.map((r) => r.id),
  );
  return rows.map((row) => ({
    id: row.id,
    appId: row.app_id,
    displayName: row.display_name,
    createdDateTime: new Date(row.created_at),
    passwordCredentials: secrets
      .filter((s) => s.application_id === row.id)
      .map(toPasswordCredential),
  }));
}

export function toPasswordCredential(row: ApplicationSecretRow): PasswordCredential {
  return {
    keyId: row.key_id,
    displayName: row.display_name,
    hint: row.hint,
    startDateTime: new Date(row.created_at),
    endDateTime: new Date(row.end_at),
  };
}
