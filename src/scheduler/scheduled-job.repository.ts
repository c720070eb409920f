import type { Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import { type Engine, supportsRowLocks } from "../store/engine.js";
import type { ScheduledJobTable } from "./scheduled-job.table.js";

export type ScheduledJobRow = Selectable<ScheduledJobTable>;

type JobKeyColumns = { tenant_id: string; kind: string; job_key: string };

/**
 * Inserts the job or, when one with the same key exists, replaces its version, due time and
 * payload and forgets its failures. One statement, so concurrent schedulers of the same key end
 * with one row on both engines.
 */
export async function upsertJob(db: Executor, row: ScheduledJobTable): Promise<void> {
  await db
    .insertInto("scheduled_job")
    .values(row)
    .onConflict((oc) =>
      oc.columns(["tenant_id", "kind", "job_key"]).doUpdateSet({
        id: row.id,
        due_at: row.due_at,
        payload: row.payload,
        attempts: 0,
        last_error: null,
      }),
    )
    .execute();
}

/** `upsertJob` for many rows in one statement (keys distinct within the call). */
export async function upsertJobs(db: Executor, rows: readonly ScheduledJobTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("scheduled_job")
    .values([...rows])
    .onConflict((oc) =>
      oc.columns(["tenant_id", "kind", "job_key"]).doUpdateSet((eb) => ({
        id: eb.ref("excluded.id"),
        due_at: eb.ref("excluded.due_at"),
        payload: eb.ref("excluded.payload"),
        attempts: 0,
        last_error: null,
      })),
    )
    .execute();
}

export async function deleteJobByKey(db: Executor, key: JobKeyColumns): Promise<void> {
  await db
    .deleteFrom("scheduled_job")
    .where("tenant_id", "=", key.tenant_id)
    .where("kind", "=", key.kind)
    .where("job_key", "=", key.job_key)
    .execute();
}

export async function deleteJobsByKeys(
  db: Executor,
  keys: { tenant_id: string; kind: string; job_keys: readonly string[] },
): Promise<void> {
  await db
    .deleteFrom("scheduled_job")
    .where("tenant_id", "=", keys.tenant_id)
    .where("kind", "=", keys.kind)
    .where("job_key", "in", keys.job_keys)
    .execute();
}

export async function selectJobByKey(
  db: Executor,
  key: JobKeyColumns,
): Promise<ScheduledJobRow | undefined> {
  return db
    .selectFrom("scheduled_job")
    .selectAll()
    .where("tenant_id", "=", key.tenant_id)
    .where("kind", "=", key.kind)
    .where("job_key", "=", key.job_key)
    .executeTakeFirst();
}

/**
 * The oldest job due at `nowIso`, locked for the rest of the transaction. On PostgreSQL rows
 * locked by another process are skipped, so concurrent schedulers never take the same job and
 * never wait for each other; SQLite serializes writers, so no lock clause is needed there.
 */
export async function claimNextDueJob(
  trx: Executor,
  engine: Engine,
  nowIso: string,
): Promise<ScheduledJobRow | undefined> {
  return trx
    .selectFrom("scheduled_job")
    .selectAll()
    .where("due_at", "<=", nowIso)
    .orderBy("due_at")
    .orderBy("id")
    .limit(1)
    .$if(supportsRowLocks(engine), (qb) => qb.forUpdate().skipLocked())
    .execute()
    .then((rows) => rows[0]);
}

/** Deletes exactly the claimed version; a version scheduled since then survives. */
export async function deleteJobVersion(
  trx: Executor,
  job: { tenant_id: string; id: string },
): Promise<void> {
  await trx
    .deleteFrom("scheduled_job")
    .where("tenant_id", "=", job.tenant_id)
    .where("id", "=", job.id)
    .execute();
}

/** Records a failed run of this version (no-op if it was rescheduled or cancelled meanwhile). */
export async function recordJobFailure(
  db: Executor,
  job: { tenant_id: string; id: string },
  failure: { lastError: string; retryAtIso: string },
): Promise<void> {
  await db
    .updateTable("scheduled_job")
    .set((eb) => ({
      attempts: eb("attempts", "+", 1),
      last_error: failure.lastError,
      due_at: failure.retryAtIso,
    }))
    .where("tenant_id", "=", job.tenant_id)
    .where("id", "=", job.id)
    .execute();
}
