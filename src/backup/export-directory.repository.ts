import type { Executor } from "../store/database.js";

/**
 * SQL of the export, directory part: keyset pages (by primary key, so each page is an index range
 * on both engines) of one tenant's rows. Only the columns the archive may carry are selected:
 * never `password_hash`, secret hashes or anything of sessions, TOTP and recovery codes.
 */

export async function findTenantForExport(db: Executor, tenantId: string) {
  return db
    .selectFrom("tenant")
    .select([
      "id",
      "display_name",
      "initial_domain",
      "state",
      "on_premises_sync_enabled",
      "created_at",
      "deleted_at",
    ])
    .where("id", "=", tenantId)
    .executeTakeFirst();
}

export async function listTenantDomainsForExport(db: Executor, tenantId: string) {
  return db
    .selectFrom("tenant_domain")
    .select(["name", "is_initial", "created_at"])
    .where("tenant_id", "=", tenantId)
    .orderBy("name")
    .execute();
}

export async function listUsersPage(
  db: Executor,
  tenantId: string,
  afterId: string | undefined,
  limit: number,
) {
  let query = db
    .selectFrom("app_user")
    .select([
      "id",
      "user_principal_name",
      "display_name",
      "mail",
      "mail_nickname",
      "account_enabled",
      "on_premises_sync_enabled",
      "external_id",
      "per_user_mfa_state",
      "created_at",
      "deleted_at",
    ])
    .where("tenant_id", "=", tenantId);
  if (afterId !== undefined) query = query.where("id", ">", afterId);
  return query.orderBy("id").limit(limit).execute();
}

export type ExportUserRow = Awaited<ReturnType<typeof listUsersPage>>[number];

export async function listRoleAssignmentsPage(
  db: Executor,
  tenantId: string,
  after: { userId: string; roleTemplateId: string } | undefined,
  limit: number,
) {
  let query = db
    .selectFrom("role_assignment")
    .select(["user_id", "role_template_id", "created_at"])
    .where("tenant_id", "=", tenantId);
  if (after !== undefined) {
    query = query.where((eb) =>
      eb(
        eb.refTuple("user_id", "role_template_id"),
        ">",
        eb.tuple(after.userId, after.roleTemplateId),
      ),
    );
  }
  return query.orderBy("user_id").orderBy("role_template_id").limit(limit).execute();
}

export async function listGroupsPage(
  db: Executor,
  tenantId: string,
  afterId: string | undefined,
  limit: number,
) {
  let query = db
    .selectFrom("directory_group")
    .select([
      "id",
      "display_name",
      "description",
      "mail_nickname",
      "security_enabled",
      "external_id",
      "on_premises_sync_enabled",
      "created_at",
    ])
    .where("tenant_id", "=", tenantId);
  if (afterId !== undefined) query = query.where("id", ">", afterId);
  return query.orderBy("id").limit(limit).execute();
}

export async function listGroupMembersPage(
  db: Executor,
  tenantId: string,
  after: { groupId: string; userId: string } | undefined,
  limit: number,
) {
  let query = db
    .selectFrom("group_member")
    .select(["group_id", "user_id", "created_at"])
    .where("tenant_id", "=", tenantId);
  if (after !== undefined) {
    query = query.where((eb) =>
      eb(eb.refTuple("group_id", "user_id"), ">", eb.tuple(after.groupId, after.userId)),
    );
  }
  return query.orderBy("group_id").orderBy("user_id").limit(limit).execute();
}

export async function listApplicationsPage(
  db: Executor,
  tenantId: string,
  afterId: string | undefined,
  limit: number,
) {
  let query = db
    .selectFrom("application")
    .select(["id", "app_id", "display_name", "created_at"])
    .where("tenant_id", "=", tenantId);
  if (afterId !== undefined) query = query.where("id", ">", afterId);
  return query.orderBy("id").limit(limit).execute();
}

/** The applications' credentials without the secret: no `secret_hash`, not even its hint. */
export async function listApplicationSecretMetadata(
  db: Executor,
  tenantId: string,
  applicationIds: readonly string[],
) {
  if (applicationIds.length === 0) return [];
  return db
    .selectFrom("application_secret")
    .select(["application_id", "key_id", "display_name", "created_at", "end_at"])
    .where("tenant_id", "=", tenantId)
    .where("application_id", "in", applicationIds)
    .orderBy("application_id")
    .orderBy("key_id")
    .execute();
}

export async function listApplicationRoles(
  db: Executor,
  tenantId: string,
  applicationIds: readonly string[],
) {
  if (applicationIds.length === 0) return [];
  return db
    .selectFrom("application_role_assignment")
    .select(["application_id", "role_template_id"])
    .where("tenant_id", "=", tenantId)
    .where("application_id", "in", applicationIds)
    .orderBy("application_id")
    .orderBy("role_template_id")
    .execute();
}
