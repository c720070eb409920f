import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  PASSWORD,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";

describe.each(TEST_ENGINES)("/v1.0/users on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let org: TenantFixture;
  let admin: { authorization: string };

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildTestServer(t);
    org = await createTenantWithAdmin(t);
    admin = await bearerFor(t, org.tenantId, org.admin.id);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  function graphUser(alias: string, extra: Record<string, unknown> = {}) {
    return {
      accountEnabled: true,
      displayName: alias,
      mailNickname: alias,
      userPrincipalName: `${alias}@${org.domain}`,
      passwordProfile: { password: PASSWORD, forceChangePasswordNextSignIn: false },
      ...extra,
    };
  }

  it("creates a user from Graph's body and answers 201 with the user", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1.0/users",
      headers: admin,
      payload: graphUser("adele"),
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      userPrincipalName: `adele@${org.domain}`,
      displayName: "adele",
      accountEnabled: true,
    });
    expect(body["@odata.context"]).toBe("http://localhost:80/v1.0/$metadata#users/$entity");
  });

  it("reads a user by id and by user principal name", async () => {
    const created = (
      await app.inject({
        method: "POST",
        url: "/v1.0/users",
        headers: admin,
        payload: graphUser("bianca"),
      })
    ).json();
    const byId = await app.inject({
      method: "GET",
      url: `/v1.0/users/${created.id}`,
      headers: admin,
    });
    const byUpn = await app.inject({
      method: "GET",
      url: `/v1.0/users/BIANCA@${org.domain}`,
      headers: admin,
    });
    expect(byId.json().id).toBe(created.id);
    expect(byUpn.json().id).toBe(created.id);
  });

  it("updates a user with PATCH and answers 204", async () => {
    const created = (
      await app.inject({
        method: "POST",
        url: "/v1.0/users",
        headers: admin,
        payload: graphUser("carla"),
      })
    ).json();
    const res = await app.inject({
      method: "PATCH",
      url: `/v1.0/users/${created.id}`,
      headers: admin,
      payload: { displayName: "Carla Ruiz", accountEnabled: false },
    });
    expect(res.statusCode).toBe(204);
    const read = (
      await app.inject({ method: "GET", url: `/v1.0/users/${created.id}`, headers: admin })
    ).json();
    expect(read).toMatchObject({ displayName: "Carla Ruiz", accountEnabled: false });
  });

  it("refuses a body missing Graph's required properties with 400 and creates nothing", async () => {
    const { passwordProfile: _omitted, ...incomplete } = graphUser("dora");
    const res = await app.inject({
      method: "POST",
      url: "/v1.0/users",
      headers: admin,
      payload: incomplete,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("Request_BadRequest");
    const read = await app.inject({
      method: "GET",
      url: `/v1.0/users/dora@${org.domain}`,
      headers: admin,
    });
    expect(read.statusCode).toBe(404);
  });

  it("refuses a weak password with a typed 400 error", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1.0/users",
      headers: admin,
      payload: graphUser("erin", { passwordProfile: { password: "short" } }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].code).toBe("PASSWORD_TOO_SHORT");
  });

  it("refuses a duplicate user principal name with 409", async () => {
    await app.inject({
      method: "POST",
      url: "/v1.0/users",
      headers: admin,
      payload: graphUser("fay"),
    });
    const res = await app.inject({
      method: "POST",
      url: "/v1.0/users",
      headers: admin,
      payload: graphUser("fay"),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details[0].code).toBe("USER_UPN_TAKEN");
  });

  it("soft-deletes a user with DELETE (204); it is then not found", async () => {
    const created = (
      await app.inject({
        method: "POST",
        url: "/v1.0/users",
        headers: admin,
        payload: graphUser("gina"),
      })
    ).json();
    const res = await app.inject({
      method: "DELETE",
      url: `/v1.0/users/${created.id}`,
      headers: admin,
    });
    expect(res.statusCode).toBe(204);
    expect(
      (await app.inject({ method: "GET", url: `/v1.0/users/${created.id}`, headers: admin }))
        .statusCode,
    ).toBe(404);
  });

  it("answers 403 with Graph's error shape when the caller's role does not allow it", async () => {
    const reader = await createUserWithRoles(t, org, "reader", ["globalReader"]);
    const headers = await bearerFor(t, org.tenantId, reader.user.id);
    const res = await app.inject({
      method: "POST",
      url: "/v1.0/users",
      headers,
      payload: graphUser("hana"),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({
      code: "Authorization_RequestDenied",
      details: [{ code: "INSUFFICIENT_ROLE" }],
      innerError: { "request-id": expect.any(String) },
    });
  });

  it("answers 401 without a token", async () => {
    const res = await app.inject({ method: "GET", url: "/v1.0/users" });
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toBe("Bearer");
  });

  it("pages with $top and an absolute @odata.nextLink", async () => {
    const first = (
      await app.inject({ method: "GET", url: "/v1.0/users?$top=2", headers: admin })
    ).json();
    expect(first.value).toHaveLength(2);
    expect(first["@odata.nextLink"]).toMatch(/^http:\/\/localhost:80\/v1\.0\/users\?/);
    const next = new URL(first["@odata.nextLink"]);
    const second = (
      await app.inject({ method: "GET", url: `${next.pathname}${next.search}`, headers: admin })
    ).json();
    expect(second.value[0].id).not.toBe(first.value[0].id);
  });

  it("GET /v1.0/me returns the signed-in user", async () => {
    const res = await app.inject({ method: "GET", url: "/v1.0/me", headers: admin });
    expect(res.json()).toMatchObject({
      id: org.admin.id,
      userPrincipalName: `admin@${org.domain}`,
    });
  });
});
