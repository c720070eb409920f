import { type Selectable, sql } from "kysely";
import type { Executor } from "../store/database.js";
import type { AuditChainHeadTable, AuditKeyTable, AuditLogTable } from "./audit.table.js";
import type { AuditEventClass } from "./billing-events.js";

/** SQL for the audit log, its chain head and the tenant keys; identical on both engines. */

export type AuditLogRow = Selectable<AuditLogTable>;
export type AuditChainHeadRow = Selectable<AuditChainHeadTable>;
export type AuditKeyRow = Selectable<AuditKeyTable>;

/** Creates the tenant's chain head at position 0 unless it exists; never blocks on SQLite. */
export async function ensureAuditChainHead(
  trx: Executor,
  tenantId: string,
  genesisHash: string,
): Promise<void> {
  await trx
    .insertInto("audit_chain_head")
    .values({ tenant_id: tenantId, last_seq: 0, last_hash: genesisHash })
    .onConflict((oc) => oc.column("tenant_id").doNothing())
    .execute();
}

/**
 * Claims the next position: increments `last_seq` and returns it with the previous entry's hash.
 * On PostgreSQL the UPDATE holds the head row's lock until the transaction ends, so concurrent
 * appenders for one tenant queue here and each sees the hash its predecessor committed.
 */
export async function claimNextAuditSeq(
  trx: Executor,
  tenantId: string,
): Promise<{ seq: number; prevHash: string }> {
  const row = await trx
    .updateTable("audit_chain_head")
    .set((eb) => ({ last_seq: eb("last_seq", "+", 1) }))
    .where("tenant_id", "=", tenantId)
    .returning(["last_seq", "last_hash"])
    .executeTakeFirstOrThrow();
  return { seq: Number(row.last_seq), prevHash: row.last_hash };
}

export async function setAuditChainHeadHash(
  trx: Executor,
  tenantId: string,
  hash: string,
): Promise<void> {
  await trx
    .updateTable("audit_chain_head")
    .set({ last_hash: hash })
    .where("tenant_id", "=", tenantId)
    .execute();
}

export async function findAuditChainHead(
  executor: Executor,
  tenantId: string,
): Promise<AuditChainHeadRow | undefined> {
  const row = await executor
    .selectFrom("audit_chain_head")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .executeTakeFirst();
  return row && { ...row, last_seq: Number(row.last_seq) };
}

export async function insertAuditRow(trx: Executor, row: AuditLogRow): Promise<void> {
  await trx.insertInto("audit_log").values(row).execute();
}

export interface AuditRowPage {
  /** Only entries after this position. */
  afterSeq: number;
  /** Only entries up to this position, when given. */
  untilSeq?: number;
  /** Only entries of this class, when given: a page still holds `limit` of them when there are. */
  only?: AuditEventClass | undefined;
  limit: number;
}

/** One page of the tenant's entries in position order. */
export async function listAuditRows(
  executor: Executor,
  tenantId: string,
  page: AuditRowPage,
): Promise<AuditLogRow[]> {
  let query = executor
    .selectFrom("audit_log")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("seq", ">", page.afterSeq);
  if (page.untilSeq !== undefined) query = query.where("seq", "<=", page.untilSeq);
  const only = page.only;
  if (only) {
    // substr, not LIKE: exact and case-sensitive on both engines, with `_` and `%` as themselves.
    query = query.where((eb) =>
      eb.or([
        ...only.actionPrefixes.map((prefix) =>
          eb(eb.fn("substr", ["action", sql.lit(1), sql.lit(prefix.length)]), "=", prefix),
        ),
        ...(only.actions.length > 0 ? [eb("action", "in", only.actions)] : []),
        ...(only.targetTypes.length > 0 ? [eb("target_type", "in", only.targetTypes)] : []),
      ]),
    );
  }
  const rows = await query.orderBy("seq").limit(page.limit).execute();
  // bigint columns: keep numbers even on a PostgreSQL pool without the int8 parser.
  return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
}

export async function findAuditKey(
  executor: Executor,
  tenantId: string,
): Promise<AuditKeyRow | undefined> {
  return executor
    .selectFrom("audit_key")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .executeTakeFirst();
}

/**
 * Stores a wrapped key unless the tenant already has a key row (live or shredded). On PostgreSQL a
 * concurrent insert waits for the first to commit and then does nothing; read the row afterwards.
 */
export async function insertAuditKeyIfAbsent(
  trx: Executor,
  row: { tenant_id: string; wrapped_key: string; created_at: string },
): Promise<void> {
  await trx
    .insertInto("audit_key")
    .values({ ...row, shredded_at: null })
    .onConflict((oc) => oc.column("tenant_id").doNothing())
    .execute();
}

/**
 * Destroys the tenant's key, creating a shredded row when it never had one (so no key is created
 * later). Idempotent: a second shred keeps the first `shredded_at`.
 */
export async function shredAuditKey(trx: Executor, tenantId: string, now: string): Promise<void> {
  await trx
    .insertInto("audit_key")
    .values({ tenant_id: tenantId, wrapped_key: null, created_at: now, shredded_at: now })
    .onConflict((oc) =>
      oc.column("tenant_id").doUpdateSet((eb) => ({
        wrapped_key: null,
        shredded_at: eb.fn.coalesce("audit_key.shredded_at", eb.ref("excluded.shredded_at")),
      })),
    )
    .execute();
}
