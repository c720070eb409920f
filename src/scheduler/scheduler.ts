import type { AppContext } from "../shared/app-context.js";
import { addMs, toIso } from "../shared/clock.js";
import { backoffDelayMs, DEFAULT_MAX_BACKOFF_MS } from "./backoff.js";
import { type JobHandler, toScheduledJob } from "./scheduled-job.js";
import {
  claimNextDueJob,
  deleteJobVersion,
  recordJobFailure,
  type ScheduledJobRow,
} from "./scheduled-job.repository.js";

export type SchedulerContext = Pick<AppContext, "db" | "engine" | "clock" | "log">;

export interface SchedulerOptions {
  /** Pause between polls when nothing woke the scheduler; default 1000 ms. */
  pollMs?: number;
  /**
   * Jobs run back to back before yielding to the event loop; default 100. On SQLite every query
   * is synchronous, so a long catch-up would otherwise starve requests (SPEC §8).
   */
  batchSize?: number;
  /** Longest retry delay after repeated failures; default 1 h. */
  maxBackoffMs?: number;
}

export interface RunResult {
  /** Jobs whose handler committed (and which are gone). */
  ran: number;
  /** Jobs whose handler threw or had no handler; they stay, due again after a back-off. */
  failed: number;
}

type Outcome = "none" | "ran" | "failed";

const MAX_ERROR_LENGTH = 2000;

/**
 * Runs due jobs, exactly once each, in every server process (SPEC §7: any number of processes may
 * share one PostgreSQL). A job is claimed, run and deleted in one transaction: if the process dies
 * the transaction rolls back and the job stays due for whichever process polls next, which is also
 * how work that fell due during downtime is caught up at start.
 */
export class Scheduler {
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly maxBackoffMs: number;
  private current: Promise<RunResult> | undefined;
  private next: Promise<RunResult> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private wakeRequested = false;
  private stopRequested = false;

  constructor(
    private readonly ctx: SchedulerContext,
    private readonly handlers: Readonly<Record<string, JobHandler>>,
    options: SchedulerOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.batchSize = Math.max(1, options.batchSize ?? 100);
    this.maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  }

  /**
   * Runs every job due at the clock's current time, oldest first, until none is due. Never
   * overlaps another run of this scheduler: a call during a run waits for it and then runs again,
   * so every job due when the call was made has been tried when it resolves (unless stopped, or
   * another process holds it). Rejects only when the database fails.
   */
  runDueJobs(): Promise<RunResult> {
    if (this.current === undefined) {
      this.current = this.runBatches().finally(() => {
        this.current = undefined;
      });
      return this.current;
    }
    this.next ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.runDueJobs();
      });
    return this.next;
  }

  /** Runs due work now (catch-up after downtime), then polls every `pollMs` until `stop()`. */
  start(): void {
    if (this.polling) return;
    this.polling = true;
    this.stopRequested = false;
    this.schedulePoll(0);
  }

  /** Runs soon; call after committing a job that is due now. Does nothing when not started. */
  wake(): void {
    if (!this.polling) return;
    if (this.timer !== undefined) {
      this.schedulePoll(0);
    } else {
      this.wakeRequested = true;
    }
  }

  /**
   * Stops polling; resolves once the run in flight has committed (or rolled back) the job it is
   * running. Jobs still due stay for the next start or another process.
   */
  async stop(): Promise<void> {
    this.polling = false;
    this.stopRequested = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      await Promise.allSettled([this.current, this.next]);
    } finally {
      this.stopRequested = false;
    }
  }

  private schedulePoll(delayMs: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, delayMs);
    // Pending polls never keep the process alive; the server's lifetime is decided elsewhere.
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    this.wakeRequested = false;
    try {
      await this.runDueJobs();
    } catch (error) {
      this.ctx.log.error({ err: error }, "scheduler run failed; retrying at the next poll");
    }
    if (this.polling) this.schedulePoll(this.wakeRequested ? 0 : this.pollMs);
  }

  private async runBatches(): Promise<RunResult> {
    const result: RunResult = { ran: 0, failed: 0 };
    for (;;) {
      for (let i = 0; i < this.batchSize; i++) {
        if (this.stopRequested) return result;
        const outcome = await this.runNextDueJob();
        if (outcome === "none") return result;
        result[outcome]++;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Claims the oldest due job, runs its handler and deletes it, all in one transaction. The row is
   * read inside that transaction, so a job cancelled or rescheduled before the claim is run with
   * its current state or not at all.
   */
  private async runNextDueJob(): Promise<Outcome> {
    let claimed: ScheduledJobRow | undefined;
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        claimed = await claimNextDueJob(trx, this.ctx.engine, toIso(this.ctx.clock.now()));
        if (claimed === undefined) return;
        const handler = this.handlers[claimed.kind];
        if (handler === undefined) throw new Error(`No handler for job kind "${claimed.kind}".`);
        await handler(trx, toScheduledJob(claimed));
        await deleteJobVersion(trx, claimed);
      });
    } catch (error) {
      if (claimed === undefined) throw error;
      await this.backOff(claimed, error);
      return "failed";
    }
    if (claimed === undefined) return "none";
    this.ctx.log.debug(
      { jobId: claimed.id, tenantId: claimed.tenant_id, kind: claimed.kind },
      "scheduled job ran",
    );
    return "ran";
  }

  /** Pushes a failed job's due time back so that a job that always fails never spins. */
  private async backOff(job: ScheduledJobRow, error: unknown): Promise<void> {
    const attempts = Number(job.attempts) + 1;
    const retryAt = addMs(this.ctx.clock.now(), backoffDelayMs(attempts, this.maxBackoffMs));
    const lastError = errorMessage(error).slice(0, MAX_ERROR_LENGTH);
    await this.ctx.db
      .transaction()
      .execute((trx) => recordJobFailure(trx, job, { lastError, retryAtIso: toIso(retryAt) }));
    this.ctx.log.error(
      {
        err: error,
        jobId: job.id,
        tenantId: job.tenant_id,
        kind: job.kind,
        key: job.job_key,
        attempts,
        retryAt: toIso(retryAt),
      },
      "scheduled job failed; it will be retried",
    );
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
