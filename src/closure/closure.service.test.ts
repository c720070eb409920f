import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { issueUnpaidInvoice } from "../../test/billing-payment-fixtures.js";
import {
  CONTENT,
  type ClosureTenant,
  closureScheduler,
  createClosureTenant,
  snapshotAllTables,
  tenantRowCounts,
} from "../../test/closure-fixtures.js";
import { buy } from "../../test/commerce-fixtures.js";
import {
  auditEntries,
  createUserWithRoles,
  expectAppError,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { verifyAuditChain } from "../audit/index.js";
import { deleteApplication, turnOffSync } from "../directory/index.js";
import { listTablesWithColumn } from "../store/engine.js";
import {
  getClosureChecks,
  getClosurePlan,
  KEPT_AFTER_DELETION,
  runCancelSubscriptionsStep,
  runDeleteDisabledSubscriptionsStep,
  runDeleteTenantStep,
  runDeleteUsersStep,
  runDisableMfaStep,
} from "./index.js";

/** Issue 6: the five closure steps, the deletion checks and the plan, on both engines. */

const HOUR = 3_600_000;

describe.each(TEST_ENGINES)("account closure on %s", (engine) => {
  let t: TestContext;
  let c: ClosureTenant;

  beforeEach(async () => {
    t = await createTestContext(engine);
    c = await createClosureTenant(t);
  });
  afterEach(async () => {
    await t.close();
  });

  const admin = () => c.org.adminActor;
  const tenantId = () => c.org.tenantId;
  const statuses = async () =>
    Object.fromEntries(
      (await getClosureChecks(t, admin(), tenantId())).map((check) => [check.id, check.status]),
    );

  it("passes the checks one by one as the steps run in the seed's order, then deletes the tenant", async () => {
    expect(await statuses()).toEqual({
      callerIsGlobalAdministrator: "passed",
      noOtherUsers: "failed",
      syncOff: "passed",
      noApplications: "failed",
      subscriptionsDeprovisioned: "failed",
      noUnpaidBalance: "passed",
      mfaOff: "failed",
    });
    const users = await runDeleteUsersStep(t, admin(), tenantId(), { purge: true });
    expect(users.value.filter((i) => i.outcome !== "ok")).toEqual([]);
    // 4 live users deleted, then those 4 and the one already binned purged.
    expect(users.value.map((i) => i.action)).toEqual([
      ...Array(4).fill("delete"),
      ...Array(5).fill("purge"),
    ]);
    expect((await statuses()).noOtherUsers).toBe("passed");
    expect((await statuses()).mfaOff).toBe("passed");

    const cancelled = await runCancelSubscriptionsStep(t, admin(), tenantId(), {
      reason: "unused",
      feedback: "Closing the account",
    });
    expect(cancelled.value).toEqual([{ id: c.subscriptionId, outcome: "ok" }]);
    const deleted = await runDeleteDisabledSubscriptionsStep(t, admin(), tenantId());
    expect(deleted.value).toEqual([{ id: c.subscriptionId, outcome: "ok" }]);
    expect((await statuses()).subscriptionsDeprovisioned).toBe("failed");
    t.clock.advance(t.config.deprovisionDelayMs + HOUR);
    await closureScheduler(t).runDueJobs();
    expect((await statuses()).subscriptionsDeprovisioned).toBe("passed");

    expect((await runDisableMfaStep(t, admin(), tenantId())).value).toEqual([]);
    await deleteApplication(t, admin(), tenantId(), c.app.application.id);
    expect(Object.values(await statuses()).every((s) => s === "passed")).toBe(true);

    const result = await runDeleteTenantStep(t, admin(), tenantId(), {
      confirmDomain: c.org.domain.toUpperCase(),
    });
    expect(result.value).toEqual([{ id: tenantId(), outcome: "ok" }]);
    const actions = (await auditEntries(t, tenantId())).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "closure.deleteUsers",
        "closure.cancelSubscriptions",
        "closure.deleteDisabledSubscriptions",
        "closure.disableMfa",
        "tenant.delete",
      ]),
    );
  });

  it("erases every row of the tenant but the documented ones, and keeps another tenant's rows", async () => {
    const other = await createClosureTenant(t);
    const tables = [...(await listTablesWithColumn(t.db, t.engine, "tenant_id")), "tenant"];
    const otherBefore = await tenantRowCounts(t, other.org.tenantId, tables);
    await clearForDeletion(c);

    await runDeleteTenantStep(t, admin(), tenantId(), { confirmDomain: c.org.domain });

    const left = await tenantRowCounts(t, tenantId(), tables);
    for (const [table, n] of Object.entries(left)) {
      if (!KEPT_AFTER_DELETION.includes(table)) expect([table, n]).toEqual([table, 0]);
    }
    expect(left.tenant).toBe(1);
    expect(left.tenant_domain).toBe(1);
    expect(left.audit_log).toBeGreaterThan(0);
    const tenant = await t.db
      .selectFrom("tenant")
      .selectAll()
      .where("id", "=", tenantId())
      .executeTakeFirstOrThrow();
    expect(tenant.state).toBe("deleted");
    expect(tenant.deleted_at).not.toBeNull();
    // The log still verifies, but its key is gone: no entry names anyone any more.
    expect((await verifyAuditChain(t, tenantId())).ok).toBe(true);
    const entries = await auditEntries(t, tenantId());
    expect(entries.at(-1)?.action).toBe("tenant.delete");
    expect(entries.every((e) => e.details === null)).toBe(true);
    const key = await t.db
      .selectFrom("audit_key")
      .selectAll()
      .where("tenant_id", "=", tenantId())
      .executeTakeFirstOrThrow();
    expect(key.wrapped_key).toBeNull();

    expect(await tenantRowCounts(t, other.org.tenantId, tables)).toEqual(otherBefore);
    expect(otherBefore.mail_message).toBe(CONTENT.plainMessages.length);
    expect(otherBefore.drive_item).toBe(2);
    expect((await verifyAuditChain(t, other.org.tenantId)).ok).toBe(true);
  });

  it("refuses to delete the tenant while a subscription is active, listing the failed check", async () => {
    await clearForDeletion(c);
    await buy(t, tenantId());
    const error = await expectAppError(
      runDeleteTenantStep(t, admin(), tenantId(), { confirmDomain: c.org.domain }),
      "CLOSURE_CHECKS_FAILED",
      "Blocked",
    );
    expect((error.details.failedChecks as { id: string }[]).map((f) => f.id)).toEqual([
      "subscriptionsDeprovisioned",
    ]);
  });

  it("refuses to delete the tenant while an invoice is unpaid", async () => {
    await clearForDeletion(c);
    // Larger than the credit cancelling left, which the invoice uses up first.
    await issueUnpaidInvoice(t, tenantId(), 1_000_000);
    const error = await expectAppError(
      runDeleteTenantStep(t, admin(), tenantId(), { confirmDomain: c.org.domain }),
      "CLOSURE_CHECKS_FAILED",
    );
    expect((error.details.failedChecks as { id: string }[]).map((f) => f.id)).toEqual([
      "noUnpaidBalance",
    ]);
  });

  it("refuses to delete the tenant when confirmDomain is not its initial domain, changing nothing", async () => {
    await clearForDeletion(c);
    const before = await snapshotAllTables(t);
    await expectAppError(
      runDeleteTenantStep(t, admin(), tenantId(), { confirmDomain: "other.example" }),
      "CONFIRM_DOMAIN_MISMATCH",
      "Invalid",
    );
    expect(await snapshotAllTables(t)).toEqual(before);
  });

  it("refuses every step, the checks and the plan to a caller who is not a Global Administrator", async () => {
    const { actor } = await createUserWithRoles(t, c.org, "useradmin", ["userAdministrator"]);
    const before = await snapshotAllTables(t);
    const calls = [
      () => runDeleteUsersStep(t, actor, tenantId(), {}),
      () => runCancelSubscriptionsStep(t, actor, tenantId(), { reason: "unused" }),
      () => runDeleteDisabledSubscriptionsStep(t, actor, tenantId()),
      () => runDisableMfaStep(t, actor, tenantId()),
      () => runDeleteTenantStep(t, actor, tenantId(), { confirmDomain: c.org.domain }),
      () => getClosureChecks(t, actor, tenantId()),
      () => getClosurePlan(t, actor, tenantId()),
    ];
    for (const call of calls) {
      await expectAppError(call(), "GLOBAL_ADMINISTRATOR_REQUIRED", "Forbidden");
    }
    expect(await snapshotAllTables(t)).toEqual(before);
  });

  it("deletes users but refuses synced ones while directory sync is on, naming the fix", async () => {
    const s = await createClosureTenant(t, { synced: true });
    const result = await runDeleteUsersStep(t, s.org.adminActor, s.org.tenantId);
    const failed = result.value.filter((i) => i.outcome === "failed");
    expect(failed).toEqual([
      expect.objectContaining({ id: s.synced?.id, code: "SYNCED_USER_READ_ONLY" }),
    ]);
    expect(failed[0]?.message).toMatch(/turn directory sync off/);
    expect(result.value.filter((i) => i.outcome === "ok")).toHaveLength(4);
    const checks = await getClosureChecks(t, s.org.adminActor, s.org.tenantId);
    expect(checks.find((x) => x.id === "syncOff")).toMatchObject({ status: "failed", count: 1 });
  });

  it("answers the checks in Chinese for zh-CN, with counts and where to fix them", async () => {
    const checks = await getClosureChecks(t, admin(), tenantId(), "zh-CN");
    expect(checks.find((x) => x.id === "noOtherUsers")).toMatchObject({
      status: "failed",
      count: 5,
      title: "删除除你以外的所有用户",
      fixUrl: "/v1.0/organization/closure/steps/deleteUsers",
    });
    expect(checks.find((x) => x.id === "mfaOff")?.detail).toContain("1 个帐户");
  });

  it("plans every step with counts that match the data, changing nothing", async () => {
    const before = await snapshotAllTables(t);
    const plan = await getClosurePlan(t, admin(), tenantId());
    expect(await snapshotAllTables(t)).toEqual(before);
    expect(plan.steps.deleteUsers).toEqual({
      users: {
        total: 4,
        synced: 0,
        licensed: 1,
        admins: 1,
        contentItems: CONTENT.plainMessages.length + 1,
        contentBytes: expect.any(Number),
      },
      blockedSynced: 0,
      recycleBin: { total: 1, contentItems: 1, contentBytes: CONTENT.binnedFile.length },
    });
    expect(plan.steps.deleteUsers.users.contentBytes).toBeGreaterThan(CONTENT.plainFile.length);
    const [cancel] = plan.steps.cancelSubscriptions.subscriptions;
    expect(cancel).toMatchObject({ id: c.subscriptionId, outcome: "cancel", quantity: 5 });
    expect(cancel?.credit?.amountMinor).toBeGreaterThan(0);
    expect(plan.steps.deleteDisabledSubscriptions.subscriptions).toEqual([
      expect.objectContaining({
        id: c.subscriptionId,
        outcome: "delete",
        deprovisionDateTime: new Date(
          t.clock.now().getTime() + t.config.deprovisionDelayMs,
        ).toISOString(),
      }),
    ]);
    expect(plan.steps.disableMfa).toEqual({ users: 1, enabled: 0, enforced: 1 });
    expect(plan.blockers.map((b) => b.code)).toEqual(["APPLICATIONS_REGISTERED"]);
  });

  it("plans the credit cancelling would give, as cancelling then gives it", async () => {
    t.clock.advance(24 * 10 * HOUR);
    const plan = await getClosurePlan(t, admin(), tenantId());
    const planned = plan.steps.cancelSubscriptions.totalCreditMinor;
    await runCancelSubscriptionsStep(t, admin(), tenantId(), { reason: "unused" });
    const credits = await t.db
      .selectFrom("billing_credit")
      .select("amount_minor")
      .where("tenant_id", "=", tenantId())
      .execute();
    expect(credits.map((r) => Number(r.amount_minor))).toEqual([planned]);
  });

  it("plans synced users as blocked while sync is on, with the fix", async () => {
    const s = await createClosureTenant(t, { synced: true });
    const plan = await getClosurePlan(t, s.org.adminActor, s.org.tenantId);
    expect(plan.steps.deleteUsers.users.synced).toBe(1);
    expect(plan.steps.deleteUsers.blockedSynced).toBe(1);
    expect(plan.blockers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          step: "deleteUsers",
          code: "SYNCED_USER_READ_ONLY",
          fixUrl: "/admin/settings/directory-sync",
        }),
      ]),
    );
    await turnOffSync(t, s.org.adminActor, s.org.tenantId);
    const turning = await getClosureChecks(t, s.org.adminActor, s.org.tenantId);
    expect(turning.find((x) => x.id === "syncOff")?.detail).toMatch(/turning off/);
  });

  /** Everything but the tenant's deletion itself, done directly through the services. */
  async function clearForDeletion(target: ClosureTenant): Promise<void> {
    const { adminActor, tenantId: id } = target.org;
    await runDeleteUsersStep(t, adminActor, id, { purge: true });
    await runCancelSubscriptionsStep(t, adminActor, id, { reason: "unused" });
    await runDeleteDisabledSubscriptionsStep(t, adminActor, id);
    await deleteApplication(t, adminActor, id, target.app.application.id);
    t.clock.advance(t.config.deprovisionDelayMs + HOUR);
    await closureScheduler(t).runDueJobs();
  }
});
