import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { newId } from "../shared/ids.js";
import { computeAuditHash } from "./audit.js";
import { recordAudit, verifyAuditChain } from "./audit.service.js";

/** Tampering with the stored log, as someone with write access to the database could (SPEC §5). */
describe.each(TEST_ENGINES)("audit chain verification on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A fresh tenant with `count` entries, each in a transaction of its own. */
  async function tenantWithEntries(count: number): Promise<string> {
    const tenantId = newId();
    for (let n = 1; n <= count; n++) {
      await t.db.transaction().execute((trx) =>
        recordAudit(t, trx, {
          tenantId,
          actor: { type: "user", tenantId, userId: "u-admin" },
          action: "user.create",
          target: { type: "user", id: `u-${n}` },
          details: { userPrincipalName: `person${n}@contoso.example` },
        }),
      );
    }
    return tenantId;
  }

  async function row(tenantId: string, seq: number) {
    return t.db
      .selectFrom("audit_log")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("seq", "=", seq)
      .executeTakeFirstOrThrow();
  }

  async function setSeq(tenantId: string, from: number, to: number): Promise<void> {
    await t.db
      .updateTable("audit_log")
      .set({ seq: to })
      .where("tenant_id", "=", tenantId)
      .where("seq", "=", from)
      .execute();
  }

  async function deleteEntry(tenantId: string, seq: number): Promise<void> {
    await t.db
      .deleteFrom("audit_log")
      .where("tenant_id", "=", tenantId)
      .where("seq", "=", seq)
      .execute();
  }

  it("catches an edited action and names the entry", async () => {
    const tenantId = await tenantWithEntries(4);
    await t.db
      .updateTable("audit_log")
      .set({ action: "user.read" })
      .where("tenant_id", "=", tenantId)
      .where("seq", "=", 2)
      .execute();
    expect(await verifyAuditChain(t, tenantId)).toEqual({
      ok: false,
      entries: 1,
      firstBad: {
        seq: 2,
        id: (await row(tenantId, 2)).id,
        reason: "entry 2 was edited: its hash does not match its contents",
      },
    });
  });

  it("catches edited encrypted details", async () => {
    const tenantId = await tenantWithEntries(3);
    const { details_ciphertext: other } = await row(tenantId, 1);
    await t.db
      .updateTable("audit_log")
      .set({ details_ciphertext: other })
      .where("tenant_id", "=", tenantId)
      .where("seq", "=", 3)
      .execute();
    const result = await verifyAuditChain(t, tenantId);
    expect(result.ok === false && result.firstBad).toMatchObject({ seq: 3, reason: /edited/ });
  });

  it("catches a deleted entry in the middle", async () => {
    const tenantId = await tenantWithEntries(5);
    await deleteEntry(tenantId, 3);
    expect(await verifyAuditChain(t, tenantId)).toEqual({
      ok: false,
      entries: 2,
      firstBad: { seq: 3, id: null, reason: "entry 3 is missing" },
    });
  });

  it("catches a deleted newest entry by the chain head", async () => {
    const tenantId = await tenantWithEntries(4);
    await deleteEntry(tenantId, 4);
    expect(await verifyAuditChain(t, tenantId)).toEqual({
      ok: false,
      entries: 3,
      firstBad: {
        seq: 4,
        id: null,
        reason: "entry 4 is missing: the chain ends at 3 but the head says 4",
      },
    });
  });

  it("catches two entries swapped into each other's place", async () => {
    const tenantId = await tenantWithEntries(4);
    await setSeq(tenantId, 2, -2);
    await setSeq(tenantId, 3, 2);
    await setSeq(tenantId, -2, 3);
    const result = await verifyAuditChain(t, tenantId);
    expect(result.ok === false && result.firstBad).toMatchObject({
      seq: 2,
      reason: "entries are out of order: entry 2 holds the entry recorded as 3",
    });
  });

  it("catches an entry rewritten with a recomputed hash at the link of the next one", async () => {
    const tenantId = await tenantWithEntries(3);
    const { hash: _old, ...fields } = await row(tenantId, 2);
    const forged = { ...fields, action: "user.read" };
    await t.db
      .updateTable("audit_log")
      .set({ action: forged.action, hash: computeAuditHash(forged) })
      .where("tenant_id", "=", tenantId)
      .where("seq", "=", 2)
      .execute();
    const result = await verifyAuditChain(t, tenantId);
    expect(result.ok === false && result.firstBad).toMatchObject({
      seq: 3,
      reason: "entry 3 does not follow entry 2: one of them was rewritten",
    });
  });

  it("catches the newest entry rewritten with a recomputed hash by the chain head", async () => {
    const tenantId = await tenantWithEntries(2);
    const { hash: _old, ...fields } = await row(tenantId, 2);
    const forged = { ...fields, outcome: "failure" };
    await t.db
      .updateTable("audit_log")
      .set({ outcome: forged.outcome, hash: computeAuditHash(forged) })
      .where("tenant_id", "=", tenantId)
      .where("seq", "=", 2)
      .execute();
    const result = await verifyAuditChain(t, tenantId);
    expect(result.ok === false && result.firstBad).toMatchObject({
      seq: 2,
      reason: "entry 2 does not match the head: it was rewritten",
    });
  });

  it("catches a chain head moved back behind the newest entries", async () => {
    const tenantId = await tenantWithEntries(3);
    const { hash } = await row(tenantId, 2);
    await t.db
      .updateTable("audit_chain_head")
      .set({ last_seq: 2, last_hash: hash })
      .where("tenant_id", "=", tenantId)
      .execute();
    const result = await verifyAuditChain(t, tenantId);
    expect(result.ok === false && result.firstBad).toMatchObject({
      seq: 3,
      reason: "the chain goes on to entry 3 but the head says 2",
    });
  });

  it("catches every entry deleted while the head remains", async () => {
    const tenantId = await tenantWithEntries(2);
    await t.db.deleteFrom("audit_log").where("tenant_id", "=", tenantId).execute();
    const result = await verifyAuditChain(t, tenantId);
    expect(result.ok === false && result.firstBad).toMatchObject({
      seq: 1,
      reason: "entry 1 is missing: the chain ends at 0 but the head says 2",
    });
  });
});
