import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEntries,
  createTenantWithAdmin,
  createUsers,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { Scheduler } from "../scheduler/index.js";
import { DAY, SECOND } from "../shared/clock.js";
import { directoryJobHandlers } from "./directory-job-handlers.js";
import { deleteUser, getUser, restoreUser } from "./user.service.js";
import { bulkDeleteUsers } from "./user-bulk.service.js";

/** SPEC §1: a deleted user stays 30 days in the recycle bin, then is purged automatically. */
describe.each(TEST_ENGINES)("automatic purge after 30 days on %s", (engine) => {
  let t: TestContext;
  let scheduler: Scheduler;

  beforeAll(async () => {
    t = await createTestContext(engine);
    scheduler = new Scheduler(t, directoryJobHandlers(t));
  });
  afterAll(async () => {
    await scheduler.stop();
    await t.close();
  });

  async function userRowExists(org: TenantFixture, id: string): Promise<boolean> {
    const row = await t.db
      .selectFrom("app_user")
      .select("id")
      .where("tenant_id", "=", org.tenantId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row !== undefined;
  }

  it("keeps a deleted user in the recycle bin for 29 days", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "patient");
    await deleteUser(t, org.adminActor, org.tenantId, user.id);
    t.clock.advance(29 * DAY);
    await scheduler.runDueJobs();
    expect((await getUser(t, org.adminActor, org.tenantId, user.id, "deleted")).id).toBe(user.id);
  });

  it("purges a deleted user once 30 days have passed and audits it as the system", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "expiring", ["globalReader"]);
    await deleteUser(t, org.adminActor, org.tenantId, user.id);
    t.clock.advance(30 * DAY + SECOND);
    const result = await scheduler.runDueJobs();
    expect(result.failed).toBe(0);
    expect(await userRowExists(org, user.id)).toBe(false);
    await expectAppError(
      getUser(t, org.adminActor, org.tenantId, user.id, "deleted"),
      "DELETED_USER_NOT_FOUND",
    );
    const purge = (await auditEntries(t, org.tenantId)).at(-1);
    expect(purge).toMatchObject({
      action: "user.purge",
      actor: { type: "system", id: null },
      target: { type: "user", id: user.id },
    });
    await expectAuditChainValid(t, org.tenantId);
  });

  it("restoring cancels the purge", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "rescued");
    await deleteUser(t, org.adminActor, org.tenantId, user.id);
    t.clock.advance(DAY);
    await restoreUser(t, org.adminActor, org.tenantId, user.id);
    t.clock.advance(30 * DAY);
    await scheduler.runDueJobs();
    expect((await getUser(t, org.adminActor, org.tenantId, user.id)).deletedDateTime).toBeNull();
  });

  it("a user deleted again after a restore is purged 30 days after the second delete", async () => {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "twice");
    await deleteUser(t, org.adminActor, org.tenantId, user.id);
    t.clock.advance(10 * DAY);
    await restoreUser(t, org.adminActor, org.tenantId, user.id);
    await deleteUser(t, org.adminActor, org.tenantId, user.id);
    t.clock.advance(25 * DAY);
    await scheduler.runDueJobs();
    expect(await userRowExists(org, user.id)).toBe(true);
    t.clock.advance(5 * DAY + SECOND);
    await scheduler.runDueJobs();
    expect(await userRowExists(org, user.id)).toBe(false);
  });

  it("bulk-deleted users are purged after 30 days too", async () => {
    const org = await createTenantWithAdmin(t);
    const users = await createUsers(t, org, 4, "bulk");
    await bulkDeleteUsers(t, org.adminActor, org.tenantId, { allExcept: org.admin.id });
    t.clock.advance(29 * DAY);
    await scheduler.runDueJobs();
    for (const user of users) expect(await userRowExists(org, user.id)).toBe(true);
    t.clock.advance(DAY + SECOND);
    await scheduler.runDueJobs();
    for (const user of users) expect(await userRowExists(org, user.id)).toBe(false);
    expect(await userRowExists(org, org.admin.id)).toBe(true);
  });
});
