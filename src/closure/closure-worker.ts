import crypto from "node:crypto";
import os from "node:os";
import type { Transaction } from "kysely";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import type { Database } from "../store/database.js";
import { supportsRowLocks } from "../store/engine.js";
import type { ClosureOperationTable } from "./closure.table.js";
import { runExportStep } from "./closure-export.service.js";
import { runSignCertificateStep } from "./closure-certificate.service.js";
import { enterCoolingOff } from "./closure-cooling-off.js";
import { inLease, type LeaseHolder, LostClaim, leaseEnd, recordFailure } from "./closure-lease.js";
import { deleteTenantStep } from "./closure-erase.js";
import { BATCH_STEPS, type StepBatchResult, type StepRunner } from "./closure-step-runners.js";
import { type GuidedStep, nextStep } from "./guided-closure.js";
import {
  findClaimableOperation,
  findNextDueTime,
  findProgress,
  updateOperation,
  updateProgress,
} from "./guided-closure.repository.js";

export interface ClosureWorkerOptions {
  /** Names this worker in leases; default `<host>:<pid>:<random>`, so operators see who holds it. */
  owner?: string;
  /** Overrides `TENANTRY_LEASE_SECONDS`. */
  leaseMs?: number;
  /** Items per batch (users, subscriptions, rows); default 1,000. */
  batchSize?: number;
  /** Pause between polls when idle; default `TENANTRY_SCHEDULER_POLL_MS`. */
  pollMs?: number;
  /**
   * Fault injection for crash tests: called at every batch boundary and inside each batch's
   * transaction with the point's name; throwing `SimulatedCrash` there stops the worker as a
   * killed process would (no clean-up, the lease left to expire).
   */
  faultPoint?: (point: string) => void;
}

/** Thrown by a test's fault point: the worker stops at once, like a process killed there. */
export class SimulatedCrash extends Error {
  override readonly name = "SimulatedCrash";
}

/**
 * Runs guided closures (SPEC §6/§7) in every server process. An operation is claimed with a lease
 * (`lease_owner`, `lease_expires_at`); each batch re-checks the lease and extends it in the same
 * transaction that does the batch's work and records its progress, so a crash at any instant leaves
 * whole batches done or not done, and the next claimant (this process after a restart, or another
 * once the lease expired) resumes at the recorded cursor. Waits (sync-off, deprovisioning,
 * cooling-off) are timers in the row: the operation is simply not claimable before they pass.
 */
export class ClosureWorker implements LeaseHolder {
  readonly owner: string;
  readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private current: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private stopRequested = false;

  constructor(
    readonly ctx: AppContext,
    private readonly options: ClosureWorkerOptions = {},
  ) {
    this.owner = options.owner ?? `${os.hostname()}:${process.pid}:${crypto.randomUUID()}`;
    this.leaseMs = options.leaseMs ?? ctx.config.leaseMs;
    this.batchSize = Math.max(1, options.batchSize ?? 1000);
    this.pollMs = options.pollMs ?? ctx.config.schedulerPollMs;
  }

  /** Does every piece of closure work due now, then resolves; never overlaps itself. */
  runUntilIdle(): Promise<void> {
    this.current ??= this.drain().finally(() => {
      this.current = undefined;
    });
    return this.current;
  }

  start(): void {
    if (this.polling) return;
    this.polling = true;
    this.stopRequested = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the batch in flight; the lease then lapses for others. */
  async stop(): Promise<void> {
    this.polling = false;
    this.stopRequested = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled([this.current]);
    this.stopRequested = false;
  }

  /** The earliest time a waiting operation falls due, if any (for status and tests). */
  nextDueTime(): Promise<string | null> {
    return findNextDueTime(this.ctx.db);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runUntilIdle()
        .catch((error: unknown) => this.ctx.log.error({ err: error }, "closure worker failed"))
        .finally(() => {
          if (this.polling) this.schedule(this.pollMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    while (!this.stopRequested) {
      const claimed = await this.claim();
      if (!claimed) return;
      await this.runOperation(claimed);
    }
  }

  private async claim(): Promise<ClosureOperationTable | undefined> {
    return this.ctx.db.transaction().execute(async (trx) => {
      const now = this.ctx.clock.now();
      const row = await findClaimableOperation(
        trx,
        now.toISOString(),
        supportsRowLocks(this.ctx.engine),
      );
      if (!row) return undefined;
      const claimed = {
        state: "running",
        wait_until: null,
        waiting_for: null,
        lease_owner: this.owner,
        lease_expires_at: leaseEnd(this),
        updated_at: now.toISOString(),
      } as const;
      // A cooling-off or a wait that has passed turns back into running work.
      await updateOperation(trx, { tenantId: row.tenant_id, id: row.id }, claimed);
      this.ctx.log.info(
        { closureId: row.id, tenantId: row.tenant_id, step: row.step, owner: this.owner },
        "closure claimed",
      );
      return { ...row, ...claimed };
    });
  }

  private async runOperation(claimed: ClosureOperationTable): Promise<void> {
    let operation = claimed;
    try {
      while (!this.stopRequested) {
        const step = operation.step as GuidedStep | null;
        if (step === null) return;
        const outcome = await this.runStep(operation, step);
        if (outcome === "yield") return;
        operation = outcome;
      }
    } catch (error) {
      if (error instanceof SimulatedCrash) throw error;
      if (error instanceof LostClaim) return;
      await recordFailure(this, operation, error);
    }
  }

  /** One unit of a step; the operation as it now stands, or "yield" when it waits or is done. */
  private async runStep(
    operation: ClosureOperationTable,
    step: GuidedStep,
  ): Promise<ClosureOperationTable | "yield"> {
    this.fault(`${step}:before`);
    if (step === "export") {
      await this.inLease(operation, async (trx, current) => {
        const key = { tenantId: current.tenant_id, operationId: current.id, step };
        const progress = await findProgress(trx, key);
        if (progress?.started_at === null) {
          await updateProgress(trx, key, { started_at: this.ctx.clock.now().toISOString() });
        }
      });
      const summary = await runExportStep(this.ctx, operation, {
        inLease: (work) => this.inLease(operation, (trx) => work(trx)),
        fault: (point) => this.fault(point),
      });
      return this.inBatch(operation, step, async (trx) => {
        await updateOperation(
          trx,
          { tenantId: operation.tenant_id, id: operation.id },
          { export_sha256: summary.sha256, export_bytes: summary.bytes },
        );
        return {
          done: summary.entries,
          total: summary.entries,
          cursor: null,
          finished: true,
          counts: summary.counts,
        };
      });
    }
    if (step === "coolingOff") return this.coolOff(operation);
    if (step === "signCertificate") {
      await runSignCertificateStep(this.ctx, {
        inTransaction: (work) => this.inLease(operation, work),
      });
      return "yield";
    }
    const runner: StepRunner | undefined =
      step === "deleteTenant" ? deleteTenantStep : BATCH_STEPS[step];
    if (!runner) throw new Error(`No runner for closure step ${step}.`);
    return this.inBatch(operation, step, (trx, progress) =>
      runner.batch({
        ctx: this.ctx,
        trx,
        operation,
        progress,
        actor: this.actorOf(operation),
        batchSize: this.batchSize,
      }),
    );
  }

  /**
   * One batch: in one transaction, the lease is checked and extended, the step's progress row
   * started (with its total) if new, the work done, and the progress, the cursor and — when the
   * step is finished — the next step recorded. A wait ends the claim in the same commit.
   */
  private async inBatch(
    operation: ClosureOperationTable,
    step: GuidedStep,
    work: (
      trx: Transaction<Database>,
      progress: NonNullable<Awaited<ReturnType<typeof findProgress>>>,
    ) => Promise<StepBatchResult>,
  ): Promise<ClosureOperationTable | "yield"> {
    const result = await this.inLease(operation, async (trx, current) => {
      const key = { tenantId: current.tenant_id, operationId: current.id, step };
      let progress = await findProgress(trx, key);
      if (!progress) throw new Error(`Closure ${current.id} has no progress row for ${step}.`);
      const now = this.ctx.clock.now().toISOString();
      if (progress.started_at === null) {
        const runner = step === "deleteTenant" ? deleteTenantStep : BATCH_STEPS[step];
        const total = runner
          ? await runner.total({
              ctx: this.ctx,
              trx,
              operation: current,
              progress,
              actor: this.actorOf(current),
              batchSize: this.batchSize,
            })
          : 1;
        progress = { ...progress, started_at: now, total };
        await updateProgress(trx, key, { started_at: now, total });
      }
      const batch = await work(trx, progress);
      this.fault(`${step}:inside`);
      const counts = addCounts(JSON.parse(progress.counts) as Record<string, number>, batch.counts);
      const done = Number(progress.done) + batch.done;
      await updateProgress(trx, key, {
        done,
        total: batch.total ?? Math.max(Number(progress.total), done),
        cursor: batch.cursor,
        counts: JSON.stringify(counts),
        ...(batch.finished ? { finished_at: now } : {}),
      });
      const changes = batch.wait
        ? {
            state: "waiting",
            wait_until: batch.wait.until.toISOString(),
            waiting_for: batch.wait.for,
            blockers: JSON.stringify(batch.wait.blockers),
            lease_owner: null,
            lease_expires_at: null,
          }
        : batch.finished
          ? { step: nextStep(step), blockers: "[]", error: null }
          : { blockers: "[]" };
      await updateOperation(
        trx,
        { tenantId: current.tenant_id, id: current.id },
        {
          ...changes,
          updated_at: now,
        },
      );
      return { ...current, ...changes };
    });
    this.fault(`${step}:after`);
    return result.state === "waiting" ? "yield" : (result as ClosureOperationTable);
  }

  /** Enters the cooling-off period (announced in the audit log), or leaves it once it passed. */
  private async coolOff(
    operation: ClosureOperationTable,
  ): Promise<ClosureOperationTable | "yield"> {
    const now = this.ctx.clock.now();
    if (operation.cooling_off_until !== null && operation.cooling_off_until <= now.toISOString()) {
      return this.inBatch(operation, "coolingOff", async () => ({
        done: 1,
        cursor: null,
        finished: true,
      }));
    }
    await enterCoolingOff(this, operation);
    return "yield";
  }

  private inLease<T>(
    operation: ClosureOperationTable,
    work: (trx: Transaction<Database>, current: ClosureOperationTable) => Promise<T>,
  ): Promise<T> {
    return inLease(this, operation, work);
  }

  private actorOf(operation: ClosureOperationTable): Actor {
    return {
      type: "user",
      tenantId: operation.tenant_id,
      userId: operation.requested_by,
      requestId: `closure-${operation.id}`,
    };
  }

  private fault(point: string): void {
    this.options.faultPoint?.(point);
  }
}

function addCounts(
  into: Record<string, number>,
  more: Record<string, number> | undefined,
): Record<string, number> {
  for (const [k, v] of Object.entries(more ?? {})) into[k] = (into[k] ?? 0) + v;
  return into;
}
