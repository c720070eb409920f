import { sql, type Updateable } from "kysely";
import type { Executor } from "../store/database.js";
import { type Engine, rowLocator } from "../store/engine.js";
import type {
  ClosureOperationTable,
  ClosureReaderTokenTable,
  ClosureStepProgressTable,
} from "./closure.table.js";
import { OPEN_STATES } from "./guided-closure.js";

export async function insertOperation(db: Executor, row: ClosureOperationTable): Promise<void> {
  await db.insertInto("closure_operation").values(row).execute();
}

export async function insertProgressRows(
  db: Executor,
  rows: readonly ClosureStepProgressTable[],
): Promise<void> {
  await db
    .insertInto("closure_step_progress")
    .values([...rows])
    .execute();
}

/** The tenant's latest operation (the open one if any: there is at most one). */
export async function findLatestOperation(
  db: Executor,
  tenantId: string,
): Promise<ClosureOperationTable | undefined> {
  return db
    .selectFrom("closure_operation")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

export async function findOpenOperation(
  db: Executor,
  tenantId: string,
): Promise<ClosureOperationTable | undefined> {
  return db
    .selectFrom("closure_operation")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("state", "in", [...OPEN_STATES])
    .executeTakeFirst();
}

export function findOperation(
  db: Executor,
  key: { tenantId: string; id: string },
): Promise<ClosureOperationTable | undefined> {
  return findOperationForUpdate(db, key, false);
}

/** The operation, locked until the transaction ends where the engine has row locks. */
export async function findOperationForUpdate(
  db: Executor,
  key: { tenantId: string; id: string },
  rowLocks: boolean,
): Promise<ClosureOperationTable | undefined> {
  return db
    .selectFrom("closure_operation")
    .selectAll()
    .where("tenant_id", "=", key.tenantId)
    .where("id", "=", key.id)
    .$if(rowLocks, (q) => q.forUpdate())
    .executeTakeFirst();
}

export async function updateOperation(
  db: Executor,
  key: { tenantId: string; id: string },
  changes: Updateable<ClosureOperationTable>,
): Promise<void> {
  await db
    .updateTable("closure_operation")
    .set(changes)
    .where("tenant_id", "=", key.tenantId)
    .where("id", "=", key.id)
    .execute();
}

/**
 * The next open operation whose work is due at `nowIso` and whose lease is free or expired,
 * locked (PostgreSQL: skipping rows another process holds). Due: running, or its timer passed.
 */
export async function findClaimableOperation(
  db: Executor,
  nowIso: string,
  rowLocks: boolean,
): Promise<ClosureOperationTable | undefined> {
  return db
    .selectFrom("closure_operation")
    .selectAll()
    .where("state", "in", [...OPEN_STATES])
    .where((eb) =>
      eb.or([eb("lease_expires_at", "is", null), eb("lease_expires_at", "<=", nowIso)]),
    )
    .where((eb) =>
      eb.or([
        eb.and([eb("state", "=", "running"), eb("wait_until", "is", null)]),
        eb.and([eb("state", "=", "waiting"), eb("wait_until", "<=", nowIso)]),
        eb.and([eb("state", "=", "coolingOff"), eb("cooling_off_until", "<=", nowIso)]),
      ]),
    )
    .orderBy("updated_at")
    .limit(1)
    .$if(rowLocks, (q) => q.forUpdate().skipLocked())
    .executeTakeFirst();
}

/** The earliest time an open operation falls due (for the worker's next wake-up). */
export async function findNextDueTime(db: Executor): Promise<string | null> {
  const row = await db
    .selectFrom("closure_operation")
    .select((eb) => [
      eb.fn.min("wait_until").as("wait"),
      eb.fn.min("cooling_off_until").as("cooling"),
    ])
    .where("state", "in", ["waiting", "coolingOff"])
    .executeTakeFirst();
  const times = [row?.wait, row?.cooling].filter((t): t is string => typeof t === "string");
  return times.sort()[0] ?? null;
}

export async function listProgress(
  db: Executor,
  key: { tenantId: string; operationId: string },
): Promise<ClosureStepProgressTable[]> {
  return db
    .selectFrom("closure_step_progress")
    .selectAll()
    .where("tenant_id", "=", key.tenantId)
    .where("operation_id", "=", key.operationId)
    .orderBy("position")
    .execute();
}

export async function findProgress(
  db: Executor,
  key: { tenantId: string; operationId: string; step: string },
): Promise<ClosureStepProgressTable | undefined> {
  return db
    .selectFrom("closure_step_progress")
    .selectAll()
    .where("tenant_id", "=", key.tenantId)
    .where("operation_id", "=", key.operationId)
    .where("step", "=", key.step)
    .executeTakeFirst();
}

export async function updateProgress(
  db: Executor,
  key: { tenantId: string; operationId: string; step: string },
  changes: Updateable<ClosureStepProgressTable>,
): Promise<void> {
  await db
    .updateTable("closure_step_progress")
    .set(changes)
    .where("tenant_id", "=", key.tenantId)
    .where("operation_id", "=", key.operationId)
    .where("step", "=", key.step)
    .execute();
}

export async function insertExportChunk(
  db: Executor,
  row: { tenant_id: string; operation_id: string; seq: number; data: Buffer },
): Promise<void> {
  await db.insertInto("closure_export_chunk").values(row).execute();
}

export async function deleteExportChunks(
  db: Executor,
  key: { tenantId: string; operationId: string },
): Promise<void> {
  await db
    .deleteFrom("closure_export_chunk")
    .where("tenant_id", "=", key.tenantId)
    .where("operation_id", "=", key.operationId)
    .execute();
}

/** Up to `limit` chunks from `fromSeq` on, in order (the download streams them page by page). */
export async function listExportChunks(
  db: Executor,
  key: { tenantId: string; operationId: string },
  fromSeq: number,
  limit: number,
): Promise<{ seq: number; data: Buffer }[]> {
  const rows = await db
    .selectFrom("closure_export_chunk")
    .select(["seq", "data"])
    .where("tenant_id", "=", key.tenantId)
    .where("operation_id", "=", key.operationId)
    .where("seq", ">=", fromSeq)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ seq: Number(r.seq), data: Buffer.from(r.data) }));
}

export async function insertReaderTokens(
  db: Executor,
  rows: readonly ClosureReaderTokenTable[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("closure_reader_token")
    .values([...rows])
    .onConflict((oc) => oc.columns(["tenant_id", "token_hash"]).doNothing())
    .execute();
}

export async function setReaderTokensExpiry(
  db: Executor,
  key: { tenantId: string; operationId: string },
  expiresAt: string,
): Promise<void> {
  await db
    .updateTable("closure_reader_token")
    .set({ expires_at: expiresAt })
    .where("tenant_id", "=", key.tenantId)
    .where("operation_id", "=", key.operationId)
    .execute();
}

export async function findReaderToken(
  db: Executor,
  tokenHash: string,
): Promise<ClosureReaderTokenTable | undefined> {
  return db
    .selectFrom("closure_reader_token")
    .selectAll()
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export async function findSessionTokenHash(
  db: Executor,
  tenantId: string,
  sessionId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom("auth_session")
    .select("token_hash")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", sessionId)
    .executeTakeFirst();
  return row?.token_hash;
}

/** Live session token hashes of a user (copied to reader tokens before sessions are erased). */
export async function listUserSessionHashes(
  db: Executor,
  tenantId: string,
  userId: string,
  nowIso: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom("auth_session")
    .select("token_hash")
    .where("tenant_id", "=", tenantId)
    .where("subject_type", "=", "user")
    .where("subject_id", "=", userId)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", nowIso)
    .execute();
  return rows.map((r) => r.token_hash);
}

/** Deletes up to `limit` of the tenant's rows in `table`; how many went. */
export async function deleteTenantRowsBatch(
  db: Executor,
  table: string,
  tenantId: string,
  limit: number,
  engine: Engine,
): Promise<number> {
  const locator = rowLocator(engine);
  const result =
    await sql`delete from ${sql.table(table)} where ${locator} in (select ${locator} from ${sql.table(table)} where tenant_id = ${tenantId} limit ${limit})`.execute(
      db,
    );
  return Number(result.numAffectedRows ?? 0);
}
