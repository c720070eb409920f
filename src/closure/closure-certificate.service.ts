import type { Transaction } from "kysely";
import { auditChainHead } from "../audit/index.js";
import { signCertificate } from "../certificate/index.js";
import type { AppContext } from "../shared/app-context.js";
import type { Database } from "../store/database.js";
import { compactAfterErasure } from "../store/erasure.js";
import { findTenantRecord } from "./closure.repository.js";
import type { ClosureOperationTable } from "./closure.table.js";
import { tablesToCompact } from "./closure-erase.js";
import { GUIDED_CLOSURE_ERROR } from "./guided-closure.js";
import {
  findProgress,
  listProgress,
  updateOperation,
  updateProgress,
} from "./guided-closure.repository.js";
import { notFound } from "../shared/app-error.js";

export const CERTIFICATE_KIND = "tenantry.deletionCertificate";

/**
 * The last step: makes the erasure hold up in the database files (SQLite: statistics rebuilt and
 * the write-ahead log truncated; PostgreSQL: VACUUM and ANALYZE — src/store/erasure.ts), then, in
 * one transaction, signs the deletion certificate (Ed25519, the installation's key) and completes
 * the operation. The compaction runs outside any transaction and is idempotent, so a crash between
 * the two simply runs it again.
 */
export async function runSignCertificateStep(
  ctx: AppContext,
  hooks: {
    inTransaction: (
      work: (trx: Transaction<Database>, current: ClosureOperationTable) => Promise<void>,
    ) => Promise<void>;
  },
): Promise<void> {
  // Recorded first, so that the compaction's time shows in the step.
  await hooks.inTransaction(async (trx, current) => {
    const key = { tenantId: current.tenant_id, operationId: current.id, step: "signCertificate" };
    const progress = await findProgress(trx, key);
    if (progress?.started_at === null) {
      await updateProgress(trx, key, { started_at: ctx.clock.now().toISOString(), total: 1 });
    }
  });
  await compactAfterErasure(ctx.db, ctx.engine, await tablesToCompact(ctx.db, ctx.engine));
  await hooks.inTransaction(async (trx, current) => {
    const now = ctx.clock.now().toISOString();
    const tenantId = current.tenant_id;
    const key = { tenantId, operationId: current.id };
    await updateProgress(
      trx,
      { ...key, step: "signCertificate" },
      { finished_at: now, done: 1, total: 1 },
    );
    const progress = await listProgress(trx, key);
    const tenant = await findTenantRecord(trx, tenantId);
    const countsOf = (step: string) =>
      JSON.parse(progress.find((p) => p.step === step)?.counts ?? "{}") as Record<string, number>;
    const purged = countsOf("purgeRecycleBin");
    const certificate = await signCertificate(ctx, trx, {
      version: 1,
      kind: CERTIFICATE_KIND,
      tenantId,
      initialDomain: tenant?.initial_domain ?? null,
      operationId: current.id,
      requestedBy: current.requested_by,
      reason: current.reason,
      startedDateTime: current.created_at,
      completedDateTime: now,
      steps: progress.map((p) => ({
        name: p.step,
        startedDateTime: p.started_at,
        finishedDateTime: p.finished_at,
        done: Number(p.done),
      })),
      erased: {
        recycleBinUsers: purged.users ?? 0,
        recycleBinMailMessages: purged.mailMessages ?? 0,
        recycleBinDriveItems: purged.driveItems ?? 0,
        ...countsOf("deleteTenant"),
      },
      auditChainHash: (await auditChainHead(trx, tenantId)).hash,
      export:
        current.export_sha256 === null
          ? null
          : { sha256: current.export_sha256, bytes: Number(current.export_bytes) },
      signedDateTime: now,
    });
    await updateOperation(
      trx,
      { tenantId, id: current.id },
      {
        state: "completed",
        step: null,
        certificate: JSON.stringify(certificate),
        lease_owner: null,
        lease_expires_at: null,
        updated_at: now,
        finished_at: now,
      },
    );
  });
}

/** The signed certificate of a completed closure, as stored. */
export function certificateOf(operation: ClosureOperationTable): Record<string, unknown> {
  if (operation.certificate === null) {
    throw notFound(
      GUIDED_CLOSURE_ERROR.CERTIFICATE_NOT_READY,
      `The deletion certificate is signed when the closure completes; it is ${operation.state} now.`,
    );
  }
  return JSON.parse(operation.certificate) as Record<string, unknown>;
}
