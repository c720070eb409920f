import type { Transaction } from "kysely";
import { invalid } from "../shared/app-error.js";
import type { Database } from "../store/database.js";
import type { ScheduledJobTable } from "./scheduled-job.table.js";

/** A pending job as services and handlers see it (never the row). */
export interface ScheduledJob {
  readonly id: string;
  readonly tenantId: string;
  /** Selects the handler, e.g. `directory.sync-off.complete`. */
  readonly kind: string;
  /** Names the work within its tenant and kind, e.g. the user id to purge. */
  readonly key: string;
  readonly dueAt: Date;
  readonly payload: Record<string, unknown>;
  /** Failed runs since the job was last scheduled. */
  readonly attempts: number;
}

/** Which job: unique per tenant and kind. */
export interface JobRef {
  tenantId: string;
  kind: string;
  key: string;
}

export interface ScheduleJobInput extends JobRef {
  dueAt: Date;
  payload?: Record<string, unknown>;
}

/**
 * Does the job's work. It runs inside the transaction that also deletes the job, so its database
 * writes commit exactly once, together with the job's removal; it must use `trx` only (on SQLite
 * the one connection is held by `trx`, and `ctx.db` would deadlock). Throwing rolls everything
 * back and the job is retried later. Effects outside the database (mail, HTTP) may repeat after a
 * crash or a failure and must tolerate that. A handler that schedules its own key again must
 * schedule it in the future, or the current run would pick it up at once.
 */
export type JobHandler = (trx: Transaction<Database>, job: ScheduledJob) => Promise<void>;

/** Refuses work that could never run or never be found again. */
export function assertSchedulable(input: ScheduleJobInput): void {
  for (const field of ["tenantId", "kind", "key"] as const) {
    if (input[field].trim() === "") {
      throw invalid("SCHEDULED_JOB_INVALID", `A scheduled job needs a non-empty ${field}.`, {
        field,
      });
    }
  }
  if (Number.isNaN(input.dueAt.getTime())) {
    throw invalid("SCHEDULED_JOB_INVALID", "A scheduled job needs a valid due time.", {
      field: "dueAt",
    });
  }
}

export function toScheduledJob(row: ScheduledJobTable): ScheduledJob {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    key: row.job_key,
    dueAt: new Date(row.due_at),
    payload: parsePayload(row.payload),
    attempts: Number(row.attempts),
  };
}

function parsePayload(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
