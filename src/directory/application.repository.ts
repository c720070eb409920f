import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import type {
  ApplicationRoleAssignmentTable,
  ApplicationSecretTable,
  ApplicationTable,
} from "./application.table.js";

export type ApplicationRow = Selectable<ApplicationTable>;
export type ApplicationSecretRow = Selectable<ApplicationSecretTable>;

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

/** The tenant's application whose object id or client id (`appId`) is `ref`. */
export async function findApplicationRowByRef(
  db: Executor,
  tenantId: string,
  ref: string,
): Promise<ApplicationRow | undefined> {
  return db
    .selectFrom("application")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where((eb) => eb.or([eb("id", "=", ref), eb("app_id", "=", ref)]))
    .executeTakeFirst();
}

/** The tenant's applications, oldest first (ids are time-ordered). */
export async function listApplicationRows(
  db: Executor,
  tenantId: string,
  ids?: readonly string[],
): Promise<ApplicationRow[]> {
  if (ids?.length === 0) return [];
  let query = db.selectFrom("application").selectAll().where("tenant_id", "=", tenantId);
  if (ids) query = query.where("id", "in", ids);
  return query.orderBy("id").execute();
}

export async function updateApplicationRow(
  db: Executor,
  tenantId: string,
  id: string,
  changes: { display_name: string; updated_at: string },
): Promise<void> {
  await db
    .updateTable("application")
    .set(changes)
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

/**
 * Erases an application for good (applications have no recycle bin): its secrets, its role
 * assignments, its sessions and the row itself. Deleted explicitly rather than through the
 * foreign keys' cascade, so the outcome does not depend on the engine's foreign-key settings.
 */
export async function deleteApplicationRows(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<void> {
  await db
    .deleteFrom("auth_session")
    .where("tenant_id", "=", tenantId)
    .where("subject_type", "=", "application")
    .where("subject_id", "=", id)
    .execute();
  await db
    .deleteFrom("application_secret")
    .where("tenant_id", "=", tenantId)
    .where("application_id", "=", id)
    .execute();
  await db
    .deleteFrom("application_role_assignment")
    .where("tenant_id", "=", tenantId)
    .where("application_id", "=", id)
    .execute();
  await db
    .deleteFrom("application")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

export async function insertApplicationSecret(
  db: Executor,
  row: Insertable<ApplicationSecretTable>,
): Promise<void> {
  await db.insertInto("application_secret").values(row).execute();
}

/** Secrets of the given applications, oldest first. */
export async function findApplicationSecretRows(
  db: Executor,
  tenantId: string,
  applicationIds: readonly string[],
): Promise<ApplicationSecretRow[]> {
  if (applicationIds.length === 0) return [];
  return db
    .selectFrom("application_secret")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("application_id", "in", applicationIds)
    .orderBy("created_at")
    .orderBy("key_id")
    .execute();
}

export async function deleteApplicationSecret(
  db: Executor,
  tenantId: string,
  applicationId: string,
  keyId: string,
): Promise<number> {
  const result = await db
    .deleteFrom("application_secret")
    .where("tenant_id", "=", tenantId)
    .where("application_id", "=", applicationId)
    .where("key_id", "=", keyId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function insertApplicationRoleAssignment(
  db: Executor,
  row: Insertable<ApplicationRoleAssignmentTable>,
): Promise<void> {
  await db.insertInto("application_role_assignment").values(row).execute();
}

export async function deleteApplicationRoleAssignment(
  db: Executor,
  tenantId: string,
  applicationId: string,
  roleTemplateId: string,
): Promise<number> {
  const result = await db
    .deleteFrom("application_role_assignment")
    .where("tenant_id", "=", tenantId)
    .where("application_id", "=", applicationId)
    .where("role_template_id", "=", roleTemplateId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Ids of the tenant's applications holding the role. */
export async function findApplicationIdsWithRole(
  db: Executor,
  tenantId: string,
  roleTemplateId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom("application_role_assignment")
    .select("application_id")
    .where("tenant_id", "=", tenantId)
    .where("role_template_id", "=", roleTemplateId)
    .orderBy("application_id")
    .execute();
  return rows.map((r) => r.application_id);
}
