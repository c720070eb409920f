import { describe, expect, it } from "vitest";
import {
  canonicalAuditRecord,
  checkAuditEntry,
  checkAuditHead,
  checkNothingBeyondHead,
  computeAuditHash,
  GENESIS,
  GENESIS_HASH,
  type HashedAuditFields,
  type StoredAuditFields,
} from "./audit.js";

function fields(overrides: Partial<HashedAuditFields> = {}): HashedAuditFields {
  return {
    tenant_id: "t-1",
    seq: 1,
    id: "0190d3a0-0000-7000-8000-000000000001",
    occurred_at: "2026-01-15T09:00:00.000Z",
    actor_type: "user",
    actor_id: "u-1",
    action: "user.create",
    target_type: "user",
    target_id: "u-2",
    outcome: "success",
    request_id: "req-1",
    details_ciphertext: "v1.aaa.bbb.ccc",
    prev_hash: GENESIS_HASH,
    ...overrides,
  };
}

function stored(overrides: Partial<HashedAuditFields> = {}): StoredAuditFields {
  const f = fields(overrides);
  return { ...f, hash: computeAuditHash(f) };
}

/** A chain of `n` well-formed entries. */
function chain(n: number): StoredAuditFields[] {
  const entries: StoredAuditFields[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const prev = entries[entries.length - 1]?.hash ?? GENESIS_HASH;
    entries.push(stored({ seq, id: `id-${seq}`, action: `action.${seq}`, prev_hash: prev }));
  }
  return entries;
}

function at(entries: StoredAuditFields[], seq: number): StoredAuditFields {
  const entry = entries[seq - 1];
  if (!entry) throw new Error(`no entry ${seq}`);
  return entry;
}

describe("audit hash", () => {
  it("is 64 lowercase hex characters and the same for the same entry", () => {
    expect(computeAuditHash(fields())).toMatch(/^[0-9a-f]{64}$/);
    expect(computeAuditHash(fields())).toBe(computeAuditHash(fields()));
  });

  it("changes when any hashed field changes, including the ciphertext", () => {
    const base = computeAuditHash(fields());
    expect(computeAuditHash(fields({ action: "user.delete" }))).not.toBe(base);
    expect(computeAuditHash(fields({ seq: 2 }))).not.toBe(base);
    expect(computeAuditHash(fields({ details_ciphertext: "v1.aaa.bbb.ccd" }))).not.toBe(base);
    expect(computeAuditHash(fields({ prev_hash: "f".repeat(64) }))).not.toBe(base);
  });

  it("distinguishes a missing value from the text null", () => {
    expect(computeAuditHash(fields({ actor_id: null }))).not.toBe(
      computeAuditHash(fields({ actor_id: "null" })),
    );
  });

  it("cannot be fooled by moving text from one field into the next", () => {
    const a = canonicalAuditRecord(fields({ action: 'user","create', target_type: "x" }));
    const b = canonicalAuditRecord(fields({ action: "user", target_type: 'create","x' }));
    expect(a).not.toBe(b);
  });
});

describe("checking an entry against its predecessor", () => {
  it("accepts a first entry that links to the genesis hash", () => {
    expect(checkAuditEntry(GENESIS, at(chain(1), 1), 1)).toBeNull();
  });

  it("reports the position of a single missing entry", () => {
    const entries = chain(3);
    const previous = { seq: 1, hash: at(entries, 1).hash };
    expect(checkAuditEntry(previous, at(entries, 3), 3)).toEqual({
      seq: 2,
      id: null,
      reason: "entry 2 is missing",
    });
  });

  it("reports a run of missing entries as a range", () => {
    const entries = chain(5);
    const previous = { seq: 2, hash: at(entries, 2).hash };
    expect(checkAuditEntry(previous, at(entries, 5), 5)?.reason).toBe("entries 3 to 4 are missing");
  });

  it("names an entry whose contents no longer match its hash as edited", () => {
    const entries = chain(2);
    const edited = { ...at(entries, 2), action: "user.read" };
    const previous = { seq: 1, hash: at(entries, 1).hash };
    expect(checkAuditEntry(previous, edited, 2)).toEqual({
      seq: 2,
      id: "id-2",
      reason: "entry 2 was edited: its hash does not match its contents",
    });
  });

  it("reports an entry found at another position as out of order", () => {
    const entries = chain(3);
    const moved = { ...at(entries, 3), seq: 2 };
    const previous = { seq: 1, hash: at(entries, 1).hash };
    expect(checkAuditEntry(previous, moved, 3)?.reason).toBe(
      "entries are out of order: entry 2 holds the entry recorded as 3",
    );
  });

  it("reports a broken link when the predecessor was rewritten with a fresh hash", () => {
    const entries = chain(2);
    const rewritten = stored({ seq: 1, id: "id-1", action: "forged" });
    const previous = { seq: 1, hash: rewritten.hash };
    expect(checkAuditEntry(previous, at(entries, 2), 2)?.reason).toBe(
      "entry 2 does not follow entry 1: one of them was rewritten",
    );
  });
});

describe("checking the end of the chain against its head", () => {
  it("accepts an empty chain without a head", () => {
    expect(checkAuditHead(GENESIS, null)).toBeNull();
  });

  it("reports newest entries removed when the head is ahead", () => {
    expect(checkAuditHead({ seq: 12, hash: "a" }, { seq: 14, hash: "b" })).toEqual({
      seq: 13,
      id: null,
      reason: "entry 13 is missing: the chain ends at 12 but the head says 14",
    });
  });

  it("reports the last entry as rewritten when its hash differs from the head's", () => {
    expect(checkAuditHead({ seq: 3, hash: "a" }, { seq: 3, hash: "b" })?.reason).toBe(
      "entry 3 does not match the head: it was rewritten",
    );
  });

  it("reports an entry lying past the head", () => {
    expect(checkNothingBeyondHead({ seq: 4, id: "id-4" }, { seq: 3, hash: "a" })?.reason).toBe(
      "the chain goes on to entry 4 but the head says 3",
    );
  });

  it("accepts an entry past an earlier head once a fresher head covers it", () => {
    expect(checkNothingBeyondHead({ seq: 4, id: "id-4" }, { seq: 4, hash: "a" })).toBeNull();
  });
});
