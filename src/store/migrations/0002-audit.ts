import type { Kysely } from "kysely";
import type { Engine } from "../engine.js";

/** The hash-chained audit log, its per-tenant head and the per-tenant data keys (SPEC §5). */
export function auditMigration(_engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("audit_log")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("seq", "bigint", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("occurred_at", "text", (c) => c.notNull())
        .addColumn("actor_type", "text", (c) => c.notNull())
        .addColumn("actor_id", "text")
        .addColumn("action", "text", (c) => c.notNull())
        .addColumn("target_type", "text")
        .addColumn("target_id", "text")
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("request_id", "text")
        .addColumn("details_ciphertext", "text")
        .addColumn("prev_hash", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("audit_log_pk", ["tenant_id", "seq"])
        .execute();
      await db.schema
        .createIndex("audit_log_occurred_idx")
        .on("audit_log")
        .columns(["tenant_id", "occurred_at"])
        .execute();

      await db.schema
        .createTable("audit_chain_head")
        .addColumn("tenant_id", "text", (c) => c.primaryKey())
        .addColumn("last_seq", "bigint", (c) => c.notNull())
        .addColumn("last_hash", "text", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("audit_key")
        .addColumn("tenant_id", "text", (c) => c.primaryKey())
        .addColumn("wrapped_key", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("shredded_at", "text")
        .execute();
    },
  };
}
