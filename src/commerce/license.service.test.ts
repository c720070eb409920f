import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEntries,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
  OPERATOR,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import {
  assignmentKeys,
  BUSINESS_STANDARD,
  E3,
  EXCHANGE,
  insertSubscription,
  setSubscriptionStatus,
} from "../../test/license-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { deleteUser, purgeUser, restoreUser } from "../directory/index.js";
import type { AssignLicenseInput } from "./license.js";
import {
  assignLicense,
  licenseOverAssignments,
  listLicenseDetails,
  reportRestoredLicenseOverAssignments,
} from "./license.service.js";
import { countConsumedUnits } from "./license-count.repository.js";

const SKU = BUSINESS_STANDARD.skuId;
const addSku = (skuId: string, disabledPlans: string[] = []): AssignLicenseInput => ({
  addLicenses: [{ skuId, disabledPlans }],
  removeLicenses: [],
});
const removeSku = (skuId: string): AssignLicenseInput => ({
  addLicenses: [],
  removeLicenses: [skuId],
});

describe.each(TEST_ENGINES)("license assignment on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  /** A tenant with `seats` active seats of Business Standard, two plain users and `extra` more. */
  async function tenantWithSeats(seats: number, extra = 0) {
    const org = await createTenantWithAdmin(t);
    const subscriptionId = await insertSubscription(t, org.tenantId, {
      skuId: SKU,
      quantity: seats,
    });
    const { user: ada } = await createUserWithRoles(t, org, "ada");
    const { user: bob } = await createUserWithRoles(t, org, "bob");
    const users = [ada, bob];
    for (let i = 0; i < extra; i++) users.push((await createUserWithRoles(t, org, `u${i}`)).user);
    return { org, subscriptionId, ada, bob, users };
  }

  /** Opens `count` connections at once, so that concurrent requests do not wait for new ones. */
  async function warmConnections(count: number) {
    const hold = () => new Promise((resolve) => setTimeout(resolve, 50));
    await Promise.all(
      Array.from({ length: count }, () =>
        t.db.transaction().execute(async (trx) => {
          await trx.selectFrom("tenant").select("id").execute();
          await hold();
        }),
      ),
    );
  }

  async function assign(
    org: TenantFixture,
    userId: string,
    input: AssignLicenseInput = addSku(SKU),
  ) {
    return assignLicense(t, org.adminActor, org.tenantId, userId, input);
  }

  it("assigns a SKU with a free seat, shows it in the user's license details, audited", async () => {
    const { org, ada } = await tenantWithSeats(2);
    const user = ada;
    const result = await assign(org, user.userPrincipalName);
    expect(result.user.id).toBe(user.id);
    expect(result.assignedLicenses).toEqual([{ skuId: SKU, disabledPlans: [] }]);
    const details = await listLicenseDetails(t, org.adminActor, org.tenantId, user.id);
    expect(details).toEqual([
      expect.objectContaining({
        skuId: SKU,
        skuPartNumber: BUSINESS_STANDARD.skuPartNumber,
        disabledPlans: [],
        assignedDateTime: t.clock.now(),
      }),
    ]);
    expect(details[0]?.servicePlans).toHaveLength(BUSINESS_STANDARD.planCount);
    expect(await countConsumedUnits(t.db, org.tenantId, SKU)).toBe(1);
    const [entry] = (await auditEntries(t, org.tenantId)).slice(-1);
    expect(entry).toMatchObject({
      action: "license.assign",
      target: { type: "user", id: user.id },
    });
    expect(entry?.details).toMatchObject({
      added: [{ skuId: SKU, skuPartNumber: BUSINESS_STANDARD.skuPartNumber }],
      removed: [],
    });
    await expectAuditChainValid(t, org.tenantId);
  });

  it("removes a SKU and frees its seat", async () => {
    const { org, ada } = await tenantWithSeats(1);
    await assign(org, ada.id);
    const result = await assign(org, ada.id, removeSku(SKU));
    expect(result.assignedLicenses).toEqual([]);
    expect(await countConsumedUnits(t.db, org.tenantId, SKU)).toBe(0);
    expect((await auditEntries(t, org.tenantId)).at(-1)?.details).toMatchObject({
      removed: [{ skuId: SKU }],
    });
  });

  it("turns service plans off for a user, and back on, without taking another seat", async () => {
    const { org, ada } = await tenantWithSeats(1);
    await assign(org, ada.id);
    const plan = BUSINESS_STANDARD.exchangePlanId;
    const off = await assign(org, ada.id, addSku(SKU, [plan]));
    expect(off.assignedLicenses).toEqual([{ skuId: SKU, disabledPlans: [plan] }]);
    const on = await assign(org, ada.id, addSku(SKU));
    expect(on.assignedLicenses).toEqual([{ skuId: SKU, disabledPlans: [] }]);
    expect(await countConsumedUnits(t.db, org.tenantId, SKU)).toBe(1);
  });

  it("refuses the seat after the last one, naming the SKU and the counts, changing nothing", async () => {
    const { org, ada, bob } = await tenantWithSeats(1);
    await assign(org, ada.id);
    const before = await assignmentKeys(t, org.tenantId);
    const error = await expectAppError(assign(org, bob.id), "LICENSE_SEATS_EXHAUSTED", "Blocked");
    expect(error.message).toContain(BUSINESS_STANDARD.skuPartNumber);
    expect(error.details).toMatchObject({ enabled: 1, consumed: 1 });
    expect(await assignmentKeys(t, org.tenantId)).toEqual(before);
  });

  it("counts the seats of every active subscription of the SKU", async () => {
    const { org, ada, bob } = await tenantWithSeats(1);
    await insertSubscription(t, org.tenantId, { skuId: SKU, quantity: 1 });
    await assign(org, ada.id);
    await assign(org, bob.id);
    expect(await countConsumedUnits(t.db, org.tenantId, SKU)).toBe(2);
  });

  it("refuses seats of a disabled or an expired subscription", async () => {
    for (const status of ["disabled", "expired"] as const) {
      const { org, subscriptionId, ada } = await tenantWithSeats(5);
      await setSubscriptionStatus(t, org.tenantId, subscriptionId, status);
      const error = await expectAppError(
        assign(org, ada.id),
        "LICENSE_SEATS_NOT_ASSIGNABLE",
        "Blocked",
      );
      expect(error.details).toMatchObject({
        enabled: 0,
        suspended: status === "disabled" ? 5 : 0,
        warning: status === "expired" ? 5 : 0,
      });
      expect(await assignmentKeys(t, org.tenantId)).toEqual([]);
    }
  });

  it("refuses a SKU the organization has no subscription of, and one not in the catalog", async () => {
    const { org, ada } = await tenantWithSeats(5);
    await expectAppError(
      assign(org, ada.id, addSku(E3.skuId)),
      "LICENSE_SKU_NOT_SUBSCRIBED",
      "Invalid",
    );
    await expectAppError(
      assign(org, ada.id, addSku("00000000-0000-4000-8000-000000000000")),
      "LICENSE_SKU_UNKNOWN",
      "Invalid",
    );
    expect(await assignmentKeys(t, org.tenantId)).toEqual([]);
  });

  it("refuses a disabled plan that is not a plan of the product", async () => {
    const { org, ada } = await tenantWithSeats(5);
    const foreignPlan = "4828c8ec-dc2e-4779-b502-87ac9ce28ab7";
    await expectAppError(
      assign(org, ada.id, addSku(SKU, [foreignPlan])),
      "LICENSE_PLAN_UNKNOWN",
      "Invalid",
    );
    expect(await assignmentKeys(t, org.tenantId)).toEqual([]);
  });

  it("refuses to remove a SKU the user does not have", async () => {
    const { org, ada } = await tenantWithSeats(5);
    await expectAppError(assign(org, ada.id, removeSku(SKU)), "LICENSE_NOT_ASSIGNED", "Invalid");
  });

  it("is all or nothing: a refused removal leaves the additions of the same request undone", async () => {
    const { org, ada } = await tenantWithSeats(5);
    await insertSubscription(t, org.tenantId, { skuId: EXCHANGE.skuId, quantity: 5 });
    await assign(org, ada.id);
    const before = await assignmentKeys(t, org.tenantId);
    const auditBefore = (await auditEntries(t, org.tenantId)).length;
    await expectAppError(
      assign(org, ada.id, {
        addLicenses: [{ skuId: EXCHANGE.skuId, disabledPlans: [] }],
        removeLicenses: [SKU, E3.skuId],
      }),
      "LICENSE_NOT_ASSIGNED",
    );
    expect(await assignmentKeys(t, org.tenantId)).toEqual(before);
    expect(await auditEntries(t, org.tenantId)).toHaveLength(auditBefore);
  });

  it("lets a User Administrator assign licenses and refuses a Billing Administrator", async () => {
    const { org, ada } = await tenantWithSeats(5);
    const { actor: ua } = await createUserWithRoles(t, org, "ua", ["userAdministrator"]);
    const { actor: billing } = await createUserWithRoles(t, org, "billing", [
      "billingAdministrator",
    ]);
    await expectAppError(
      assignLicense(t, billing, org.tenantId, ada.id, addSku(SKU)),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    expect(await assignmentKeys(t, org.tenantId)).toEqual([]);
    await assignLicense(t, ua, org.tenantId, ada.id, addSku(SKU));
    expect(await countConsumedUnits(t.db, org.tenantId, SKU)).toBe(1);
  });

  it("answers 404 for a user in the recycle bin or of another tenant", async () => {
    const { org, ada } = await tenantWithSeats(5);
    await deleteUser(t, OPERATOR, org.tenantId, ada.id);
    await expectAppError(assign(org, ada.id), "USER_NOT_FOUND", "NotFound");
    const other = await createTenantWithAdmin(t);
    await expectAppError(
      assignLicense(t, other.adminActor, org.tenantId, org.admin.id, addSku(SKU)),
      "TENANT_NOT_FOUND",
      "NotFound",
    );
    await expectAppError(
      listLicenseDetails(t, other.adminActor, org.tenantId, org.admin.id),
      "TENANT_NOT_FOUND",
      "NotFound",
    );
  });

  it("refuses new licenses while the organization is being closed, but lets them be removed", async () => {
    const { org, ada, bob } = await tenantWithSeats(5);
    await assign(org, ada.id);
    await t.db
      .updateTable("tenant")
      .set({ state: "closing" })
      .where("id", "=", org.tenantId)
      .execute();
    await expectAppError(assign(org, bob.id), "TENANT_FROZEN", "Blocked");
    await assign(org, ada.id, removeSku(SKU));
    expect(await assignmentKeys(t, org.tenantId)).toEqual([]);
  });

  it("frees a deleted user's seat and brings the license back on restore", async () => {
    const { org, ada, bob } = await tenantWithSeats(1);
    const [first, second] = [ada, bob];
    await assign(org, first.id);
    await deleteUser(t, OPERATOR, org.tenantId, first.id);
    expect(await countConsumedUnits(t.db, org.tenantId, SKU)).toBe(0);
    await assign(org, second.id);
    await restoreUser(t, OPERATOR, org.tenantId, first.id);
    expect(await assignmentKeys(t, org.tenantId)).toEqual(
      [`${first.id}:${SKU}`, `${second.id}:${SKU}`].sort(),
    );
    expect(await countConsumedUnits(t.db, org.tenantId, SKU)).toBe(2);
    expect(await licenseOverAssignments(t.db, org.tenantId)).toEqual([
      { skuId: SKU, skuPartNumber: BUSINESS_STANDARD.skuPartNumber, enabled: 1, consumed: 2 },
    ]);
  });

  it("reports and audits the over-assignment a restore caused, and nothing when there is none", async () => {
    const { org, ada, bob } = await tenantWithSeats(1);
    const [first, second] = [ada, bob];
    await assign(org, first.id);
    await deleteUser(t, OPERATOR, org.tenantId, first.id);
    await assign(org, second.id);
    await restoreUser(t, org.adminActor, org.tenantId, first.id);
    const report = await reportRestoredLicenseOverAssignments(
      t,
      org.adminActor,
      org.tenantId,
      first.id,
    );
    expect(report).toEqual([
      { skuId: SKU, skuPartNumber: BUSINESS_STANDARD.skuPartNumber, enabled: 1, consumed: 2 },
    ]);
    const [entry] = (await auditEntries(t, org.tenantId)).slice(-1);
    expect(entry).toMatchObject({ action: "license.overAssigned", target: { id: first.id } });
    expect(entry?.details).toMatchObject({ skus: report });

    await assign(org, second.id, removeSku(SKU));
    await deleteUser(t, OPERATOR, org.tenantId, first.id);
    await restoreUser(t, org.adminActor, org.tenantId, first.id);
    const entries = (await auditEntries(t, org.tenantId)).length;
    expect(
      await reportRestoredLicenseOverAssignments(t, org.adminActor, org.tenantId, first.id),
    ).toEqual([]);
    expect(await auditEntries(t, org.tenantId)).toHaveLength(entries);
  });

  it("erases a purged user's licenses", async () => {
    const { org, ada } = await tenantWithSeats(1);
    await assign(org, ada.id);
    await deleteUser(t, OPERATOR, org.tenantId, ada.id);
    expect(await assignmentKeys(t, org.tenantId)).toHaveLength(1);
    await purgeUser(t, OPERATOR, org.tenantId, ada.id);
    expect(await assignmentKeys(t, org.tenantId)).toEqual([]);
  });

  it("gives one of several concurrent requests the last seat, never two", async () => {
    const { org, users } = await tenantWithSeats(1, 4);
    await warmConnections(users.length);
    const outcomes = await Promise.allSettled(users.map((user) => assign(org, user.id)));
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(await countConsumedUnits(t.db, org.tenantId, SKU)).toBe(1);
  });
});
