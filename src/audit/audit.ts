import crypto from "node:crypto";
import type { Actor } from "../shared/actor.js";
import { invalid } from "../shared/app-error.js";

/**
 * The audit log's types and its pure rules: the canonical form an entry is hashed in and the check
 * of one entry against its predecessor (SPEC §5). No I/O here; the service feeds rows in.
 */

export const AUDIT_ERROR = {
  /** The input lacks a tenant, an action or a target type. */
  INPUT_INVALID: "AUDIT_INPUT_INVALID",
  /** The tenant's key was destroyed (erasure): nothing personal may be written for it again. */
  KEY_SHREDDED: "AUDIT_KEY_SHREDDED",
  LIMIT_INVALID: "AUDIT_LIMIT_INVALID",
} as const;

export type AuditOutcome = "success" | "failure";

export interface AuditEntryInput {
  tenantId: string;
  /** Stored as `actor_type` and `actor_id` (the user id, or null for operator and system). */
  actor: Actor;
  /** What happened, e.g. "user.create", "users.bulkDelete". */
  action: string;
  target?: { type: string; id: string | null };
  /** Default "success". */
  outcome?: AuditOutcome;
  /** Default `actor.requestId`. */
  requestId?: string;
  /** Personal details (names, UPNs, addresses, item lists); stored encrypted, never in plaintext. */
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  tenantId: string;
  seq: number;
  id: string;
  occurredAt: string;
  actor: { type: Actor["type"]; id: string | null };
  action: string;
  target: { type: string; id: string | null } | null;
  outcome: AuditOutcome;
  requestId: string | null;
  /** Decrypted details; null when there were none or the tenant's key was shredded. */
  details: Record<string, unknown> | null;
  /** True when the entry had details that can no longer be read (crypto-shredded). */
  detailsShredded: boolean;
  prevHash: string;
  hash: string;
}

/** The fields an entry's hash covers, in the order they are hashed. */
export interface HashedAuditFields {
  tenant_id: string;
  seq: number;
  id: string;
  occurred_at: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  request_id: string | null;
  details_ciphertext: string | null;
  prev_hash: string;
}

export interface StoredAuditFields extends HashedAuditFields {
  hash: string;
}

/** Where the chain stands after an entry: the predecessor of the next one. */
export interface ChainPosition {
  seq: number;
  hash: string;
}

export interface AuditBreak {
  /** The first position that does not verify. */
  seq: number;
  /** The id of the entry found there, or null when it is missing. */
  id: string | null;
  reason: string;
}

export type AuditVerifyResult =
  | { ok: true; entries: number; lastHash: string }
  | { ok: false; entries: number; firstBad: AuditBreak };

/** `prev_hash` of entry 1. */
export const GENESIS_HASH = "0".repeat(64);
export const GENESIS: ChainPosition = { seq: 0, hash: GENESIS_HASH };

/** Rejects input that would make an entry meaningless; callers get an `Invalid` AppError. */
export function validateAuditInput(input: AuditEntryInput): void {
  if (input.tenantId.trim() === "") {
    throw invalid(AUDIT_ERROR.INPUT_INVALID, "An audit entry needs a tenant.");
  }
  if (input.action.trim() === "") {
    throw invalid(AUDIT_ERROR.INPUT_INVALID, "An audit entry needs an action.");
  }
  if (input.target !== undefined && input.target.type.trim() === "") {
    throw invalid(AUDIT_ERROR.INPUT_INVALID, "An audit entry's target needs a type.");
  }
}

/**
 * The exact string an entry's hash is computed over: a JSON array in a fixed order, so that no two
 * different entries serialize alike (strings are quoted and escaped, null is distinct from "null").
 * The leading tag names the format, so a later format can coexist with this one.
 */
export function canonicalAuditRecord(fields: HashedAuditFields): string {
  return JSON.stringify([
    "tenantry-audit-v1",
    fields.tenant_id,
    fields.seq,
    fields.id,
    fields.occurred_at,
    fields.actor_type,
    fields.actor_id,
    fields.action,
    fields.target_type,
    fields.target_id,
    fields.outcome,
    fields.request_id,
    fields.details_ciphertext,
    fields.prev_hash,
  ]);
}

/** SHA-256 (hex) of the canonical record; covers the ciphertext, never the plaintext details. */
export function computeAuditHash(fields: HashedAuditFields): string {
  return crypto.createHash("sha256").update(canonicalAuditRecord(fields), "utf8").digest("hex");
}

/**
 * Checks one entry against its predecessor (GENESIS for the first). `lastSeq` bounds the search
 * for where a moved entry came from. Returns the break, or null when the entry verifies.
 */
export function checkAuditEntry(
  previous: ChainPosition,
  entry: StoredAuditFields,
  lastSeq: number,
): AuditBreak | null {
  const expected = previous.seq + 1;
  if (entry.seq > expected) {
    const missing = entry.seq - 1 === expected ? `${expected}` : `${expected} to ${entry.seq - 1}`;
    const noun = entry.seq - 1 === expected ? "entry" : "entries";
    return { seq: expected, id: null, reason: `${noun} ${missing} ${verb(noun)} missing` };
  }
  if (entry.seq < expected) {
    return { seq: entry.seq, id: entry.id, reason: "entries are out of order" };
  }
  if (computeAuditHash(entry) !== entry.hash) {
    const recordedAs =
      entry.prev_hash === previous.hash
        ? null
        : findRecordedSeq(entry, Math.max(lastSeq, expected));
    if (recordedAs !== null) {
      return {
        seq: expected,
        id: entry.id,
        reason: `entries are out of order: entry ${expected} holds the entry recorded as ${recordedAs}`,
      };
    }
    return {
      seq: expected,
      id: entry.id,
      reason: `entry ${expected} was edited: its hash does not match its contents`,
    };
  }
  if (entry.prev_hash !== previous.hash) {
    // Self-consistent but not linked: the predecessor was rewritten with a recomputed hash.
    return {
      seq: expected,
      id: entry.id,
      reason: `entry ${expected} does not follow entry ${previous.seq}: one of them was rewritten`,
    };
  }
  return null;
}

/**
 * Checks where the entries ended against the chain head. The head is written in the same
 * transaction as every entry, so a head ahead of the entries means the newest were removed.
 */
export function checkAuditHead(last: ChainPosition, head: ChainPosition | null): AuditBreak | null {
  const headSeq = head?.seq ?? 0;
  if (last.seq < headSeq) {
    return {
      seq: last.seq + 1,
      id: null,
      reason: `entry ${last.seq + 1} is missing: the chain ends at ${last.seq} but the head says ${headSeq}`,
    };
  }
  if (head !== null && head.hash !== last.hash) {
    return {
      seq: last.seq,
      id: null,
      reason: `entry ${last.seq} does not match the head: it was rewritten`,
    };
  }
  return null;
}

/**
 * Checks that no entry lies past the head (`beyond`: the first entry after the part verified, if
 * any). Appends commit an entry and the head together, so an entry past the head was added, or
 * the head moved back, outside the append path.
 */
export function checkNothingBeyondHead(
  beyond: { seq: number; id: string } | undefined,
  head: ChainPosition | null,
): AuditBreak | null {
  if (beyond === undefined || beyond.seq <= (head?.seq ?? 0)) return null;
  const reason =
    head === null
      ? `entry ${beyond.seq} exists but the chain has no head`
      : `the chain goes on to entry ${beyond.seq} but the head says ${head.seq}`;
  return { seq: beyond.seq, id: beyond.id, reason };
}

/** The position an entry was hashed at, when it verifies there; null if it verifies nowhere. */
function findRecordedSeq(entry: StoredAuditFields, maxSeq: number): number | null {
  for (let seq = 1; seq <= maxSeq; seq++) {
    if (seq !== entry.seq && computeAuditHash({ ...entry, seq }) === entry.hash) return seq;
  }
  return null;
}

function verb(noun: "entry" | "entries"): string {
  return noun === "entry" ? "is" : "are";
}
