import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { verifyAuditChain } from "../audit/index.js";
import {
  balanceDue,
  countConsumedUnits,
  findProductByPartNumber,
  getInvoice,
  listInvoices,
  listPaymentMethods,
  listSubscriptions,
} from "../commerce/index.js";
import { contentTotals } from "../content/index.js";
import { getSyncState, listRoleMembers, listUsers } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import { DAY } from "../shared/clock.js";
import { type DemoSummary, seedDemo } from "./seed-demo.js";

describe.each(TEST_ENGINES)("the demo tenant on %s", (engine) => {
  let t: TestContext;
  let demo: DemoSummary;
  let admin: Actor;
  beforeAll(async () => {
    t = await createTestContext(engine);
    demo = await seedDemo(t, { users: 120 });
    admin = { type: "user", tenantId: demo.tenantId, userId: demo.adminUserId };
  });
  afterAll(async () => {
    await t.close();
  });

  it("has the admin, the named role holders and the requested number of users", async () => {
    const page = await listUsers(t, admin, demo.tenantId, { limit: 999 });
    expect(page.users).toHaveLength(demo.users);
    expect(demo.users).toBe(1 + 7 + 120);
    const globalAdmins = await listRoleMembers(t, admin, demo.tenantId, "Global Administrator");
    expect(globalAdmins.map((u) => u.userPrincipalName).sort()).toEqual([
      "admin@contoso.example",
      "megan.bowen@contoso.example",
    ]);
    expect(await listRoleMembers(t, admin, demo.tenantId, "Billing Administrator")).toHaveLength(1);
  });

  it("syncs some users from on-premises and mixes the MFA states", async () => {
    expect((await getSyncState(t, admin, demo.tenantId)).status).toBe("on");
    const synced = await listUsers(t, admin, demo.tenantId, { synced: true, limit: 999 });
    expect(synced.users.length).toBe(demo.syncedUsers);
    expect(demo.syncedUsers).toBeGreaterThan(0);
    for (const state of ["disabled", "enabled", "enforced"]) {
      const page = await listUsers(t, admin, demo.tenantId, { mfaState: state, limit: 999 });
      expect(page.users.length, state).toBeGreaterThan(0);
    }
  });

  it("gives a few users messages and files of their own (SPEC §4)", async () => {
    expect(demo.content).toMatchObject({ messages: 18, files: 12 });
    expect(await contentTotals(t.db, demo.tenantId)).toEqual(demo.content);
  });

  it("starts the signing-in admin with MFA disabled and leaves a verifiable audit chain", async () => {
    const page = await listUsers(t, admin, demo.tenantId, { upnPrefix: "admin@", limit: 1 });
    expect(page.users[0]?.perUserMfaState).toBe("disabled");
    expect(await verifyAuditChain(t, demo.tenantId)).toMatchObject({ ok: true });
  });

  it("has subscriptions in every lifecycle state, made by the real lifecycle", async () => {
    const subscriptions = await listSubscriptions(t, admin, demo.tenantId, { limit: 999 });
    const byPart = new Map(subscriptions.map((s) => [s.skuPartNumber, s]));
    expect(byPart.get("O365_BUSINESS_PREMIUM")).toMatchObject({
      status: "active",
      autoRenew: true,
    });
    expect(byPart.get("SPE_E3")).toMatchObject({ status: "active", billingModel: "agreement" });
    expect(byPart.get("O365_BUSINESS_ESSENTIALS")).toMatchObject({
      status: "active",
      isTrial: true,
    });
    expect(byPart.get("EXCHANGESTANDARD")).toMatchObject({
      status: "expired",
      autoRenew: false,
      cancelReason: "too_expensive",
    });
    expect(byPart.get("SPB")).toMatchObject({ status: "disabled", cancelReason: "unused" });
    expect(byPart.get("ENTERPRISEPACK")).toMatchObject({
      status: "deprovisioned",
      cancelReason: "switched_service",
    });
    expect(demo.commerce.subscriptions).toEqual({
      active: 4,
      expired: 1,
      disabled: 1,
      deprovisioned: 1,
    });
    // Business Standard was bought 75 days ago and renewed since: its period started this month.
    const standard = byPart.get("O365_BUSINESS_PREMIUM");
    expect(standard?.startAt.getTime()).toBe(t.clock.now().getTime() - 75 * DAY);
    expect(t.clock.now().getTime() - (standard?.periodStartAt.getTime() ?? 0)).toBeLessThan(
      31 * DAY,
    );
  });

  it("has assigned licenses within the seats of the active subscriptions", async () => {
    const consumed = async (partNumber: string) => {
      const product = await findProductByPartNumber(t.db, partNumber);
      return countConsumedUnits(t.db, demo.tenantId, product?.skuId ?? "");
    };
    expect(await consumed("O365_BUSINESS_PREMIUM")).toBe(30);
    expect(await consumed("SPE_E3")).toBe(8);
    expect(await consumed("EXCHANGESTANDARD")).toBe(10);
    expect(await consumed("POWER_BI_PRO")).toBe(3);
    expect(demo.commerce.licensesAssigned).toBe(30 + 8 + 10 + 3);
  });

  it("has a default card and a declining one, paid invoices and one due", async () => {
    const cards = await listPaymentMethods(t, admin, demo.tenantId, { limit: 999 });
    expect(cards.map((c) => [c.brand, c.isDefault])).toEqual([
      ["visa", true],
      ["mastercard", false],
    ]);
    const invoices = await listInvoices(t, admin, demo.tenantId, { limit: 999 });
    const paid = invoices.filter((i) => i.status === "paid");
    const due = invoices.filter((i) => i.status === "due");
    expect(paid.length).toBeGreaterThanOrEqual(5);
    expect(due).toHaveLength(1);
    expect(demo.commerce.invoices).toEqual({ paid: paid.length, due: 1, overdue: 0 });
    const declined = await getInvoice(t, admin, demo.tenantId, due[0]?.id ?? "");
    expect(declined.payments.map((p) => p.outcome)).toContain("declined");
    const balance = await balanceDue(t.db, demo.tenantId, t.clock.now());
    expect(balance.balanceMinor).toBe(5 * 1400);
    // The Office 365 E3 cancelled mid-period left a prorated credit on a later, paid invoice.
    const credited = await Promise.all(paid.map((i) => getInvoice(t, admin, demo.tenantId, i.id)));
    expect(credited.some((i) => i.lines.some((l) => l.kind === "credit"))).toBe(true);
  });

  it("refuses a second demo on the same domain", async () => {
    await expect(seedDemo(t, { users: 1 })).rejects.toMatchObject({ code: "DOMAIN_TAKEN" });
  });
});
