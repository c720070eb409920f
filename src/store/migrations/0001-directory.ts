import type { Kysely } from "kysely";
import { sql } from "kysely";
import { type Engine, keyTextType } from "../engine.js";

/**
 * Tenants, domains, users, roles and groups. Every tenant-owned table keys on `(tenant_id, …)` and
 * every foreign key includes `tenant_id`, so a reference across tenants cannot exist (SPEC §1).
 */
export function directoryMigration(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("tenant")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("initial_domain", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("on_premises_sync_enabled", "boolean")
        .addColumn("sync_off_started_at", "text")
        .addColumn("sync_off_completes_at", "text")
        .addColumn("sync_reenable_after", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("deleted_at", "text")
        .execute();

      await db.schema
        .createTable("tenant_domain")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("is_initial", "boolean", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("tenant_domain_tenant_idx")
        .on("tenant_domain")
        .columns(["tenant_id", "name"])
        .execute();

      await db.schema
        .createTable("app_user")
        .addColumn("tenant_id", "text", (c) => c.notNull().references("tenant.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("user_principal_name", "text", (c) => c.notNull())
        .addColumn("upn_key", keyTextType(engine), (c) => c.notNull())
        .addColumn("display_name", "text", (c) => c.notNull())
        // Lower-cased display name for case-insensitive prefix search and ordering by index.
        .addColumn("display_name_key", keyTextType(engine), (c) =>
          c.notNull().generatedAlwaysAs(sql`lower(display_name)`).stored(),
        )
        .addColumn("mail", "text")
        .addColumn("mail_nickname", "text", (c) => c.notNull())
        .addColumn("account_enabled", "boolean", (c) => c.notNull())
        .addColumn("password_hash", "text")
        .addColumn("force_change_password", "boolean", (c) => c.notNull())
        .addColumn("external_id", "text")
        .addColumn("on_premises_sync_enabled", "boolean")
        .addColumn("per_user_mfa_state", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("deleted_at", "text")
        .addPrimaryKeyConstraint("app_user_pk", ["tenant_id", "id"])
        .addUniqueConstraint("app_user_upn_unique", ["tenant_id", "upn_key"])
        .execute();
      await db.schema
        .createIndex("app_user_display_name_key_idx")
        .on("app_user")
        .columns(["tenant_id", "display_name_key", "id"])
        .execute();
      await db.schema
        .createIndex("app_user_live_idx")
        .on("app_user")
        .columns(["tenant_id", "id"])
        .where(sql.ref("deleted_at"), "is", null)
        .execute();
      // Partial indexes: live users and the recycle bin each list in id order without a sort,
      // whatever the planner's statistics say (a fresh bulk load has none on PostgreSQL).
      await db.schema
        .createIndex("app_user_deleted_idx")
        .on("app_user")
        .columns(["tenant_id", "id"])
        .where(sql.ref("deleted_at"), "is not", null)
        .execute();
      await db.schema
        .createIndex("app_user_external_id_idx")
        .on("app_user")
        .columns(["tenant_id", "external_id"])
        .execute();

      await db.schema
        .createTable("role_assignment")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("role_template_id", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("role_assignment_pk", ["tenant_id", "user_id", "role_template_id"])
        .addForeignKeyConstraint(
          "role_assignment_user_fk",
          ["tenant_id", "user_id"],
          "app_user",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();
      await db.schema
        .createIndex("role_assignment_role_idx")
        .on("role_assignment")
        .columns(["tenant_id", "role_template_id", "user_id"])
        .execute();

      await db.schema
        .createTable("directory_group")
        .addColumn("tenant_id", "text", (c) => c.notNull().references("tenant.id"))
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("display_name", "text", (c) => c.notNull())
        .addColumn("description", "text")
        .addColumn("mail_nickname", "text", (c) => c.notNull())
        .addColumn("security_enabled", "boolean", (c) => c.notNull())
        .addColumn("external_id", "text")
        .addColumn("on_premises_sync_enabled", "boolean")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("directory_group_pk", ["tenant_id", "id"])
        .execute();

      await db.schema
        .createTable("group_member")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("group_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("group_member_pk", ["tenant_id", "group_id", "user_id"])
        .addForeignKeyConstraint(
          "group_member_group_fk",
          ["tenant_id", "group_id"],
          "directory_group",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .addForeignKeyConstraint(
          "group_member_user_fk",
          ["tenant_id", "user_id"],
          "app_user",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();
      await db.schema
        .createIndex("group_member_user_idx")
        .on("group_member")
        .columns(["tenant_id", "user_id"])
        .execute();
    },
  };
}
