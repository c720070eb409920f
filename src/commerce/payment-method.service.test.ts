import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addCard,
  billingRows,
  cardInput,
  insertSubscriptionRow,
} from "../../test/billing-payment-fixtures.js";
import {
  auditEntries,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
  OPERATOR,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import {
  addPaymentMethod,
  findDefaultPaymentMethod,
  findPaymentMethod,
  getPaymentMethod,
  listPaymentMethods,
  removePaymentMethod,
  updatePaymentMethod,
} from "./payment-method.service.js";

describe.each(TEST_ENGINES)("payment methods on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });

  it("a Billing Administrator adds cards; the first becomes the default; audited without token", async () => {
    const org = await createTenantWithAdmin(t);
    const { actor } = await createUserWithRoles(t, org, "billing", ["billingAdministrator"]);
    const first = await addPaymentMethod(t, actor, org.tenantId, cardInput({ brand: "AMEX" }));
    const second = await addPaymentMethod(t, actor, org.tenantId, cardInput({ last4: "0005" }));
    expect(first).toMatchObject({
      brand: "amex",
      last4: "4242",
      isDefault: true,
      token: "tok_visa",
    });
    expect(second).toMatchObject({ last4: "0005", isDefault: false });
    expect((await findDefaultPaymentMethod(t.db, org.tenantId))?.id).toBe(first.id);
    const entry = (await auditEntries(t, org.tenantId)).at(-1);
    expect(entry).toMatchObject({ action: "paymentMethod.add", target: { id: second.id } });
    expect(entry?.details).toEqual({
      brand: "visa",
      last4: "0005",
      expMonth: 12,
      expYear: 2030,
      holderName: "Ada Lovelace",
      isDefault: false,
    });
    await expectAuditChainValid(t, org.tenantId);
  });

  it("lists a tenant's methods in the order they were added, a page at a time", async () => {
    const org = await createTenantWithAdmin(t);
    const a = await addCard(t, org.tenantId, { last4: "1111" });
    const b = await addCard(t, org.tenantId, { last4: "2222" });
    const c = await addCard(t, org.tenantId, { last4: "3333" });
    const all = await listPaymentMethods(t, org.adminActor, org.tenantId, { limit: 10 });
    expect(all.map((m) => m.id)).toEqual([a.id, b.id, c.id]);
    const next = await listPaymentMethods(t, org.adminActor, org.tenantId, {
      limit: 10,
      afterId: a.id,
    });
    expect(next.map((m) => m.last4)).toEqual(["2222", "3333"]);
    expect((await getPaymentMethod(t, org.adminActor, org.tenantId, b.id)).last4).toBe("2222");
  });

  it("answers 404 for another tenant's method, and lists none of them", async () => {
    const own = await createTenantWithAdmin(t);
    const other = await createTenantWithAdmin(t);
    const foreign = await addCard(t, other.tenantId);
    await expectAppError(
      getPaymentMethod(t, own.adminActor, own.tenantId, foreign.id),
      "PAYMENT_METHOD_NOT_FOUND",
      "NotFound",
    );
    expect(await listPaymentMethods(t, own.adminActor, own.tenantId, { limit: 10 })).toEqual([]);
    expect(await findPaymentMethod(t.db, own.tenantId, foreign.id)).toBeUndefined();
  });

  it("makes another method the default, keeping the previous one on file", async () => {
    const org = await createTenantWithAdmin(t);
    const first = await addCard(t, org.tenantId);
    const second = await addCard(t, org.tenantId, { last4: "0005" });
    const updated = await updatePaymentMethod(t, org.adminActor, org.tenantId, second.id, {
      isDefault: true,
    });
    expect(updated.isDefault).toBe(true);
    expect((await findPaymentMethod(t.db, org.tenantId, first.id))?.isDefault).toBe(false);
    const entry = (await auditEntries(t, org.tenantId)).at(-1);
    expect(entry).toMatchObject({ action: "paymentMethod.setDefault", target: { id: second.id } });
    expect(entry?.details).toMatchObject({ previousDefaultId: first.id });
  });

  it("refuses to un-default the default method, changing nothing", async () => {
    const org = await createTenantWithAdmin(t);
    const card = await addCard(t, org.tenantId);
    const before = await billingRows(t, org.tenantId);
    await expectAppError(
      updatePaymentMethod(t, org.adminActor, org.tenantId, card.id, { isDefault: false }),
      "PAYMENT_METHOD_DEFAULT_REQUIRED",
      "Invalid",
    );
    expect(await billingRows(t, org.tenantId)).toEqual(before);
  });

  it("removes a method; when the default goes, the oldest remaining one becomes the default", async () => {
    const org = await createTenantWithAdmin(t);
    const first = await addCard(t, org.tenantId, { last4: "1111" });
    const second = await addCard(t, org.tenantId, { last4: "2222" });
    const third = await addCard(t, org.tenantId, { last4: "3333" });
    await removePaymentMethod(t, org.adminActor, org.tenantId, second.id);
    expect((await findDefaultPaymentMethod(t.db, org.tenantId))?.id).toBe(first.id);
    await removePaymentMethod(t, org.adminActor, org.tenantId, first.id);
    expect((await findDefaultPaymentMethod(t.db, org.tenantId))?.id).toBe(third.id);
    const entry = (await auditEntries(t, org.tenantId)).at(-1);
    expect(entry).toMatchObject({ action: "paymentMethod.remove", target: { id: first.id } });
    expect(entry?.details).toMatchObject({ last4: "1111", newDefaultId: third.id });
    await removePaymentMethod(t, org.adminActor, org.tenantId, third.id);
    expect(await findDefaultPaymentMethod(t.db, org.tenantId)).toBeUndefined();
  });

  it("refuses to remove the default method while an auto-renewing subscription renews with it, naming it", async () => {
    const org = await createTenantWithAdmin(t);
    const card = await addCard(t, org.tenantId);
    const subscriptionId = await insertSubscriptionRow(t, org.tenantId);
    const before = await billingRows(t, org.tenantId);
    const error = await expectAppError(
      removePaymentMethod(t, org.adminActor, org.tenantId, card.id),
      "PAYMENT_METHOD_IN_USE",
      "Blocked",
    );
    expect(error.message).toContain("O365_BUSINESS_PREMIUM");
    expect(error.message).toContain(subscriptionId);
    expect(error.details.subscriptions).toEqual([
      expect.objectContaining({ id: subscriptionId, skuPartNumber: "O365_BUSINESS_PREMIUM" }),
    ]);
    expect(await billingRows(t, org.tenantId)).toEqual(before);
  });

  it("refuses to remove a method a subscription names for its renewals, default or not", async () => {
    const org = await createTenantWithAdmin(t);
    await addCard(t, org.tenantId);
    const named = await addCard(t, org.tenantId, { last4: "0005" });
    await insertSubscriptionRow(t, org.tenantId, { paymentMethodId: named.id });
    await expectAppError(
      removePaymentMethod(t, org.adminActor, org.tenantId, named.id),
      "PAYMENT_METHOD_IN_USE",
    );
  });

  it("removes a method no renewal uses; subscriptions that named it fall back to the default", async () => {
    const org = await createTenantWithAdmin(t);
    const card = await addCard(t, org.tenantId);
    const other = await addCard(t, org.tenantId, { last4: "0005" });
    const disabled = await insertSubscriptionRow(t, org.tenantId, {
      status: "disabled",
      paymentMethodId: other.id,
    });
    await insertSubscriptionRow(t, org.tenantId, { autoRenew: false });
    await removePaymentMethod(t, org.adminActor, org.tenantId, other.id);
    await insertSubscriptionRow(t, org.tenantId, { status: "expired" });
    await removePaymentMethod(t, org.adminActor, org.tenantId, card.id);
    const row = await t.db
      .selectFrom("subscription")
      .select("payment_method_id")
      .where("tenant_id", "=", org.tenantId)
      .where("id", "=", disabled)
      .executeTakeFirstOrThrow();
    expect(row.payment_method_id).toBeNull();
  });

  it("refuses invalid cards, changing nothing and auditing nothing", async () => {
    const org = await createTenantWithAdmin(t);
    const before = await billingRows(t, org.tenantId);
    const audited = (await auditEntries(t, org.tenantId)).length;
    const cases = [
      [cardInput({ expMonth: 12, expYear: 2025 }), "CARD_EXPIRED"],
      [cardInput({ last4: "42" }), "CARD_LAST4_INVALID"],
      [cardInput({ brand: "bankcard" }), "CARD_BRAND_INVALID"],
      [cardInput({ token: "5555 5555 5555 4444" }), "CARD_NUMBER_REJECTED"],
    ] as const;
    for (const [input, code] of cases) {
      await expectAppError(
        addPaymentMethod(t, org.adminActor, org.tenantId, input),
        code,
        "Invalid",
      );
    }
    expect(await billingRows(t, org.tenantId)).toEqual(before);
    expect(await auditEntries(t, org.tenantId)).toHaveLength(audited);
  });

  it("lets only Billing and Global Administrators manage payment methods", async () => {
    const org = await createTenantWithAdmin(t);
    const card = await addCard(t, org.tenantId);
    for (const role of ["userAdministrator", "globalReader"] as const) {
      const { actor } = await createUserWithRoles(t, org, role, [role]);
      await expectAppError(
        addPaymentMethod(t, actor, org.tenantId, cardInput()),
        "INSUFFICIENT_ROLE",
        "Forbidden",
      );
      await expectAppError(
        listPaymentMethods(t, actor, org.tenantId, { limit: 10 }),
        "INSUFFICIENT_ROLE",
      );
      await expectAppError(
        removePaymentMethod(t, actor, org.tenantId, card.id),
        "INSUFFICIENT_ROLE",
      );
    }
    await removePaymentMethod(t, OPERATOR, org.tenantId, card.id);
  });
});
