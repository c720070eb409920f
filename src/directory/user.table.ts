import type { Generated, SqlBool } from "kysely";

/** `app_user` because `user` is reserved in PostgreSQL. */
export interface UserTable {
  tenant_id: string;
  id: string;
  user_principal_name: string;
  /** Lower-cased UPN: unique within the tenant among users not purged. */
  upn_key: string;
  display_name: string;
  mail: string | null;
  mail_nickname: string;
  account_enabled: SqlBool;
  password_hash: string | null;
  force_change_password: SqlBool;
  external_id: string | null;
  on_premises_sync_enabled: SqlBool | null;
  per_user_mfa_state: string;
  created_at: string;
  updated_at: string;
  /** Set while the user is in the recycle bin. */
  deleted_at: string | null;
  /**
   * Bumped when the password changes, a role is removed or the account is disabled: sessions
   * issued under an older epoch stop working at once (SPEC §2).
   */
  security_epoch: Generated<number>;
}

export interface RoleAssignmentTable {
  tenant_id: string;
  user_id: string;
  role_template_id: string;
  created_at: string;
}
