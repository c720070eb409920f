import type { Kysely } from "kysely";
import type { Engine } from "../engine.js";

/**
 * Durable due work (SPEC §1 purge and sync-off; later the closure's timers). One row per pending
 * job, unique per `(tenant_id, kind, job_key)`; `(due_at, id)` serves the scheduler's "next due
 * job, oldest first" claim.
 */
export function schedulerMigration(_engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("scheduled_job")
        .addColumn("tenant_id", "text", (c) => c.notNull())
        .addColumn("id", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("job_key", "text", (c) => c.notNull())
        .addColumn("due_at", "text", (c) => c.notNull())
        .addColumn("payload", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("last_error", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("scheduled_job_pk", ["tenant_id", "id"])
        .addUniqueConstraint("scheduled_job_key_unique", ["tenant_id", "kind", "job_key"])
        .execute();
      await db.schema
        .createIndex("scheduled_job_due_idx")
        .on("scheduled_job")
        .columns(["due_at", "id"])
        .execute();
    },
  };
}
