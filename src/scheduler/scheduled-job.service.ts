import { toIso } from "../shared/clock.js";
import { newId } from "../shared/ids.js";
import type { Executor } from "../store/database.js";
import {
  assertSchedulable,
  type JobRef,
  type ScheduledJob,
  type ScheduleJobInput,
  toScheduledJob,
} from "./scheduled-job.js";
import {
  deleteJobByKey,
  deleteJobsByKeys,
  selectJobByKey,
  upsertJob,
  upsertJobs,
} from "./scheduled-job.repository.js";

/**
 * Records due work. Call it inside the transaction of the change that needs the work, so the job
 * exists exactly when that change committed. Scheduling the same `(tenantId, kind, key)` again
 * replaces its due time and payload and resets its attempts; it is race-safe on both engines.
 * A job due now runs at the next poll; call `Scheduler.wake()` after commit to run it sooner.
 */
export async function scheduleJob(
  trx: Executor,
  input: ScheduleJobInput,
  now: Date,
): Promise<void> {
  assertSchedulable(input);
  await upsertJob(trx, toJobRow(input, now));
}

/** `scheduleJob` for many jobs at once (bulk work), in one statement per 500 jobs. */
export async function scheduleJobs(
  trx: Executor,
  inputs: readonly ScheduleJobInput[],
  now: Date,
): Promise<void> {
  for (const input of inputs) assertSchedulable(input);
  const rows = inputs.map((input) => toJobRow(input, now));
  for (let i = 0; i < rows.length; i += JOBS_PER_STATEMENT) {
    await upsertJobs(trx, rows.slice(i, i + JOBS_PER_STATEMENT));
  }
}

/** A new job's row: not yet attempted. */
function toJobRow(input: ScheduleJobInput, now: Date) {
  return {
    tenant_id: input.tenantId,
    id: newId(),
    kind: input.kind,
    job_key: input.key,
    due_at: toIso(input.dueAt),
    payload: JSON.stringify(input.payload ?? {}),
    attempts: 0,
    last_error: null,
    created_at: toIso(now),
  };
}

/** SQLite binds at most 32,766 parameters per statement; 9 columns × 500 stays well below. */
const JOBS_PER_STATEMENT = 500;

/** Removes the job if it exists; a job already running finishes (its run holds the row). */
export async function cancelJob(trx: Executor, ref: JobRef): Promise<void> {
  await deleteJobByKey(trx, keyColumns(ref));
}

/** Removes the jobs of one kind with these keys (bulk work cancelling what it made moot). */
export async function cancelJobs(
  trx: Executor,
  ref: { tenantId: string; kind: string; keys: readonly string[] },
): Promise<void> {
  if (ref.keys.length === 0) return;
  await deleteJobsByKeys(trx, { tenant_id: ref.tenantId, kind: ref.kind, job_keys: ref.keys });
}

/** The pending job, or undefined when none is scheduled (or it has run). */
export async function findJob(db: Executor, ref: JobRef): Promise<ScheduledJob | undefined> {
  const row = await selectJobByKey(db, keyColumns(ref));
  return row ? toScheduledJob(row) : undefined;
}

function keyColumns(ref: JobRef) {
  return { tenant_id: ref.tenantId, kind: ref.kind, job_key: ref.key };
}
