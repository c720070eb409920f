import { recordAudit } from "../audit/index.js";
import { checkCancelInput } from "../commerce/index.js";
import { loadTenant } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { conflict } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import type { Executor } from "../store/database.js";
import { supportsRowLocks } from "../store/engine.js";
import { hashToken } from "../security/index.js";
import { findTenantRecord, updateTenantState } from "./closure.repository.js";
import type { ClosureOperationTable } from "./closure.table.js";
import { certificateOf } from "./closure-certificate.service.js";
import { exportDownload } from "./closure-export.service.js";
import { assertConfirmDomain, authorizeClosure } from "./closure-access.js";
import {
  type ClosureOperationView,
  type ClosureState,
  closureIrreversible,
  closureNotFound,
  GUIDED_CLOSURE_ERROR,
  GUIDED_STEPS,
  isIrreversible,
  OPEN_STATES,
  READER_TOKEN_LIFETIME_MS,
  toOperationView,
} from "./guided-closure.js";
import {
  findLatestOperation,
  findOpenOperation,
  findOperation,
  findSessionTokenHash,
  findOperationForUpdate,
  findReaderToken,
  insertOperation,
  insertProgressRows,
  insertReaderTokens,
  listProgress,
  updateOperation,
} from "./guided-closure.repository.js";

export interface StartClosureInput {
  confirmDomain: string;
  reason: string;
  feedback?: string | null | undefined;
  /** Whether the backup archive is made first; default true. */
  export?: boolean | undefined;
}

/** Who reads a closure: a Global Administrator, or the closing admin's token after deletion. */
export type ClosureReader =
  | { kind: "actor"; actor: Actor }
  | { kind: "closedTenantReader"; tenantId: string; operationId: string };

/**
 * Starts the guided closure (SPEC §6): checks the typed domain and the reason, then, in one
 * transaction with the tenant row locked, records the operation with its steps, freezes the tenant
 * (state `closing`) and audits the start — so the freeze holds before the caller hears `202`. A
 * second start while one is open answers the open one (`created: false`).
 */
export async function startGuidedClosure(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  input: StartClosureInput,
): Promise<{ operation: ClosureOperationView; created: boolean }> {
  const { reason, feedback } = checkCancelInput({
    reason: input.reason,
    feedback: input.feedback ?? null,
    when: "now",
  });
  const caller = await authorizeClosure(ctx.db, actor, tenantId);
  assertConfirmDomain(caller.tenant, input.confirmDomain);
  const withExport = input.export ?? true;
  return ctx.db.transaction().execute(async (trx) => {
    await loadTenant(trx, actor, tenantId, {
      forUpdate: true,
      rowLocks: supportsRowLocks(ctx.engine),
    });
    await authorizeClosure(trx, actor, tenantId);
    const open = await findOpenOperation(trx, tenantId);
    if (open) return { operation: await viewOf(trx, open.tenant_id, open.id), created: false };
    const now = ctx.clock.now().toISOString();
    const id = newId();
    await insertOperation(trx, {
      tenant_id: tenantId,
      id,
      state: "running",
      step: withExport ? "export" : "turnOffSync",
      requested_by: caller.userId,
      reason,
      feedback,
      export_requested: withExport ? 1 : 0,
      wait_until: null,
      waiting_for: null,
      cooling_off_until: null,
      lease_owner: null,
      lease_expires_at: null,
      blockers: "[]",
      error: null,
      export_sha256: null,
      export_bytes: null,
      certificate: null,
      cancelled_by: null,
      created_at: now,
      updated_at: now,
      finished_at: null,
    });
    await insertProgressRows(
      trx,
      GUIDED_STEPS.map((step, position) => {
        const skipped = step === "export" && !withExport;
        return {
          tenant_id: tenantId,
          operation_id: id,
          step,
          position,
          done: 0,
          total: 0,
          cursor: null,
          counts: "{}",
          started_at: skipped ? now : null,
          finished_at: skipped ? now : null,
        };
      }),
    );
    // The starting token can read the status and certificate once the tenant is gone (it is
    // honoured only then; the expiry is set when the tenant is deleted).
    const tokenHash =
      actor.type === "user" && actor.sessionId
        ? await findSessionTokenHash(trx, tenantId, actor.sessionId)
        : undefined;
    if (tokenHash) {
      await insertReaderTokens(trx, [
        {
          tenant_id: tenantId,
          token_hash: tokenHash,
          operation_id: id,
          user_id: caller.userId,
          expires_at: new Date(Date.parse(now) + READER_TOKEN_LIFETIME_MS).toISOString(),
        },
      ]);
    }
    await updateTenantState(trx, tenantId, "closing", now);
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "closure.start",
      target: { type: "closure", id },
      details: { reason, export: withExport },
    });
    return { operation: await viewOf(trx, tenantId, id), created: true };
  });
}

/**
 * The closing admin's token once the tenant is being erased or deleted (SPEC §6): honoured for 7
 * days, for the closure's status and certificate only, and only from the irreversible phase on
 * (before, the token is an ordinary session or has expired). Undefined for any other token.
 */
export async function findClosedTenantReader(
  ctx: AppContext,
  token: string,
): Promise<Extract<ClosureReader, { kind: "closedTenantReader" }> | undefined> {
  const row = await findReaderToken(ctx.db, hashToken(token));
  if (!row || row.expires_at <= ctx.clock.now().toISOString()) return undefined;
  const tenant = await findTenantRecord(ctx.db, row.tenant_id);
  if (tenant?.state !== "deleted") {
    // While the erasure runs, the sessions are already gone but the tenant is not yet marked
    // deleted: the closing admin keeps following it.
    const operation = await findOperation(ctx.db, {
      tenantId: row.tenant_id,
      id: row.operation_id,
    });
    if (!operation || !isIrreversible(operation.step)) return undefined;
  }
  return { kind: "closedTenantReader", tenantId: row.tenant_id, operationId: row.operation_id };
}

/** The operation a reader may see: the latest of the tenant, or the closed tenant's. */
async function operationFor(
  ctx: AppContext,
  reader: ClosureReader,
  tenantId: string,
): Promise<ClosureOperationTable> {
  if (reader.kind === "closedTenantReader") {
    const row = await findOperation(ctx.db, { tenantId: reader.tenantId, id: reader.operationId });
    if (!row) throw closureNotFound();
    return row;
  }
  await authorizeClosure(ctx.db, reader.actor, tenantId);
  const row = await findLatestOperation(ctx.db, tenantId);
  if (!row) throw closureNotFound();
  return row;
}

/** GET …/closure/certificate: the signed deletion certificate, once the closure completed. */
export async function getClosureCertificate(
  ctx: AppContext,
  reader: ClosureReader,
  tenantId: string,
): Promise<Record<string, unknown>> {
  return certificateOf(await operationFor(ctx, reader, tenantId));
}

/** GET …/closure/export: the backup archive, for a Global Administrator, until it is erased. */
export async function downloadClosureExport(ctx: AppContext, actor: Actor, tenantId: string) {
  return exportDownload(ctx, await operationFor(ctx, { kind: "actor", actor }, tenantId));
}

/** The tenant's latest closure, for a Global Administrator (or the closing admin afterwards). */
export async function getGuidedClosure(
  ctx: AppContext,
  reader: ClosureReader,
  tenantId: string,
): Promise<ClosureOperationView> {
  const row = await operationFor(ctx, reader, tenantId);
  return viewOf(ctx.db, row.tenant_id, row.id);
}

/**
 * Cancels the open closure before its irreversible phase, for any Global Administrator: what is
 * done stays done (users restorable from the recycle bin, subscriptions reactivatable), nothing is
 * purged, and the tenant is unfrozen. The worker notices at its next batch.
 */
export async function cancelGuidedClosure(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<ClosureOperationView> {
  return ctx.db.transaction().execute(async (trx) => {
    const caller = await authorizeClosure(trx, actor, tenantId);
    const open = await findOpenOperation(trx, tenantId);
    if (!open) {
      const latest = await findLatestOperation(trx, tenantId);
      if (!latest) throw closureNotFound();
      throw invalidState(latest.state);
    }
    const row = await findOperationForUpdate(
      trx,
      { tenantId, id: open.id },
      supportsRowLocks(ctx.engine),
    );
    if (!row) throw closureNotFound();
    if (!OPEN_STATES.includes(row.state as ClosureState)) throw invalidState(row.state);
    if (isIrreversible(row.step)) throw closureIrreversible();
    // The operation row first, then the tenant's: the worker's batches lock in this order too.
    await loadTenant(trx, actor, tenantId, {
      forUpdate: true,
      rowLocks: supportsRowLocks(ctx.engine),
    });
    const now = ctx.clock.now().toISOString();
    await updateOperation(
      trx,
      { tenantId, id: row.id },
      {
        state: "cancelled",
        cancelled_by: caller.userId,
        lease_owner: null,
        lease_expires_at: null,
        wait_until: null,
        waiting_for: null,
        updated_at: now,
        finished_at: now,
      },
    );
    await updateTenantState(trx, tenantId, "active", now);
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "closure.cancel",
      target: { type: "closure", id: row.id },
      details: { step: row.step },
    });
    return viewOf(trx, tenantId, row.id);
  });
}

function invalidState(state: string) {
  return conflict(
    GUIDED_CLOSURE_ERROR.NOT_RUNNING,
    `The closure is ${state}; there is nothing to cancel.`,
  );
}

export async function viewOf(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<ClosureOperationView> {
  const row = await findOperation(db, { tenantId, id });
  if (!row) throw closureNotFound();
  return toOperationView(row, await listProgress(db, { tenantId, operationId: id }));
}
