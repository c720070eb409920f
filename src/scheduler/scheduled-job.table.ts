/**
 * Due work recorded in the database (sync-off completion, recycle-bin purge, …). A job row exists
 * until its handler has committed; the handler's work and the row's deletion share a transaction,
 * which is what makes each job run exactly once.
 */
export interface ScheduledJobTable {
  tenant_id: string;
  id: string;
  kind: string;
  /** Unique per tenant and kind, so scheduling the same work twice keeps one job. */
  job_key: string;
  due_at: string;
  payload: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
}
