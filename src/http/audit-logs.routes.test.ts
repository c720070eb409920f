import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addCard } from "../../test/billing-payment-fixtures.js";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  OPERATOR,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import type { RoleName } from "../directory/index.js";
import { recordAudit } from "../audit/index.js";

/** Issue 8: the audit log over HTTP — Graph's directoryAudits and Tenantry's chain check. */

const LIST = "/v1.0/auditLogs/directoryAudits";
const VERIFY = "/v1.0/auditLogs/verify";

interface Audit {
  id: string;
  activityDisplayName: string;
  result: string;
  sequenceNumber: number;
  targetResources: { type: string; userPrincipalName: string | null }[];
}

describe.each(TEST_ENGINES)("audit log routes on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let org: TenantFixture;
  let other: TenantFixture;

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildTestServer(t);
    org = await createTenantWithAdmin(t);
    other = await createTenantWithAdmin(t);
    await createUserWithRoles(t, org, "plain");
    await addCard(t, org.tenantId);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  let readers = 0;
  async function headersOf(role: RoleName | "member") {
    readers += 1;
    const { user } = await createUserWithRoles(
      t,
      org,
      `reader${readers}-${role}`,
      role === "member" ? [] : [role],
    );
    return bearerFor(t, org.tenantId, user.id);
  }
  const admin = () => bearerFor(t, org.tenantId, org.admin.id);
  const get = async (url: string, headers: Record<string, string>) =>
    app.inject({ method: "GET", url, headers });

  it("lists the organization's entries in Graph's directoryAudit shape, oldest first", async () => {
    const response = await get(LIST, await admin());
    expect(response.statusCode, response.body).toBe(200);
    const { value } = response.json() as { value: Audit[] };
    expect(value[0]).toMatchObject({
      activityDisplayName: "tenant.create",
      result: "success",
      sequenceNumber: 1,
    });
    const created = value.find((e) => e.activityDisplayName === "user.create");
    expect(created?.targetResources[0]).toMatchObject({
      type: "user",
      userPrincipalName: expect.stringContaining("plain"),
    });
    expect(value.map((e) => e.sequenceNumber)).toEqual(value.map((_, i) => i + 1));
  });

  it("pages with $top and @odata.nextLink, without repeating or skipping an entry", async () => {
    const headers = await admin();
    const all = ((await get(LIST, headers)).json() as { value: Audit[] }).value;
    const seen: string[] = [];
    let url: string | undefined = `${LIST}?$top=2`;
    while (url) {
      const page = (await get(url.replace(/^https?:\/\/[^/]+/, ""), headers)).json() as {
        value: Audit[];
        "@odata.nextLink"?: string;
      };
      expect(page.value.length).toBeLessThanOrEqual(2);
      seen.push(...page.value.map((e) => e.id));
      url = page["@odata.nextLink"];
    }
    expect(seen).toEqual(all.map((e) => e.id));
  });

  it("refuses a $top out of range with 400", async () => {
    const response = await get(`${LIST}?$top=0`, await admin());
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].code).toBe("TOP_INVALID");
  });

  it("lets a Global Reader read every entry", async () => {
    const all = ((await get(LIST, await admin())).json() as { value: Audit[] }).value;
    const response = await get(LIST, await headersOf("globalReader"));
    expect(response.statusCode).toBe(200);
    expect((response.json() as { value: Audit[] }).value.length).toBeGreaterThanOrEqual(all.length);
  });

  it("shows a Billing Administrator the billing events only", async () => {
    const response = await get(LIST, await headersOf("billingAdministrator"));
    expect(response.statusCode).toBe(200);
    const { value } = response.json() as { value: Audit[] };
    expect(value.length).toBeGreaterThan(0);
    expect(value.map((e) => e.activityDisplayName)).not.toContain("user.create");
    expect(value.map((e) => e.activityDisplayName)).toContain("paymentMethod.add");
  });

  it.each(["userAdministrator", "member"] as const)("refuses %s with 403", async (role) => {
    const response = await get(LIST, await headersOf(role));
    expect(response.statusCode).toBe(403);
  });

  it("shows another tenant's token its own log only", async () => {
    const response = await get(LIST, await bearerFor(t, other.tenantId, other.admin.id));
    expect(response.statusCode).toBe(200);
    const { value } = response.json() as { value: Audit[] };
    expect(value.map((e) => e.activityDisplayName)).toEqual(["tenant.create"]);
  });

  it("verifies the chain: valid with its entry count for a Global Administrator and a Global Reader", async () => {
    for (const headers of [await admin(), await headersOf("globalReader")]) {
      const response = await get(VERIFY, headers);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        valid: true,
        entries: expect.any(Number),
        problems: [],
      });
    }
  });

  it("reports an edited entry as invalid, naming it", async () => {
    const tampered = await createTenantWithAdmin(t);
    await t.db
      .updateTable("audit_log")
      .set({ outcome: "failure" })
      .where("tenant_id", "=", tampered.tenantId)
      .where("seq", "=", 1)
      .execute();
    const response = await get(VERIFY, await bearerFor(t, tampered.tenantId, tampered.admin.id));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ valid: false, problems: [{ seq: 1 }] });
  });

  it("refuses verify to a Billing Administrator with 403", async () => {
    const response = await get(VERIFY, await headersOf("billingAdministrator"));
    expect(response.statusCode).toBe(403);
  });

  it("gives a Billing Administrator full pages of billing events, chosen by the store", async () => {
    const tenant = await createTenantWithAdmin(t);
    const events = [
      ["subscription.cancel", null, true],
      ["subscriptions.bulkCancel", null, true],
      ["invoice.pay", { type: "invoice", id: "1" }, true],
      ["payment.capture", null, true],
      ["paymentMethod.add", null, true],
      ["billingCredit.issue", null, true],
      ["addPaymentMethod", null, true],
      ["closure.cancelSubscriptions", null, true],
      ["closure.deleteDisabledSubscriptions", null, true],
      ["user.update", { type: "subscription", id: "s" }, true],
      ["closure.deleteUsers", null, false],
      ["user.create", { type: "user", id: "u" }, false],
      ["Subscription.cancel", null, false],
      ["subscriptionX.cancel", null, false],
      ["invoices", null, false],
      ["signIn", null, false],
    ] as const;
    // Billing events scattered among many others: a page by position would often come back empty.
    for (const [i, [action, target]] of events.entries()) {
      await t.db.transaction().execute(async (trx) => {
        for (let k = 0; k < 3; k++) {
          await recordAudit(t, trx, {
            tenantId: tenant.tenantId,
            actor: OPERATOR,
            action: `noise${i}.${k}`,
          });
        }
        await recordAudit(t, trx, {
          tenantId: tenant.tenantId,
          actor: OPERATOR,
          action,
          ...(target ? { target } : {}),
        });
      });
    }
    const { user } = await createUserWithRoles(t, tenant, "billing", ["billingAdministrator"]);
    const headers = await bearerFor(t, tenant.tenantId, user.id);
    const pages: string[][] = [];
    let url: string | undefined = `${LIST}?$top=2`;
    while (url) {
      const response = await get(url.replace(/^https?:\/\/[^/]+/, ""), headers);
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json() as { value: Audit[]; "@odata.nextLink"?: string };
      pages.push(page.value.map((e) => e.activityDisplayName));
      url = page["@odata.nextLink"];
    }
    const billing = events.filter(([, , expected]) => expected).map(([action]) => action);
    expect(pages.flat()).toEqual(billing);
    // Every page is full but the last (which is empty when the one before it ended the log).
    expect(pages.slice(0, -1).every((page) => page.length === 2)).toBe(true);
  });
});
