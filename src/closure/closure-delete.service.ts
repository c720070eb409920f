import { recordAudit, shredTenantAuditKey } from "../audit/index.js";
import { loadTenant } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { blocked } from "../shared/app-error.js";
import type { Executor } from "../store/database.js";
import { compactAfterErasure } from "../store/erasure.js";
import {
  type Engine,
  listForeignKeyEdges,
  listTablesWithColumn,
  supportsRowLocks,
} from "../store/engine.js";
import { countTenantRows, deleteTenantRows, markTenantDeleted } from "./closure.repository.js";
import { assertConfirmDomain, authorizeClosure, CLOSURE_ERROR } from "./closure-access.js";
import { evaluateClosureChecks, failedChecks } from "./closure-checks.js";
import { loadClosureFacts } from "./closure-checks.service.js";
import type { ClosureStepResult } from "./closure-step.js";
import type { ClosureLanguage } from "./closure-texts.js";

/**
 * What stays of a deleted tenant (SPEC §5, §6), and nothing else:
 * - the `tenant` row, state `deleted` with `deleted_at`, so its id is never reused and the closing
 *   admin can later read the closure status;
 * - its `tenant_domain` rows: domains are never reused;
 * - its audit log (`audit_log`, `audit_chain_head`): it still verifies, yet no longer names anyone,
 *   because its key in `audit_key` is destroyed (crypto-shredding; the row keeps only the time);
 * - the guided closure's record (`closure_operation` with the signed certificate, its step
 *   progress, and the closing admin's read-only tokens, which expire 7 days later). They hold ids,
 *   counts and times, not names (the free-text feedback is cleared).
 */
export const KEPT_AFTER_DELETION = [
  "tenant",
  "tenant_domain",
  "audit_log",
  "audit_chain_head",
  "audit_key",
  "closure_operation",
  "closure_step_progress",
  "closure_reader_token",
];

/**
 * The tables whose rows a tenant owns (every table with a `tenant_id` column, the kept ones aside),
 * children before parents, so every row can be deleted with the foreign keys on.
 */
export async function tenantOwnedTables(db: Executor, engine: Engine): Promise<string[]> {
  const owned = (await listTablesWithColumn(db, engine, "tenant_id")).filter(
    (t) => !KEPT_AFTER_DELETION.includes(t),
  );
  const edges = (await listForeignKeyEdges(db, engine)).filter(
    (e) => e.child !== e.parent && owned.includes(e.child) && owned.includes(e.parent),
  );
  const ordered: string[] = [];
  const remaining = new Set(owned);
  while (remaining.size > 0) {
    // A table can go once no remaining table refers to it.
    const free = [...remaining].filter(
      (t) => !edges.some((e) => e.parent === t && remaining.has(e.child)),
    );
    if (free.length === 0) throw new Error(`Foreign key cycle among ${[...remaining].join(", ")}`);
    for (const t of free.sort()) {
      ordered.push(t);
      remaining.delete(t);
    }
  }
  return ordered;
}

/**
 * Step 5 (SPEC §6): deletes the tenant once every deletion check passes and `confirmDomain` is its
 * initial domain (any letter case). In one transaction, with the tenant row locked: the checks run
 * again, the final audit entry is written (with the counts of rows erased per table), every row
 * the tenant owns is deleted (users, content, sessions, subscriptions, invoices, jobs, …), the
 * audit key is shredded and the tenant is marked deleted. Sessions go with their rows, and a
 * deleted tenant's tokens are refused anyway. Refused: 400 for another domain, 409 listing the
 * failed checks.
 */
export async function runDeleteTenantStep(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  input: { confirmDomain: string },
  language: ClosureLanguage = "en-US",
): Promise<ClosureStepResult> {
  const caller = await authorizeClosure(ctx.db, actor, tenantId);
  assertConfirmDomain(caller.tenant, input.confirmDomain);
  const result = await ctx.db.transaction().execute(async (trx) => {
    const tenant = await loadTenant(trx, actor, tenantId, {
      forUpdate: true,
      rowLocks: supportsRowLocks(ctx.engine),
    });
    await authorizeClosure(trx, actor, tenantId);
    const now = ctx.clock.now();
    const checks = evaluateClosureChecks(
      await loadClosureFacts(trx, tenant, caller.userId, now),
      language,
    );
    const failed = failedChecks(checks);
    if (failed.length > 0) {
      throw blocked(
        CLOSURE_ERROR.CHECKS_FAILED,
        `The organization cannot be deleted until every deletion check passes. Failed: ${failed
          .map((c) => `${c.id} (${c.count}) — ${c.detail}`)
          .join(" ")}`,
        { failedChecks: failed },
      );
    }
    const tables = await tenantOwnedTables(trx, ctx.engine);
    const erased: Record<string, number> = {};
    for (const table of tables) erased[table] = await countTenantRows(trx, table, tenantId);
    // The last entry the key can still seal; after the shredding, the log names no one.
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "tenant.delete",
      target: { type: "tenant", id: tenantId },
      details: { initialDomain: tenant.initialDomain, erased },
    });
    for (const table of tables) await deleteTenantRows(trx, table, tenantId);
    await shredTenantAuditKey(ctx, trx, tenantId);
    await markTenantDeleted(trx, tenantId, now.toISOString());
    return { step: "deleteTenant" as const, value: [{ id: tenantId, outcome: "ok" as const }] };
  });
  // The rows are gone; make them unrecoverable from the database files too (issue 7). A failure
  // here (another process holding the SQLite log) is logged: the next erasure compacts again.
  try {
    const rewritten = ["audit_key", "tenant"];
    const tables = [...(await tenantOwnedTables(ctx.db, ctx.engine)), ...rewritten];
    await compactAfterErasure(ctx.db, ctx.engine, tables);
  } catch (error) {
    ctx.log.warn({ err: error, tenantId }, "compaction after the tenant's erasure failed");
  }
  return result;
}
