import type { Kysely } from "kysely";
import type { Engine } from "../engine.js";

/** Sessions, MFA (TOTP, recovery codes, challenges), sign-in throttling and applications. */
export function securityMigration(_engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable("app_user")
        .addColumn("security_epoch", "integer", (c) => c.notNull().defaultTo(0))
        .execute();

      await db.schema
        .createTable("auth_session")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("subject_type", "text", (c) => c.notNull())
        .addColumn("subject_id", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("user_epoch", "integer", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("revoked_at", "text")
        .addColumn("authenticated_at", "text", (c) => c.notNull())
        .addColumn("mfa_at", "text")
        .addPrimaryKeyConstraint("auth_session_pk", ["tenant_id", "id"])
        .execute();
      await db.schema
        .createIndex("auth_session_subject_idx")
        .on("auth_session")
        .columns(["tenant_id", "subject_id"])
        .execute();

      await db.schema
        .createTable("mfa_challenge")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("used_at", "text")
        .addColumn("failed_attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("user_epoch", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("mfa_challenge_pk", ["tenant_id", "id"])
        .addForeignKeyConstraint(
          "mfa_challenge_user_fk",
          ["tenant_id", "user_id"],
          "app_user",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();
      // The second sign-in step finds its challenge by its random id alone (the caller has no
      // tenant yet to name).
      await db.schema
        .createIndex("mfa_challenge_id_idx")
        .on("mfa_challenge")
        .column("id")
        .unique()
        .execute();

      await db.schema
        .createTable("totp_method")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("secret_ciphertext", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("last_used_step", "bigint")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("activated_at", "text")
        .addPrimaryKeyConstraint("totp_method_pk", ["tenant_id", "id"])
        .addForeignKeyConstraint(
          "totp_method_user_fk",
          ["tenant_id", "user_id"],
          "app_user",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();
      await db.schema
        .createIndex("totp_method_user_idx")
        .on("totp_method")
        .columns(["tenant_id", "user_id"])
        .execute();

      await db.schema
        .createTable("recovery_code")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("code_hash", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("used_at", "text")
        .addPrimaryKeyConstraint("recovery_code_pk", ["tenant_id", "id"])
        .addForeignKeyConstraint(
          "recovery_code_user_fk",
          ["tenant_id", "user_id"],
          "app_user",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();
      await db.schema
        .createIndex("recovery_code_user_idx")
        .on("recovery_code")
        .columns(["tenant_id", "user_id"])
        .execute();

      await db.schema
        .createTable("signin_throttle")
        .addColumn("throttle_key", "text", (c) => c.primaryKey())
        .addColumn("failures", "integer", (c) => c.notNull())
        .addColumn("last_failure_at", "text", (c) => c.notNull())
        .addColumn("blocked_until", "text")
        .execute();

      await db.schema
        .createTable("application")
        .addColumn("tenant_id", "text", (c) => c.notNull().references("tenant.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("app_id", "text", (c) => c.notNull().unique())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("application_pk", ["tenant_id", "id"])
        .execute();

      await db.schema
        .createTable("application_secret")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("application_id", "text", (c) => c.notNull())
        .addColumn("key_id", "text", (c) => c.notNull())
        .addColumn("display_name", "text")
        .addColumn("hint", "text", (c) => c.notNull())
        .addColumn("secret_hash", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("end_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("application_secret_pk", ["tenant_id", "application_id", "key_id"])
        .addForeignKeyConstraint(
          "application_secret_app_fk",
          ["tenant_id", "application_id"],
          "application",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();

      await db.schema
        .createTable("application_role_assignment")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("application_id", "text", (c) => c.notNull())
        .addColumn("role_template_id", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("application_role_assignment_pk", [
          "tenant_id",
          "application_id",
          "role_template_id",
        ])
        .addForeignKeyConstraint(
          "application_role_assignment_app_fk",
          ["tenant_id", "application_id"],
          "application",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();
      // Graph's /directoryRoles/{id}/members lists a role's applications.
      await db.schema
        .createIndex("application_role_assignment_role_idx")
        .on("application_role_assignment")
        .columns(["tenant_id", "role_template_id"])
        .execute();
    },
  };
}
