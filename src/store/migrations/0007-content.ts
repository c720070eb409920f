import { type Kysely, sql } from "kysely";
import { type Engine, keyTextType } from "../engine.js";

/**
 * Users' content (SPEC §4): mailbox messages and drive files. Both belong to a user of the tenant
 * through `(tenant_id, user_id)` with ON DELETE CASCADE, so purging the user (deleting its
 * `app_user` row) erases its content in the same statement; a soft-deleted user keeps it.
 */
export function contentMigration(engine: Engine) {
  const bytes = engine === "postgres" ? sql`bytea` : sql`blob`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("mail_message")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("body_content_type", "text", (c) => c.notNull())
        .addColumn("body_content", "text", (c) => c.notNull())
        .addColumn("from_address", "text")
        .addColumn("from_name", "text")
        .addColumn("to_recipients", "text", (c) => c.notNull())
        .addColumn("received_at", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("size_bytes", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("mail_message_pk", ["tenant_id", "id"])
        .addForeignKeyConstraint(
          "mail_message_user_fk",
          ["tenant_id", "user_id"],
          "app_user",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();
      // Newest first, a page at a time: (received_at, id) descending per user.
      await db.schema
        .createIndex("mail_message_user_received_idx")
        .on("mail_message")
        .columns(["tenant_id", "user_id", "received_at", "id"])
        .execute();

      await db.schema
        .createTable("drive_item")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("path", "text", (c) => c.notNull())
        .addColumn("path_key", keyTextType(engine), (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("content", bytes, (c) => c.notNull())
        .addColumn("size_bytes", "integer", (c) => c.notNull())
        .addColumn("sha256", "text", (c) => c.notNull())
        .addColumn("content_type", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("drive_item_pk", ["tenant_id", "id"])
        .addForeignKeyConstraint(
          "drive_item_user_fk",
          ["tenant_id", "user_id"],
          "app_user",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();
      // One item per path of a user (case-insensitively, as OneDrive); also the listing's order.
      await db.schema
        .createIndex("drive_item_user_path_idx")
        .unique()
        .on("drive_item")
        .columns(["tenant_id", "user_id", "path_key"])
        .execute();
    },
  };
}
