/**
 * Due work recorded in the database (sync-off completion, recycle-bin purge, …). A job row exists
 * until its handler has committed; the handler's work and the row's deletion share a transaction,
 * which is what makes each job run exactly once.
 */
export interface ScheduledJobTable {
  tenant_id: string;
  /**
   * Identifies one version of the job: scheduling the same work again gives it a new id, so a run
   * of the old version can neither delete nor back off the new one.
   */
  id: string;
  kind: string;
  /** Unique per tenant and kind, so scheduling the same work twice keeps one job. */
  job_key: string;
  /** ISO-8601 UTC; this fixed format sorts in time order as text on both engines. */
  due_at: string;
  /** JSON object. */
  payload: string;
  /** Failed runs since the job was last scheduled. */
  attempts: number;
  last_error: string | null;
  created_at: string;
}
