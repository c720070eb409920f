import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import type { Actor } from "../shared/actor.js";
import { isAppError } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import type { AuditEntryInput } from "./audit.js";
import {
  listAuditEntries,
  recordAudit,
  shredTenantAuditKey,
  verifyAuditChain,
} from "./audit.service.js";

describe.each(TEST_ENGINES)("audit log on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  const actor = (tenantId: string): Actor => ({
    type: "user",
    tenantId,
    userId: "u-admin",
    requestId: "req-1",
  });

  function input(tenantId: string, n: number): AuditEntryInput {
    return {
      tenantId,
      actor: actor(tenantId),
      action: "user.create",
      target: { type: "user", id: `u-${n}` },
      details: { userPrincipalName: `person${n}@contoso.example`, displayName: `Person ${n}` },
    };
  }

  /** Records `count` entries, each in a transaction of its own. */
  async function append(tenantId: string, count: number): Promise<void> {
    for (let n = 1; n <= count; n++) {
      await t.db.transaction().execute((trx) => recordAudit(t, trx, input(tenantId, n)));
    }
  }

  it("gives entries the positions 1, 2, 3 and a chain that verifies", async () => {
    const tenantId = newId();
    await append(tenantId, 3);
    const entries = await listAuditEntries(t, t.db, tenantId);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0]?.prevHash).toBe("0".repeat(64));
    const result = await verifyAuditChain(t, tenantId);
    expect(result).toEqual({ ok: true, entries: 3, lastHash: entries[2]?.hash });
  });

  it("verifies a tenant without entries as an empty chain", async () => {
    expect(await verifyAuditChain(t, newId())).toEqual({
      ok: true,
      entries: 0,
      lastHash: "0".repeat(64),
    });
  });

  it("records who, what, on which target, the outcome and the actor's request id", async () => {
    const tenantId = newId();
    const entry = await t.db.transaction().execute((trx) =>
      recordAudit(t, trx, {
        tenantId,
        actor: actor(tenantId),
        action: "user.delete",
        target: { type: "user", id: "u-9" },
      }),
    );
    expect(entry).toMatchObject({
      seq: 1,
      occurredAt: t.clock.now().toISOString(),
      actor: { type: "user", id: "u-admin" },
      action: "user.delete",
      target: { type: "user", id: "u-9" },
      outcome: "success",
      requestId: "req-1",
      details: null,
      detailsShredded: false,
    });
  });

  it("records operator and system actors without an actor id", async () => {
    const tenantId = newId();
    const entry = await t.db
      .transaction()
      .execute((trx) =>
        recordAudit(t, trx, { tenantId, actor: { type: "operator" }, action: "tenant.create" }),
      );
    expect(entry.actor).toEqual({ type: "operator", id: null });
  });

  it("stores details only as ciphertext", async () => {
    const tenantId = newId();
    await append(tenantId, 1);
    const row = await t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain("person1@contoso.example");
    expect(row.details_ciphertext).toMatch(/^v1\./);
  });

  it("lists entries with their details decrypted", async () => {
    const tenantId = newId();
    await append(tenantId, 2);
    const entries = await listAuditEntries(t, t.db, tenantId);
    expect(entries.map((e) => e.details?.userPrincipalName)).toEqual([
      "person1@contoso.example",
      "person2@contoso.example",
    ]);
  });

  it("lists a page of entries after a given position", async () => {
    const tenantId = newId();
    await append(tenantId, 5);
    const page = await listAuditEntries(t, t.db, tenantId, { afterSeq: 2, limit: 2 });
    expect(page.map((e) => e.seq)).toEqual([3, 4]);
  });

  it("writes nothing when the transaction of the recorded change rolls back", async () => {
    const tenantId = newId();
    await t.db
      .transaction()
      .execute(async (trx) => {
        await recordAudit(t, trx, input(tenantId, 1));
        throw new Error("the change failed");
      })
      .catch(() => undefined);
    await append(tenantId, 1);
    const entries = await listAuditEntries(t, t.db, tenantId);
    expect(entries.map((e) => e.seq)).toEqual([1]);
    expect((await verifyAuditChain(t, tenantId)).ok).toBe(true);
  });

  it("refuses to record outside a transaction", async () => {
    const tenantId = newId();
    await expect(recordAudit(t, t.db, input(tenantId, 1))).rejects.toThrow(
      /inside the transaction/,
    );
  });

  it("keeps the chain verifiable but the details unreadable after shredding", async () => {
    const tenantId = newId();
    await append(tenantId, 3);
    await t.db.transaction().execute((trx) => shredTenantAuditKey(t, trx, tenantId));
    const entries = await listAuditEntries(t, t.db, tenantId);
    expect(entries.map((e) => [e.details, e.detailsShredded])).toEqual([
      [null, true],
      [null, true],
      [null, true],
    ]);
    expect(await verifyAuditChain(t, tenantId)).toMatchObject({ ok: true, entries: 3 });
  });

  it("refuses new personal details once the tenant's key was shredded", async () => {
    const tenantId = newId();
    await append(tenantId, 1);
    await t.db.transaction().execute((trx) => shredTenantAuditKey(t, trx, tenantId));
    const error = await t.db
      .transaction()
      .execute((trx) => recordAudit(t, trx, input(tenantId, 2)))
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("AUDIT_KEY_SHREDDED");
  });

  it("still records entries without details after shredding", async () => {
    const tenantId = newId();
    await t.db.transaction().execute((trx) => shredTenantAuditKey(t, trx, tenantId));
    const entry = await t.db
      .transaction()
      .execute((trx) =>
        recordAudit(t, trx, { tenantId, actor: { type: "system" }, action: "tenant.erase" }),
      );
    expect(entry.seq).toBe(1);
  });

  it("keeps the chains of two tenants independent", async () => {
    const first = newId();
    const second = newId();
    await append(first, 2);
    await append(second, 3);
    await append(first, 1);
    expect(await verifyAuditChain(t, first)).toMatchObject({ ok: true, entries: 3 });
    expect(await verifyAuditChain(t, second)).toMatchObject({ ok: true, entries: 3 });
  });

  it("gives 20 concurrent appends the positions 1 to 20 and one valid chain", async () => {
    const tenantId = newId();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db.transaction().execute((trx) => recordAudit(t, trx, input(tenantId, i + 1))),
      ),
    );
    const entries = await listAuditEntries(t, t.db, tenantId);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // All 20 raced to create the tenant's key; every entry decrypts with the one that won.
    expect(entries.every((e) => e.details !== null)).toBe(true);
    expect(await verifyAuditChain(t, tenantId)).toMatchObject({ ok: true, entries: 20 });
  });

  it("verifies a chain longer than one page", async () => {
    const tenantId = newId();
    await t.db.transaction().execute(async (trx) => {
      for (let n = 1; n <= 1001; n++) {
        await recordAudit(t, trx, { tenantId, actor: { type: "system" }, action: "tick" });
      }
    });
    expect(await verifyAuditChain(t, tenantId)).toMatchObject({ ok: true, entries: 1001 });
  });
});
