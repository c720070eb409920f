import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWithAdmin } from "../../test/directory-fixtures.js";
import {
  createTenantObjects,
  FOREIGN_REQUESTS,
  snapshotRows,
  type TenantObjects,
} from "../../test/foreign-tenant.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { BUSINESS_STANDARD } from "../../test/license-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { ROLES } from "../directory/index.js";

/**
 * Issue 4: a token of tenant A can never read, change or even learn the existence of anything of
 * tenant B — 404, not 403 (SPEC §2). A's Global Administrator, who may do everything in A, calls
 * every route that takes an id with B's ids; nothing of either tenant may change.
 */

/**
 * Graph's 404 for a missing object. A path no route serves answers 404 too, but without details:
 * the `*_NOT_FOUND` detail shows that the route ran and found no such object in the caller's tenant.
 */
const OBJECT_NOT_FOUND = {
  code: "Request_ResourceNotFound",
  details: [{ code: expect.stringMatching(/_NOT_FOUND$/) }],
};

/** The ids in a list response's `value`. */
function idsOf(body: { value: { id: string }[] }): string[] {
  return body.value.map((item) => item.id);
}

describe.each(TEST_ENGINES)("tenant isolation on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let a: TenantObjects;
  let b: TenantObjects;
  let headers: { authorization: string };

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildTestServer(t);
    a = await createTenantObjects(t, await createTenantWithAdmin(t));
    b = await createTenantObjects(t, await createTenantWithAdmin(t));
    // A fresh sign-in with MFA: step-up cannot be why a purge is refused.
    headers = await bearerFor(t, a.org.tenantId, a.org.admin.id, { mfa: true });
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  // A plain loop rather than it.each: its `$name` cuts names after 40 characters.
  for (const request of FOREIGN_REQUESTS) {
    it(`answers 404 and changes nothing in either tenant to ${request.name}`, async () => {
      const before = await snapshotRows(t);
      const body = request.body?.(b, t);
      const response = await app.inject({
        method: request.method,
        url: request.url(b, a),
        headers,
        ...(body === undefined ? {} : { payload: body as object }),
      });
      expect(response.statusCode, response.body).toBe(404);
      expect(response.json().error).toMatchObject(OBJECT_NOT_FOUND);
      expect(await snapshotRows(t)).toEqual(before);
    });
  }

  const lists: [string, (o: TenantObjects) => string[]][] = [
    ["/v1.0/users?$top=999", (o) => [o.user.id, o.reader.id]],
    ["/v1.0/directory/deletedItems/microsoft.graph.user?$top=999", (o) => [o.deleted.id]],
    ["/v1.0/groups?$top=999", (o) => [o.group.id]],
    ["/v1.0/applications", (o) => [o.app.application.id]],
    [`/v1.0/directoryRoles/${ROLES.globalReader.roleTemplateId}/members`, (o) => [o.reader.id]],
    ["/v1.0/organization", (o) => [o.org.tenantId]],
    ["/v1.0/subscribedSkus", (o) => [`${o.org.tenantId}_${BUSINESS_STANDARD.skuId}`]],
    ["/v1.0/directory/subscriptions", (o) => [o.subscriptionId]],
    ["/v1.0/billing/subscriptions?$top=999", (o) => [o.subscriptionId]],
    ["/v1.0/billing/paymentMethods?$top=999", (o) => [o.billing.paymentMethod.id]],
    ["/v1.0/billing/invoices?$top=999", (o) => [o.billing.invoice.id]],
  ];

  it.each(lists)(
    "lists the caller's own objects and none of another tenant's at %s",
    async (url, objects) => {
      const response = await app.inject({ method: "GET", url, headers });
      expect(response.statusCode, response.body).toBe(200);
      const ids = idsOf(response.json());
      expect(ids).toEqual(expect.arrayContaining(objects(a)));
      for (const id of objects(b)) expect(ids).not.toContain(id);
    },
  );

  it("answers 404 to every item of a $batch that addresses another tenant's ids, changing nothing", async () => {
    const before = await snapshotRows(t);
    const requests = [
      { id: "1", method: "GET", url: `/users/${b.user.id}` },
      { id: "2", method: "PATCH", url: `/users/${b.user.id}`, body: { displayName: "Taken over" } },
      { id: "3", method: "DELETE", url: `/groups/${b.group.id}` },
      { id: "4", method: "GET", url: `/applications/${b.app.application.id}` },
      { id: "5", method: "POST", url: `/directory/deletedItems/${b.deleted.id}/restore` },
      { id: "6", method: "GET", url: `/organization/${b.org.tenantId}` },
      {
        id: "7",
        method: "POST",
        url: `/users/${b.user.id}/assignLicense`,
        body: { addLicenses: [], removeLicenses: [BUSINESS_STANDARD.skuId] },
      },
      { id: "8", method: "GET", url: `/directory/subscriptions/${b.subscriptionId}` },
    ];
    const response = await app.inject({
      method: "POST",
      url: "/v1.0/$batch",
      headers,
      payload: { requests },
    });
    expect(response.statusCode, response.body).toBe(200);
    const items = response.json().responses as { id: string; status: number; body: unknown }[];
    expect(items.map((item) => [item.id, item.status])).toEqual(
      requests.map((item) => [item.id, 404]),
    );
    for (const item of items) {
      expect(item.body).toMatchObject({ error: OBJECT_NOT_FOUND });
    }
    expect(await snapshotRows(t)).toEqual(before);
  });

  it("runs the closure's steps, checks and plan on the caller's own tenant only (issue 6)", async () => {
    const rowsOf = async (tenantId: string) =>
      Object.fromEntries(
        Object.entries(await snapshotRows(t)).map(([table, rows]) => [
          table,
          rows.filter((row) => row.includes(tenantId)),
        ]),
      );
    const before = await rowsOf(b.org.tenantId);
    const closure = "/v1.0/organization/closure";
    for (const [method, url] of [
      ["GET", `${closure}/checks`],
      ["GET", `${closure}/plan`],
      ["POST", `${closure}/steps/disableMfa`],
      ["POST", `${closure}/steps/deleteDisabledSubscriptions`],
    ] as const) {
      const response = await app.inject({ method, url, headers });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.body).not.toContain(b.org.tenantId);
      expect(response.body).not.toContain(b.user.id);
    }
    expect(await rowsOf(b.org.tenantId)).toEqual(before);
  });
});
