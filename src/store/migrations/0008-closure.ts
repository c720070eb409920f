import { type Kysely, sql } from "kysely";
import type { Engine } from "../engine.js";

/**
 * The guided closure (SPEC §6, issue 7) and the installation's signing keys.
 *
 * - `closure_operation`: one row per guided closure of a tenant; at most one unfinished per tenant
 *   (partial unique index). Holds the worker's lease (`lease_owner`, `lease_expires_at`) and the
 *   durable timers (`wait_until`, `cooling_off_until`). Kept after the tenant is deleted, with the
 *   signed certificate, so the closing admin can still read status and certificate.
 * - `closure_step_progress`: per operation and step, done/total, its cursor and timestamps; every
 *   batch updates it in the transaction that does the batch's work. Kept after deletion.
 * - `closure_export_chunk`: the backup archive's bytes, in order; erased with the tenant.
 * - `closure_reader_token`: hashes of the closing admin's tokens that stay valid, read-only, for
 *   7 days after the tenant is deleted. Kept after deletion (until it expires).
 * - `signing_key`: installation-wide Ed25519 keys (not tenant-owned) that sign deletion
 *   certificates; the private key sealed with the master key like TOTP secrets.
 */
export function closureMigration(engine: Engine) {
  const bytes = engine === "postgres" ? sql`bytea` : sql`blob`;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("closure_operation")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("step", "text")
        .addColumn("requested_by", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("feedback", "text")
        .addColumn("export_requested", "integer", (c) => c.notNull())
        .addColumn("wait_until", "text")
        .addColumn("waiting_for", "text")
        .addColumn("cooling_off_until", "text")
        .addColumn("lease_owner", "text")
        .addColumn("lease_expires_at", "text")
        .addColumn("blockers", "text", (c) => c.notNull())
        .addColumn("error", "text")
        .addColumn("export_sha256", "text")
        .addColumn("export_bytes", "integer")
        .addColumn("certificate", "text")
        .addColumn("cancelled_by", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("finished_at", "text")
        .addPrimaryKeyConstraint("closure_operation_pk", ["tenant_id", "id"])
        .execute();
      await db.schema
        .createIndex("closure_operation_one_open_idx")
        .unique()
        .on("closure_operation")
        .column("tenant_id")
        .where(sql.ref("state"), "in", sql`('running', 'waiting', 'coolingOff')`)
        .execute();
      // The worker's "what is there to do" scan, across tenants.
      await db.schema
        .createIndex("closure_operation_state_idx")
        .on("closure_operation")
        .columns(["state", "lease_expires_at"])
        .execute();

      await db.schema
        .createTable("closure_step_progress")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("operation_id", "text", (c) => c.notNull())
        .addColumn("step", "text", (c) => c.notNull())
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("done", "integer", (c) => c.notNull())
        .addColumn("total", "integer", (c) => c.notNull())
        .addColumn("cursor", "text")
        .addColumn("counts", "text", (c) => c.notNull())
        .addColumn("started_at", "text")
        .addColumn("finished_at", "text")
        .addPrimaryKeyConstraint("closure_step_progress_pk", ["tenant_id", "operation_id", "step"])
        .addForeignKeyConstraint(
          "closure_step_progress_operation_fk",
          ["tenant_id", "operation_id"],
          "closure_operation",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();

      await db.schema
        .createTable("closure_export_chunk")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("operation_id", "text", (c) => c.notNull())
        .addColumn("seq", "integer", (c) => c.notNull())
        .addColumn("data", bytes, (c) => c.notNull())
        .addPrimaryKeyConstraint("closure_export_chunk_pk", ["tenant_id", "operation_id", "seq"])
        .addForeignKeyConstraint(
          "closure_export_chunk_operation_fk",
          ["tenant_id", "operation_id"],
          "closure_operation",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();

      await db.schema
        .createTable("closure_reader_token")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull())
        .addColumn("operation_id", "text", (c) => c.notNull())
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("closure_reader_token_pk", ["tenant_id", "token_hash"])
        .addForeignKeyConstraint(
          "closure_reader_token_operation_fk",
          ["tenant_id", "operation_id"],
          "closure_operation",
          ["tenant_id", "id"],
          (fk) => fk.onDelete("cascade"),
        )
        .execute();
      await db.schema
        .createIndex("closure_reader_token_hash_idx")
        .unique()
        .on("closure_reader_token")
        .column("token_hash")
        .execute();

      await db.schema
        .createTable("signing_key")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("algorithm", "text", (c) => c.notNull())
        .addColumn("public_key", "text", (c) => c.notNull())
        .addColumn("private_key_sealed", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("retired_at", "text")
        .execute();
    },
  };
}
