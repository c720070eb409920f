import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { MINUTE } from "../shared/clock.js";

describe.each(TEST_ENGINES)("/v1.0/directory/deletedItems on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let org: TenantFixture;

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildTestServer(t);
    org = await createTenantWithAdmin(t);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  async function deletedUser(alias: string) {
    const { user } = await createUserWithRoles(t, org, alias, ["billingAdministrator"]);
    const headers = await bearerFor(t, org.tenantId, org.admin.id);
    const res = await app.inject({ method: "DELETE", url: `/v1.0/users/${user.id}`, headers });
    expect(res.statusCode).toBe(204);
    return user;
  }

  it.each(["microsoft.graph.user", "graph.user"])(
    "lists deleted users under the %s cast",
    async (cast) => {
      const user = await deletedUser(`listed-${cast.length}`);
      const headers = await bearerFor(t, org.tenantId, org.admin.id);
      const res = await app.inject({
        method: "GET",
        url: `/v1.0/directory/deletedItems/${cast}`,
        headers,
      });
      expect(res.statusCode).toBe(200);
      const ids = res.json().value.map((u: { id: string }) => u.id);
      expect(ids).toContain(user.id);
      expect(res.json().value[0]["@odata.type"]).toBe("#microsoft.graph.user");
    },
  );

  it("pages the recycle bin with $filter, $select, $count and a nextLink", async () => {
    for (const alias of ["binned-a", "binned-b", "binned-c"]) await deletedUser(alias);
    const headers = await bearerFor(t, org.tenantId, org.admin.id);
    const filter = encodeURIComponent("startswith(userPrincipalName,'binned-')");
    const first = await app.inject({
      method: "GET",
      url: `/v1.0/directory/deletedItems/microsoft.graph.user?$filter=${filter}&$select=userPrincipalName&$count=true&$top=2&$orderby=userPrincipalName%20desc`,
      headers: { ...headers, consistencylevel: "eventual" },
    });
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body["@odata.count"]).toBe(3);
    expect(body.value[0]).toEqual({
      "@odata.type": "#microsoft.graph.user",
      id: expect.any(String),
      userPrincipalName: `binned-c@${org.domain}`,
    });
    const link = new URL(body["@odata.nextLink"]);
    expect(link.pathname).toBe("/v1.0/directory/deletedItems/microsoft.graph.user");
    const second = await app.inject({
      method: "GET",
      url: `${link.pathname}${link.search}`,
      headers,
    });
    expect(second.statusCode).toBe(200);
    expect(second.json()["@odata.count"]).toBe(3);
    expect(
      second.json().value.map((u: { userPrincipalName: string }) => u.userPrincipalName),
    ).toEqual([`binned-a@${org.domain}`]);
  });

  it("refuses a malformed $filter on the recycle bin with 400", async () => {
    const headers = await bearerFor(t, org.tenantId, org.admin.id);
    const res = await app.inject({
      method: "GET",
      url: "/v1.0/directory/deletedItems/graph.user?$filter=deletedDateTime%20gt%202020",
      headers,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].code).toBe("ODATA_FILTER_INVALID");
  });

  it("restores a deleted user with its roles", async () => {
    const user = await deletedUser("restored");
    const headers = await bearerFor(t, org.tenantId, org.admin.id);
    const res = await app.inject({
      method: "POST",
      url: `/v1.0/directory/deletedItems/${user.id}/restore`,
      headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: user.id, deletedDateTime: null });
    const roles = await t.db
      .selectFrom("role_assignment")
      .select("role_template_id")
      .where("user_id", "=", user.id)
      .execute();
    expect(roles).toHaveLength(1);
  });

  it("purges a deleted user after a fresh sign-in: 204 and gone for good", async () => {
    const user = await deletedUser("purged");
    const headers = await bearerFor(t, org.tenantId, org.admin.id);
    const res = await app.inject({
      method: "DELETE",
      url: `/v1.0/directory/deletedItems/${user.id}`,
      headers,
    });
    expect(res.statusCode).toBe(204);
    const read = await app.inject({
      method: "GET",
      url: `/v1.0/directory/deletedItems/${user.id}`,
      headers,
    });
    expect(read.statusCode).toBe(404);
  });

  it("refuses to purge with a sign-in older than 10 minutes (StepUpRequired) and keeps the user", async () => {
    const user = await deletedUser("stale");
    const headers = await bearerFor(t, org.tenantId, org.admin.id);
    t.clock.advance(11 * MINUTE);
    const res = await app.inject({
      method: "DELETE",
      url: `/v1.0/directory/deletedItems/${user.id}`,
      headers,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe("StepUpRequired");
    const read = await app.inject({
      method: "GET",
      url: `/v1.0/directory/deletedItems/${user.id}`,
      headers,
    });
    expect(read.statusCode).toBe(200);
  });

  it("refuses to purge a user that is not in the recycle bin", async () => {
    const { user } = await createUserWithRoles(t, org, "alive");
    const headers = await bearerFor(t, org.tenantId, org.admin.id);
    const res = await app.inject({
      method: "DELETE",
      url: `/v1.0/directory/deletedItems/${user.id}`,
      headers,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details[0].code).toBe("USER_NOT_DELETED");
  });
});
