import { actorId } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { invalid } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import type { Executor } from "../store/database.js";
import {
  AUDIT_ERROR,
  type AuditEntry,
  type AuditEntryInput,
  type AuditOutcome,
  type AuditVerifyResult,
  type ChainPosition,
  checkAuditEntry,
  checkAuditHead,
  checkNothingBeyondHead,
  computeAuditHash,
  GENESIS,
  GENESIS_HASH,
  validateAuditInput,
} from "./audit.js";
import {
  type AuditLogRow,
  claimNextAuditSeq,
  ensureAuditChainHead,
  findAuditChainHead,
  insertAuditRow,
  listAuditRows,
  setAuditChainHeadHash,
  shredAuditKey,
} from "./audit.repository.js";
import type { AuditEventClass } from "./billing-events.js";
import {
  obtainTenantAuditKey,
  openAuditDetails,
  readTenantAuditKey,
  sealAuditDetails,
} from "./tenant-audit-key.js";

/** Entries read per query while verifying, so a long chain never sits in memory at once. */
const VERIFY_PAGE_SIZE = 1000;
const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 1000;

/**
 * Appends one entry to the tenant's chain (SPEC §5). Contract: `trx` is the transaction of the
 * change being recorded, so the entry exists exactly when the change does. Concurrent appenders
 * for one tenant queue on the chain head's row lock (PostgreSQL; SQLite serializes transactions),
 * so positions are 1, 2, 3, … without gaps and the chain never forks. Personal details are stored
 * only as ciphertext under the tenant's key; AUDIT_KEY_SHREDDED (Blocked) once it was destroyed.
 */
export async function recordAudit(
  ctx: Pick<AppContext, "secrets" | "clock" | "engine">,
  trx: Executor,
  input: AuditEntryInput,
): Promise<AuditEntry> {
  if (!trx.isTransaction) {
    throw new Error("recordAudit must run inside the transaction of the change it records.");
  }
  validateAuditInput(input);
  const { tenantId } = input;
  // Encrypt before taking the head lock, to hold it as briefly as possible.
  const detailsCiphertext =
    input.details === undefined
      ? null
      : sealAuditDetails(await obtainTenantAuditKey(ctx, trx, tenantId), input.details);

  await ensureAuditChainHead(trx, tenantId, GENESIS_HASH);
  const { seq, prevHash } = await claimNextAuditSeq(trx, tenantId);
  const fields = {
    tenant_id: tenantId,
    seq,
    id: newId(),
    occurred_at: ctx.clock.now().toISOString(),
    actor_type: input.actor.type,
    actor_id: actorId(input.actor),
    action: input.action,
    target_type: input.target?.type ?? null,
    target_id: input.target?.id ?? null,
    outcome: input.outcome ?? "success",
    request_id: input.requestId ?? input.actor.requestId ?? null,
    details_ciphertext: detailsCiphertext,
    prev_hash: prevHash,
  };
  const row: AuditLogRow = { ...fields, hash: computeAuditHash(fields) };
  await insertAuditRow(trx, row);
  await setAuditChainHeadHash(trx, tenantId, row.hash);
  return toAuditEntry(row, input.details ?? null, false);
}

/**
 * Recomputes the tenant's chain, a page at a time: positions from 1 without gaps, every hash
 * against its entry's contents, every link to the predecessor, and the end against the chain head.
 * Safe while entries are being appended: it checks the chain up to the head read first, and only
 * afterwards looks past it against a fresh read of the head.
 */
export async function verifyAuditChain(
  ctx: Pick<AppContext, "db">,
  tenantId: string,
): Promise<AuditVerifyResult> {
  const headRow = await findAuditChainHead(ctx.db, tenantId);
  const head = headRow ? toPosition(headRow) : null;
  const lastSeq = head?.seq ?? 0;

  let previous: ChainPosition = GENESIS;
  let entries = 0;
  while (previous.seq < lastSeq) {
    const page = await listAuditRows(ctx.db, tenantId, {
      afterSeq: previous.seq,
      untilSeq: lastSeq,
      limit: VERIFY_PAGE_SIZE,
    });
    if (page.length === 0) break;
    for (const row of page) {
      const firstBad = checkAuditEntry(previous, row, lastSeq);
      if (firstBad) return { ok: false, entries, firstBad };
      previous = { seq: row.seq, hash: row.hash };
      entries++;
    }
  }

  const atHead = checkAuditHead(previous, head);
  if (atHead) return { ok: false, entries, firstBad: atHead };

  // Entries appended since the head was read are fine; the head is re-read after them, so an
  // append committing meanwhile is covered by it.
  const [beyond] = await listAuditRows(ctx.db, tenantId, { afterSeq: lastSeq, limit: 1 });
  if (beyond) {
    const freshHead = await findAuditChainHead(ctx.db, tenantId);
    const past = checkNothingBeyondHead(beyond, freshHead ? toPosition(freshHead) : null);
    if (past) return { ok: false, entries, firstBad: past };
  }
  return { ok: true, entries, lastHash: previous.hash };
}

export interface ListAuditEntriesOptions {
  /** Entries after this position (for paging); default 0. */
  afterSeq?: number;
  /** 1 to 1000; default 100. */
  limit?: number;
  /** Only entries of this class (`BILLING_EVENTS`, say); default every entry. */
  only?: AuditEventClass | undefined;
}

/**
 * The tenant's entries in position order, details decrypted. After shredding, entries keep their
 * facts (who by id, what, when) but `details` is null and `detailsShredded` true.
 */
export async function listAuditEntries(
  ctx: Pick<AppContext, "secrets">,
  executor: Executor,
  tenantId: string,
  options: ListAuditEntriesOptions = {},
): Promise<AuditEntry[]> {
  const limit = options.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw invalid(
      AUDIT_ERROR.LIMIT_INVALID,
      `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}.`,
    );
  }
  const afterSeq = options.afterSeq ?? 0;
  if (!Number.isInteger(afterSeq) || afterSeq < 0) {
    throw invalid(AUDIT_ERROR.LIMIT_INVALID, "afterSeq must be a whole number ≥ 0.");
  }
  const rows = await listAuditRows(executor, tenantId, { afterSeq, limit, only: options.only });
  const needsKey = rows.some((row) => row.details_ciphertext !== null);
  const key = needsKey ? await readTenantAuditKey(ctx, executor, tenantId) : null;
  return rows.map((row) => {
    if (row.details_ciphertext === null) return toAuditEntry(row, null, false);
    if (key === null) return toAuditEntry(row, null, true);
    return toAuditEntry(row, openAuditDetails(key, row.details_ciphertext), false);
  });
}

/**
 * Crypto-shreds the tenant's audit details (SPEC §5, tenant erasure): destroys its key in `trx`.
 * The chain still verifies, since hashes cover the ciphertext; no entry names anyone any more.
 * Idempotent; later entries for the tenant can no longer carry details.
 */
export async function shredTenantAuditKey(
  ctx: Pick<AppContext, "clock">,
  trx: Executor,
  tenantId: string,
): Promise<void> {
  await shredAuditKey(trx, tenantId, ctx.clock.now().toISOString());
}

/** The hash of the tenant's newest entry and its number (genesis when it has none). */
export async function auditChainHead(
  db: Executor,
  tenantId: string,
): Promise<{ seq: number; hash: string }> {
  const head = await findAuditChainHead(db, tenantId);
  return head ? toPosition(head) : { seq: 0, hash: GENESIS_HASH };
}

function toPosition(head: { last_seq: number; last_hash: string }): ChainPosition {
  return { seq: head.last_seq, hash: head.last_hash };
}

function toAuditEntry(
  row: AuditLogRow,
  details: Record<string, unknown> | null,
  detailsShredded: boolean,
): AuditEntry {
  return {
    tenantId: row.tenant_id,
    seq: row.seq,
    id: row.id,
    occurredAt: row.occurred_at,
    actor: { type: row.actor_type as AuditEntry["actor"]["type"], id: row.actor_id },
    action: row.action,
    target: row.target_type === null ? null : { type: row.target_type, id: row.target_id },
    outcome: row.outcome as AuditOutcome,
    requestId: row.request_id,
    details,
    detailsShredded,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
