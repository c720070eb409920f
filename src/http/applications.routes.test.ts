import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditActions,
  createTenantWithAdmin,
  createUserWithRoles,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { bearerFor } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { buildServer } from "./build-server.js";

describe.each(TEST_ENGINES)("/v1.0/applications on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let org: TenantFixture;
  let headers: { authorization: string };
  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildServer(t, { logger: false });
    org = await createTenantWithAdmin(t);
    headers = await bearerFor(t, org.tenantId, org.admin.id);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  async function register(displayName: string, auth = headers) {
    const response = await app.inject({
      method: "POST",
      url: "/v1.0/applications",
      headers: auth,
      payload: { displayName },
    });
    return { response, body: response.json() };
  }

  it("registers an application: 201 in Graph's shape with a client id", async () => {
    const { response, body } = await register("Payroll");
    expect(response.statusCode).toBe(201);
    expect(body).toMatchObject({
      "@odata.context": "http://localhost:80/v1.0/$metadata#applications/$entity",
      id: expect.any(String),
      appId: expect.any(String),
      displayName: "Payroll",
      passwordCredentials: [],
    });
  });

  it("lists the tenant's applications as a Graph collection", async () => {
    const { body: created } = await register("Listed");
    const response = await app.inject({ method: "GET", url: "/v1.0/applications", headers });
    const body = response.json();
    expect(body["@odata.context"]).toBe("http://localhost:80/v1.0/$metadata#applications");
    expect(body.value.map((a: { id: string }) => a.id)).toContain(created.id);
  });

  it("reads an application by object id and by Graph's appId alternate key", async () => {
    const { body: created } = await register("Keyed");
    for (const url of [
      `/v1.0/applications/${created.id}`,
      `/v1.0/applications(appId='${created.appId}')`,
    ]) {
      const response = await app.inject({ method: "GET", url, headers });
      expect(response.statusCode).toBe(200);
      expect(response.json().id).toBe(created.id);
    }
  });

  it("renames an application with PATCH (204)", async () => {
    const { body: created } = await register("Before");
    const url = `/v1.0/applications/${created.id}`;
    const patch = await app.inject({
      method: "PATCH",
      url,
      headers,
      payload: { displayName: "After" },
    });
    expect(patch.statusCode).toBe(204);
    expect((await app.inject({ method: "GET", url, headers })).json().displayName).toBe("After");
  });

  it("deletes an application for good: 204, then 404 APPLICATION_NOT_FOUND", async () => {
    const { body: created } = await register("Doomed");
    const url = `/v1.0/applications/${created.id}`;
    expect((await app.inject({ method: "DELETE", url, headers })).statusCode).toBe(204);
    const gone = await app.inject({ method: "GET", url, headers });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.details[0].code).toBe("APPLICATION_NOT_FOUND");
    expect((await auditActions(t, org.tenantId)).at(-1)).toBe("application.delete");
  });

  it("refuses registration by a non-Global Administrator with 403 INSUFFICIENT_ROLE", async () => {
    const { user } = await createUserWithRoles(t, org, "useradmin", ["userAdministrator"]);
    const { response, body } = await register("Nope", await bearerFor(t, org.tenantId, user.id));
    expect(response.statusCode).toBe(403);
    expect(body.error.details[0].code).toBe("INSUFFICIENT_ROLE");
  });

  it("refuses a request without a token with 401", async () => {
    const response = await app.inject({ method: "GET", url: "/v1.0/applications" });
    expect(response.statusCode).toBe(401);
  });

  it("addPassword shows the secret once; reading the application shows only its hint", async () => {
    const { body: created } = await register("Secretive");
    const response = await app.inject({
      method: "POST",
      url: `/v1.0/applications/${created.id}/addPassword`,
      headers,
      payload: { passwordCredential: { displayName: "deploy" } },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
    const secret = response.json();
    expect(secret).toMatchObject({ displayName: "deploy", keyId: expect.any(String) });
    expect(secret.secretText).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(secret.hint).toBe(secret.secretText.slice(0, 3));
    const read = await app.inject({
      method: "GET",
      url: `/v1.0/applications/${created.id}`,
      headers,
    });
    expect(read.json().passwordCredentials).toEqual([
      expect.objectContaining({ keyId: secret.keyId, hint: secret.hint, secretText: null }),
    ]);
    expect(read.body).not.toContain(secret.secretText);
  });

  it("removePassword answers 204, then 404 SECRET_NOT_FOUND for the same key", async () => {
    const { body: created } = await register("Rotating");
    const url = `/v1.0/applications/${created.id}`;
    const added = await app.inject({
      method: "POST",
      url: `${url}/addPassword`,
      headers,
      payload: {},
    });
    const payload = { keyId: added.json().keyId };
    const removed = await app.inject({
      method: "POST",
      url: `${url}/removePassword`,
      headers,
      payload,
    });
    expect(removed.statusCode).toBe(204);
    const again = await app.inject({
      method: "POST",
      url: `${url}/removePassword`,
      headers,
      payload,
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.details[0].code).toBe("SECRET_NOT_FOUND");
  });

  it("refuses a secret ending more than two years ahead with 400", async () => {
    const { body: created } = await register("Long-lived");
    const response = await app.inject({
      method: "POST",
      url: `/v1.0/applications/${created.id}/addPassword`,
      headers,
      payload: { passwordCredential: { endDateTime: "2099-01-01T00:00:00Z" } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].code).toBe("SECRET_END_INVALID");
  });

  it("answers 404 to another organization's admin", async () => {
    const { body: created } = await register("Private");
    const other = await createTenantWithAdmin(t);
    const otherHeaders = await bearerFor(t, other.tenantId, other.admin.id);
    for (const method of ["GET", "DELETE"] as const) {
      const response = await app.inject({
        method,
        url: `/v1.0/applications/${created.id}`,
        headers: otherHeaders,
      });
      expect(response.statusCode).toBe(404);
    }
  });
});
