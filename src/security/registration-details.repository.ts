import { type ExpressionBuilder, type SqlBool, sql } from "kysely";
import type { UserTable } from "../directory/user.table.js";
import type { Database, Executor } from "../store/database.js";
import type { RegistrationFilter } from "./registration-details.js";

type UserScope = ExpressionBuilder<Database & { u: UserTable }, "u">;

/** Whether the user holds a directory role. */
function holdsRole(eb: UserScope) {
  return eb.exists(
    eb
      .selectFrom("role_assignment as r")
      .select("r.user_id")
      .whereRef("r.tenant_id", "=", "u.tenant_id")
      .whereRef("r.user_id", "=", "u.id"),
  );
}

/** Whether the user has an active authenticator app method. */
function hasActiveTotp(eb: UserScope) {
  return eb.exists(
    eb
      .selectFrom("totp_method as m")
      .select("m.id")
      .whereRef("m.tenant_id", "=", "u.tenant_id")
      .whereRef("m.user_id", "=", "u.id")
      .where("m.status", "=", "active"),
  );
}

/**
 * One page of live users in id order with what the registration report shows of them. With
 * `nonAdminsOnly`, users holding a directory role are left out (a reader allowed non-admins only).
 */
export async function listUserRegistrationRows(
  db: Executor,
  tenantId: string,
  options: {
    afterId: string | undefined;
    limit: number;
    filter: RegistrationFilter;
    nonAdminsOnly: boolean;
    /** Only this user. */
    id?: string;
  },
) {
  const { filter } = options;
  let q = db
    .selectFrom("app_user as u")
    .select((eb) => [
      "u.id",
      "u.user_principal_name",
      "u.display_name",
      "u.per_user_mfa_state",
      "u.updated_at",
      holdsRole(eb).as("is_admin"),
      hasActiveTotp(eb).as("is_mfa_registered"),
    ])
    .where("u.tenant_id", "=", tenantId)
    .where("u.deleted_at", "is", null);
  if (options.afterId !== undefined) q = q.where("u.id", ">", options.afterId);
  if (options.id !== undefined) q = q.where("u.id", "=", options.id);
  const admins = options.nonAdminsOnly ? false : filter.isAdmin;
  if (filter.perUserMfaStates?.length === 0 || (options.nonAdminsOnly && filter.isAdmin)) {
    q = q.where(sql<SqlBool>`1 = 0`);
  } else if (filter.perUserMfaStates) {
    q = q.where("u.per_user_mfa_state", "in", filter.perUserMfaStates);
  }
  if (admins !== undefined) q = q.where((eb) => (admins ? holdsRole(eb) : eb.not(holdsRole(eb))));
  const registered = filter.isMfaRegistered;
  if (registered !== undefined) {
    q = q.where((eb) => (registered ? hasActiveTotp(eb) : eb.not(hasActiveTotp(eb))));
  }
  return q.orderBy("u.id").limit(options.limit).execute();
}
