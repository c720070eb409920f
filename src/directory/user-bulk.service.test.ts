import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEntries,
  countRows,
  createTenantWithAdmin,
  createUsers,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
  OPERATOR,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { turnOnSync } from "./sync.service.js";
import { getUser } from "./user.service.js";
import { bulkDeleteUsers } from "./user-bulk.service.js";
import { listUsers } from "./user-query.service.js";

describe.each(TEST_ENGINES)("bulk delete on %s", (engine) => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it("reports a result per item: unknown users and the caller fail, the others are deleted", async () => {
    const org = await createTenantWithAdmin(t);
    const [a, b] = await createUsers(t, org, 2);
    if (!a || !b) throw new Error("fixture");
    const unknown = "0190a000-0000-7000-8000-000000000000";
    const result = await bulkDeleteUsers(t, org.adminActor, org.tenantId, {
      users: [
        a.id,
        b.userPrincipalName.toUpperCase(),
        unknown,
        `ghost@${org.domain}`,
        org.admin.id,
      ],
    });
    expect(result).toMatchObject({ deleted: 2, failed: 3 });
    const byId = new Map(result.value.map((r) => [r.id, r]));
    expect(byId.get(a.id)).toMatchObject({ outcome: "deleted" });
    expect(byId.get(b.id)).toMatchObject({
      outcome: "deleted",
      userPrincipalName: b.userPrincipalName,
    });
    expect(byId.get(unknown)).toMatchObject({ outcome: "failed", code: "USER_NOT_FOUND" });
    expect(byId.get(`ghost@${org.domain}`)).toMatchObject({
      outcome: "failed",
      code: "USER_NOT_FOUND",
    });
    expect(byId.get(org.admin.id)).toMatchObject({ outcome: "failed", code: "CANNOT_DELETE_SELF" });
    const bin = await listUsers(t, org.adminActor, org.tenantId, { deleted: true });
    expect(bin.users.map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
    expect(await countRows(t, "scheduled_job", org.tenantId)).toBe(2);
  });

  it("deletes everyone but the kept user in batches, one audit entry per batch, reporting progress", async () => {
    const org = await createTenantWithAdmin(t);
    await createUsers(t, org, 29);
    const progress: { done: number; total: number | null }[] = [];
    const result = await bulkDeleteUsers(
      t,
      org.adminActor,
      org.tenantId,
      { allExcept: org.admin.userPrincipalName },
      { batchSize: 7, onProgress: (p) => progress.push(p) },
    );
    expect(result).toMatchObject({ deleted: 29, failed: 0 });
    expect(progress.map((p) => p.done)).toEqual([7, 14, 21, 28, 29]);
    const live = await listUsers(t, org.adminActor, org.tenantId);
    expect(live.users.map((u) => u.id)).toEqual([org.admin.id]);
    const batches = (await auditEntries(t, org.tenantId)).filter(
      (e) => e.action === "users.bulkDelete",
    );
    expect(batches.map((e) => (e.details?.items as unknown[] | undefined)?.length)).toEqual([
      7, 7, 7, 7, 1,
    ]);
    expect(batches.every((e) => e.outcome === "success")).toBe(true);
    await expectAuditChainValid(t, org.tenantId);
  });

  it("keeps one Global Administrator when asked to delete all of them", async () => {
    const org = await createTenantWithAdmin(t);
    const second = await createUserWithRoles(t, org, "second.ga", ["globalAdministrator"]);
    const result = await bulkDeleteUsers(t, OPERATOR, org.tenantId, {
      users: [org.admin.id, second.user.id],
    });
    expect(result).toMatchObject({ deleted: 1, failed: 1 });
    expect(result.value.find((r) => r.outcome === "failed")).toMatchObject({
      code: "LAST_GLOBAL_ADMINISTRATOR",
    });
    const live = await listUsers(t, OPERATOR, org.tenantId);
    expect(live.users).toHaveLength(1);
    expect(live.users[0]?.roles).toEqual(["globalAdministrator"]);
  });

  it("refuses synced users while directory sync is on and deletes the rest", async () => {
    const org = await createTenantWithAdmin(t);
    await turnOnSync(t, org.adminActor, org.tenantId);
    const synced = await createUserWithRoles(t, org, "synced", [], { onPremisesSyncEnabled: true });
    const [cloud] = await createUsers(t, org, 1, "cloud");
    const result = await bulkDeleteUsers(t, org.adminActor, org.tenantId, {
      allExcept: org.admin.id,
    });
    expect(result.value).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: synced.user.id, code: "SYNCED_USER_READ_ONLY" }),
        expect.objectContaining({ id: cloud?.id, outcome: "deleted" }),
      ]),
    );
    expect((await getUser(t, org.adminActor, org.tenantId, synced.user.id)).deletedDateTime).toBe(
      null,
    );
  });

  it("a User Administrator deletes regular users but not admins in the same batch", async () => {
    const org = await createTenantWithAdmin(t);
    const ua = await createUserWithRoles(t, org, "ua", ["userAdministrator"]);
    const reader = await createUserWithRoles(t, org, "reader", ["globalReader"]);
    const [plain] = await createUsers(t, org, 1);
    const result = await bulkDeleteUsers(t, ua.actor, org.tenantId, {
      users: [reader.user.id, plain?.id ?? ""],
    });
    expect(result.value).toEqual([
      expect.objectContaining({ id: reader.user.id, outcome: "failed", code: "INSUFFICIENT_ROLE" }),
      expect.objectContaining({ id: plain?.id, outcome: "deleted" }),
    ]);
  });

  it("refuses a caller without the right to delete users before touching anything", async () => {
    const org = await createTenantWithAdmin(t);
    const billing = await createUserWithRoles(t, org, "billing", ["billingAdministrator"]);
    await createUsers(t, org, 3);
    await expectAppError(
      bulkDeleteUsers(t, billing.actor, org.tenantId, { allExcept: billing.user.id }),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    expect((await listUsers(t, OPERATOR, org.tenantId)).users).toHaveLength(5);
  });

  it("lists the same user only once when given by both id and principal name", async () => {
    const org = await createTenantWithAdmin(t);
    const [user] = await createUsers(t, org, 1);
    if (!user) throw new Error("fixture");
    const result = await bulkDeleteUsers(t, org.adminActor, org.tenantId, {
      users: [user.id, user.userPrincipalName],
    });
    expect(result.deleted).toBe(1);
    expect(result.value.filter((r) => r.outcome === "deleted")).toHaveLength(1);
  });

  it("refuses an empty list and a batch size out of range", async () => {
    const org = await createTenantWithAdmin(t);
    await expectAppError(
      bulkDeleteUsers(t, org.adminActor, org.tenantId, { users: [" "] }),
      "NO_USERS_GIVEN",
      "Invalid",
    );
    await expectAppError(
      bulkDeleteUsers(t, org.adminActor, org.tenantId, { users: ["x"] }, { batchSize: 0 }),
      "BATCH_SIZE_INVALID",
      "Invalid",
    );
  });
});
