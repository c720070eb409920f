import { recordAudit, shredTenantAuditKey } from "../audit/index.js";
import { loadTenant } from "../directory/index.js";
import type { Executor } from "../store/database.js";
import type { Engine } from "../store/engine.js";
import { countTenantRows, markTenantDeleted } from "./closure.repository.js";
import { authorizeClosure } from "./closure-access.js";
import { evaluateClosureChecks, failedChecks } from "./closure-checks.js";
import { loadClosureFacts } from "./closure-checks.service.js";
import { tenantOwnedTables } from "./closure-delete.service.js";
import type { StepBatchContext, StepBatchResult, StepRunner } from "./closure-step-runners.js";
import { READER_TOKEN_LIFETIME_MS } from "./guided-closure.js";
import {
  deleteTenantRowsBatch,
  insertReaderTokens,
  listUserSessionHashes,
  setReaderTokensExpiry,
  updateOperation,
} from "./guided-closure.repository.js";

/** When the deletion checks fail in the irreversible phase, look again this much later. */
const RECHECK_MS = 60_000;
/** A cursor past the last table: only the final touches are left. */
const END = "";

/**
 * The guided closure's `deleteTenant` step, batch by batch (SPEC §6 step 5 done durably):
 * 1. the deletion checks run again; while one fails the operation waits, naming it;
 * 2. the rows to erase are counted per table, the closing admin's live tokens are kept as
 *    read-only tokens (they outlive the sessions), and the last audit entry that can name anyone
 *    (`tenant.delete`, with the counts) is written;
 * 3. table by table, children first, `batchSize` rows per transaction;
 * 4. the audit key is shredded, the tenant marked deleted and the free-text feedback cleared.
 */
export const deleteTenantStep: StepRunner = {
  total: async () => 0,
  async batch(sc) {
    if (sc.progress.cursor === null) return beginErasure(sc);
    const tables = await erasableTables(sc.trx, sc.ctx.engine);
    if (sc.progress.cursor === END) return finishErasure(sc);
    const table = sc.progress.cursor;
    const index = tables.indexOf(table);
    if (index === -1) throw new Error(`Unknown table ${table} in the erasure cursor.`);
    const tenantId = sc.operation.tenant_id;
    const n = await deleteTenantRowsBatch(sc.trx, table, tenantId, sc.batchSize, sc.ctx.engine);
    const cursor = n < sc.batchSize ? (tables[index + 1] ?? END) : table;
    return { done: n, cursor, finished: false, counts: { [table]: n } };
  },
};

/** The schema is fixed while a process runs (migrations run at start), so it is read once. */
const erasableByEngine = new Map<Engine, Promise<string[]>>();

/** Every table a tenant owns that the erasure empties (closure bookkeeping and the log stay). */
export function erasableTables(db: Executor, engine: Engine): Promise<string[]> {
  let tables = erasableByEngine.get(engine);
  if (!tables) {
    tables = tenantOwnedTables(db, engine);
    erasableByEngine.set(engine, tables);
    tables.catch(() => erasableByEngine.delete(engine));
  }
  return tables;
}

/**
 * Kept tables whose rows the erasure rewrote: the shredded key's old row version, the cleared
 * feedback, the tenant row. Compacted with the erased tables so no old version survives.
 */
export const REWRITTEN_KEPT_TABLES = ["audit_key", "closure_operation", "tenant"];

/** Everything the compaction after an erasure must cover. */
export async function tablesToCompact(db: Executor, engine: Engine): Promise<string[]> {
  return [...(await erasableTables(db, engine)), ...REWRITTEN_KEPT_TABLES];
}

async function beginErasure(sc: StepBatchContext): Promise<StepBatchResult> {
  const { trx, ctx, operation } = sc;
  const tenantId = operation.tenant_id;
  const tenant = await loadTenant(trx, sc.actor, tenantId);
  await authorizeClosure(trx, sc.actor, tenantId);
  const now = ctx.clock.now();
  const checks = evaluateClosureChecks(
    await loadClosureFacts(trx, tenant, operation.requested_by, now),
    "en-US",
  );
  const failed = failedChecks(checks);
  if (failed.length > 0) {
    return {
      done: 0,
      cursor: null,
      finished: false,
      wait: {
        until: new Date(now.getTime() + RECHECK_MS),
        for: "deletionChecks",
        blockers: failed.map((c) => ({ code: c.id, message: `${c.title}: ${c.detail}` })),
      },
    };
  }
  const tables = await erasableTables(trx, ctx.engine);
  const planned: Record<string, number> = {};
  for (const table of tables) planned[table] = await countTenantRows(trx, table, tenantId);
  const expires = new Date(now.getTime() + READER_TOKEN_LIFETIME_MS).toISOString();
  const hashes = await listUserSessionHashes(
    trx,
    tenantId,
    operation.requested_by,
    now.toISOString(),
  );
  await insertReaderTokens(
    trx,
    hashes.map((token_hash) => ({
      tenant_id: tenantId,
      token_hash,
      operation_id: operation.id,
      user_id: operation.requested_by,
      expires_at: expires,
    })),
  );
  await recordAudit(ctx, trx, {
    tenantId,
    actor: sc.actor,
    action: "tenant.delete",
    target: { type: "tenant", id: tenantId },
    details: { initialDomain: tenant.initialDomain, erased: planned, closureId: operation.id },
  });
  return {
    done: 0,
    cursor: tables[0] ?? END,
    finished: false,
    total: Object.values(planned).reduce((a, b) => a + b, 0),
  };
}

async function finishErasure(sc: StepBatchContext): Promise<StepBatchResult> {
  const { trx, ctx, operation } = sc;
  const now = ctx.clock.now();
  await shredTenantAuditKey(ctx, trx, operation.tenant_id);
  await markTenantDeleted(trx, operation.tenant_id, now.toISOString());
  await setReaderTokensExpiry(
    trx,
    { tenantId: operation.tenant_id, operationId: operation.id },
    new Date(now.getTime() + READER_TOKEN_LIFETIME_MS).toISOString(),
  );
  // Free text may name people; the reason (an enumerated value) stays.
  await updateOperation(
    trx,
    { tenantId: operation.tenant_id, id: operation.id },
    { feedback: null },
  );
  return { done: 0, cursor: END, finished: true };
}
