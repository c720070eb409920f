import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ClosureTenant,
  createClosureTenant,
  tenantRowCounts,
} from "../../test/closure-fixtures.js";
import { addCard } from "../../test/billing-payment-fixtures.js";
import { buy } from "../../test/commerce-fixtures.js";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  PASSWORD,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { CLOSURE_CONFIG, closureStatus, driveClosure } from "../../test/guided-closure-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { verifyAuditChain } from "../audit/index.js";
import { verifyCertificate } from "../certificate/index.js";
import { reactivateSubscription } from "../commerce/index.js";
import { createUser, restoreUser } from "../directory/index.js";
import { signIn } from "../security/index.js";
import { listTablesWithColumn } from "../store/engine.js";
import { erasableTables } from "./closure-erase.js";
import {
  cancelGuidedClosure,
  GUIDED_STEPS,
  KEPT_AFTER_DELETION,
  startGuidedClosure,
} from "./index.js";

/** Issue 7: the durable guided closure, on both engines. */

describe.each(TEST_ENGINES)("the guided closure on %s", (engine) => {
  let t: TestContext;
  let c: ClosureTenant;
  let other: TenantFixture;

  beforeEach(async () => {
    t = await createTestContext(engine, { config: CLOSURE_CONFIG });
    c = await createClosureTenant(t, { synced: true });
    other = await createTenantWithAdmin(t);
    await createUserWithRoles(t, other, "bystander");
    await addCard(t, other.tenantId);
    await buy(t, other.tenantId);
  });
  afterEach(async () => {
    await t.close();
  });

  const start = (input: Partial<Parameters<typeof startGuidedClosure>[3]> = {}) =>
    startGuidedClosure(t, c.org.adminActor, c.org.tenantId, {
      confirmDomain: c.org.domain.toUpperCase(),
      reason: "switched_service",
      feedback: "Moving to another provider",
      ...input,
    });

  it("goes through every step in order, erases the tenant and signs a certificate that verifies", async () => {
    const tables = await listTablesWithColumn(t.db, t.engine, "tenant_id");
    const otherBefore = await tenantRowCounts(t, other.tenantId, tables);
    const { operation, created } = await start();
    expect(created).toBe(true);
    expect(operation).toMatchObject({
      state: "running",
      step: "export",
      reason: "switched_service",
    });
    expect(operation.steps.map((s) => s.name)).toEqual([...GUIDED_STEPS]);

    const cooling = await driveClosure(t, c.org, { until: "coolingOff" });
    expect(cooling.state).toBe("coolingOff");
    expect(cooling.exportSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(cooling.exportUrl).toBe("/v1.0/organization/closure/export");
    const done = cooling.steps.filter((s) => s.finishedDateTime !== null).map((s) => s.name);
    expect(done).toEqual(GUIDED_STEPS.slice(0, GUIDED_STEPS.indexOf("coolingOff")));

    const final = await driveClosure(t, c.org);
    expect(final).toMatchObject({ state: "completed", step: null, blockers: [] });
    expect(final.exportUrl).toBeUndefined();
    expect(final.steps.every((s) => s.finishedDateTime !== null)).toBe(true);

    const tenant = await t.db
      .selectFrom("tenant")
      .selectAll()
      .where("id", "=", c.org.tenantId)
      .executeTakeFirstOrThrow();
    expect(tenant.state).toBe("deleted");
    const left = await tenantRowCounts(t, c.org.tenantId, await erasableTables(t.db, t.engine));
    expect(Object.entries(left).filter(([, n]) => n > 0)).toEqual([]);
    expect(await tenantRowCounts(t, other.tenantId, tables)).toEqual(otherBefore);
    expect((await verifyAuditChain(t, c.org.tenantId)).ok).toBe(true);

    const row = await t.db
      .selectFrom("closure_operation")
      .selectAll()
      .where("tenant_id", "=", c.org.tenantId)
      .executeTakeFirstOrThrow();
    expect(row.feedback).toBeNull();
    const certificate = JSON.parse(row.certificate ?? "null");
    expect(verifyCertificate(certificate).valid).toBe(true);
    expect(certificate).toMatchObject({
      tenantId: c.org.tenantId,
      initialDomain: c.org.domain,
      export: { sha256: cooling.exportSha256 },
      erased: { recycleBinUsers: 6, app_user: 1 },
    });
    expect(certificate.erased.recycleBinDriveItems).toBe(2);
  });

  it("keeps only what SPEC §5/§6 keep after the tenant is erased", () => {
    expect(KEPT_AFTER_DELETION).toContain("closure_operation");
    expect(KEPT_AFTER_DELETION).not.toContain("closure_export_chunk");
  });

  it("answers a second start with the open operation", async () => {
    const first = await start();
    const second = await start({ reason: "other" });
    expect(second.created).toBe(false);
    expect(second.operation.id).toBe(first.operation.id);
    expect(second.operation.reason).toBe("switched_service");
  });

  it("refuses a wrong domain or reason and changes nothing", async () => {
    await expectAppError(start({ confirmDomain: "fabrikam.example" }), "CONFIRM_DOMAIN_MISMATCH");
    await expectAppError(start({ reason: "because" }), "CANCELLATION_REASON_INVALID");
    const rows = await t.db.selectFrom("closure_operation").selectAll().execute();
    expect(rows).toEqual([]);
  });

  it("freezes the tenant: no new users or subscriptions, and only Global Administrators sign in", async () => {
    await start();
    await expectAppError(
      createUser(t, c.org.adminActor, c.org.tenantId, {
        userPrincipalName: `late@${c.org.domain}`,
        displayName: "Late",
      }),
      "TENANT_FROZEN",
    );
    await expectAppError(buy(t, c.org.tenantId, {}, c.org.adminActor), "TENANT_FROZEN");
    // Another organization is not frozen.
    const elsewhere = await createUser(t, other.adminActor, other.tenantId, {
      userPrincipalName: `late@${other.domain}`,
      displayName: "Late",
    });
    expect(elsewhere.userPrincipalName).toBe(`late@${other.domain}`);
    const plainUpn = c.plain.userPrincipalName;
    await t.db
      .updateTable("app_user")
      .set({ password_hash: (await adminHash()) ?? null })
      .where("id", "=", c.plain.id)
      .execute();
    await expectAppError(
      signIn(t, { userPrincipalName: plainUpn, password: PASSWORD, sourceAddress: "10.0.0.1" }),
      "TENANT_CLOSING",
    );
    const admin = await signIn(t, {
      userPrincipalName: c.org.admin.userPrincipalName,
      password: PASSWORD,
      sourceAddress: "10.0.0.2",
    });
    expect(admin).toBeTruthy();
  });

  it("cancelled during the cooling-off period, leaves a working tenant with its users restorable", async () => {
    const { user: second } = await createUserWithRoles(t, c.org, "second", ["globalAdministrator"]);
    await start();
    const cooling = await driveClosure(t, c.org, { until: "coolingOff" });
    expect(cooling.state).toBe("coolingOff");
    // Everyone but the closing admin went to the recycle bin; nobody was purged.
    const live = await t.db
      .selectFrom("app_user")
      .select(["id", "deleted_at"])
      .where("tenant_id", "=", c.org.tenantId)
      .execute();
    // …but the other Global Administrator, kept until the irreversible phase to be able to cancel.
    expect(
      live
        .filter((u) => u.deleted_at === null)
        .map((u) => u.id)
        .sort(),
    ).toEqual([c.org.admin.id, second.id].sort());
    expect(live.length).toBe(8);

    const secondActor = { type: "user" as const, tenantId: c.org.tenantId, userId: second.id };
    const cancelled = await cancelGuidedClosure(t, secondActor, c.org.tenantId);
    expect(cancelled.state).toBe("cancelled");
    const tenant = await t.db
      .selectFrom("tenant")
      .select("state")
      .where("id", "=", c.org.tenantId)
      .executeTakeFirstOrThrow();
    expect(tenant.state).toBe("active");

    const restored = await restoreUser(t, c.org.adminActor, c.org.tenantId, c.plain.id);
    expect(restored.deletedDateTime).toBeNull();
    const user = await createUser(t, c.org.adminActor, c.org.tenantId, {
      userPrincipalName: `new@${c.org.domain}`,
      displayName: "New",
    });
    expect(user.id).toBeTruthy();
    // The worker finds nothing to do any more.
    const after = await driveClosure(t, c.org);
    expect(after.state).toBe("cancelled");
  });

  it("cancelled while waiting for deprovisioning, leaves the subscription reactivatable", async () => {
    await start({ export: false });
    let view = await driveClosure(t, c.org, { until: "waiting" });
    while (view.waitingFor !== "deprovisioning") {
      t.clock.advance(Date.parse(view.waitUntil ?? "") - t.clock.now().getTime());
      view = await driveClosure(t, c.org, { until: "waiting" });
    }
    expect(view.step).toBe("deleteDisabledSubscriptions");
    await cancelGuidedClosure(t, c.org.adminActor, c.org.tenantId);
    const reactivated = await reactivateSubscription(
      t,
      c.org.adminActor,
      c.org.tenantId,
      c.subscriptionId,
    );
    expect(reactivated.subscription.status).toBe("active");
  });

  it("cannot be cancelled once the irreversible phase began", async () => {
    await start();
    await driveClosure(t, c.org, { until: "coolingOff" });
    t.clock.advance(CLOSURE_CONFIG.closureCoolingOffMs ?? 0);
    await t.db
      .updateTable("closure_operation")
      .set({ step: "purgeRecycleBin", state: "running" })
      .execute();
    await expectAppError(
      cancelGuidedClosure(t, c.org.adminActor, c.org.tenantId),
      "CLOSURE_IRREVERSIBLE",
    );
  });

  async function adminHash() {
    const row = await t.db
      .selectFrom("app_user")
      .select("password_hash")
      .where("id", "=", c.org.admin.id)
      .executeTakeFirstOrThrow();
    return row.password_hash;
  }

  it("records the status while waiting for sync to turn off", async () => {
    await start();
    const view = await driveClosure(t, c.org, { until: "waiting" });
    expect(view).toMatchObject({ state: "waiting", step: "turnOffSync", waitingFor: "syncOff" });
    expect((await closureStatus(t, c.org)).waitUntil).toBe(view.waitUntil);
  });
});
