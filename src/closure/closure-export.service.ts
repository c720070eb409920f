import { Readable } from "node:stream";
import { type ExportSummary, writeTenantExport } from "../backup/index.js";
import type { AppContext } from "../shared/app-context.js";
import { notFound } from "../shared/app-error.js";
import type { Executor } from "../store/database.js";
import type { ClosureOperationTable } from "./closure.table.js";
import { GUIDED_CLOSURE_ERROR, isIrreversible } from "./guided-closure.js";
import {
  deleteExportChunks,
  insertExportChunk,
  listExportChunks,
} from "./guided-closure.repository.js";

/** The archive is stored in rows of this size: memory stays flat however large the tenant. */
const CHUNK_BYTES = 1024 * 1024;
/** Chunks read per query while a download streams. */
const CHUNKS_PER_READ = 4;

/**
 * The guided closure's first step (SPEC §6): the backup archive, streamed into
 * `closure_export_chunk` rows a megabyte at a time. A crash part-way leaves a partial archive
 * that is discarded when the step starts again (the tenant is frozen, so the new one is the same
 * content). Every chunk is stored in a transaction that first checks and extends the worker's
 * claim, which fails once another process has taken the operation over.
 */
export async function runExportStep(
  ctx: AppContext,
  operation: ClosureOperationTable,
  hooks: {
    /** Runs `work` in a transaction only while this worker still holds the operation. */
    inLease: (work: (trx: Executor) => Promise<void>) => Promise<void>;
    fault: (point: string) => void;
  },
): Promise<ExportSummary> {
  const key = { tenantId: operation.tenant_id, operationId: operation.id };
  await hooks.inLease((trx) => deleteExportChunks(trx, key));
  let seq = 0;
  let pending: Buffer[] = [];
  let size = 0;
  let renewedAt = Date.now();
  // Each chunk is stored with a lease check in one transaction: a worker that lost the operation
  // stores nothing more, and two processes never write one archive.
  const flush = async () => {
    if (size === 0) return;
    const data = Buffer.concat(pending);
    pending = [];
    size = 0;
    await hooks.inLease((trx) => insertExportChunk(trx, { ...keyColumns(key), seq, data }));
    renewedAt = Date.now();
    seq += 1;
    hooks.fault("export:chunk");
  };
  const summary = await writeTenantExport(ctx, operation.tenant_id, async (chunk) => {
    pending.push(chunk);
    size += chunk.length;
    if (size >= CHUNK_BYTES) await flush();
    else if (Date.now() - renewedAt > ctx.config.leaseMs / 3) {
      // A slow stretch (large files, a busy database) must not let the lease lapse.
      await hooks.inLease(async () => undefined);
      renewedAt = Date.now();
    }
  });
  await flush();
  return summary;
}

function keyColumns(key: { tenantId: string; operationId: string }) {
  return { tenant_id: key.tenantId, operation_id: key.operationId };
}

/**
 * The stored archive as a stream, read a few chunks at a time; refused once the irreversible
 * phase began (it is erased with the rest) or before the export finished.
 */
export function exportDownload(
  ctx: AppContext,
  operation: ClosureOperationTable,
): { stream: Readable; bytes: number; sha256: string } {
  if (
    operation.export_sha256 === null ||
    isIrreversible(operation.step) ||
    operation.state === "completed"
  ) {
    throw notFound(
      GUIDED_CLOSURE_ERROR.EXPORT_UNAVAILABLE,
      operation.export_sha256 === null
        ? "The backup archive is not ready: the closure makes it first (or it was started without an export)."
        : "The backup archive was erased with the organization when the closure entered its irreversible phase.",
    );
  }
  const key = { tenantId: operation.tenant_id, operationId: operation.id };
  async function* chunks() {
    let from = 0;
    for (;;) {
      const page = await listExportChunks(ctx.db, key, from, CHUNKS_PER_READ);
      for (const chunk of page) yield chunk.data;
      if (page.length < CHUNKS_PER_READ) return;
      from = (page.at(-1)?.seq ?? from) + 1;
    }
  }
  return {
    stream: Readable.from(chunks()),
    bytes: Number(operation.export_bytes ?? 0),
    sha256: operation.export_sha256,
  };
}
