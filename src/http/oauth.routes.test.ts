import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApplicationFixture,
  applicationAuthorization,
  createApplicationWithSecret,
  requestToken,
} from "../../test/application-fixtures.js";
import { createTenantWithAdmin, type TenantFixture } from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { deleteApplication } from "../directory/index.js";
import { buildServer } from "./build-server.js";

describe.each(TEST_ENGINES)("POST /oauth2/v2.0/token on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let org: TenantFixture;
  let client: ApplicationFixture;
  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildServer(t, { logger: false });
    org = await createTenantWithAdmin(t);
    client = await createApplicationWithSecret(t, org);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  const form = (overrides: Record<string, string> = {}) => ({
    grant_type: "client_credentials",
    client_id: client.clientId,
    client_secret: client.clientSecret,
    ...overrides,
  });
  const basic = (id: string, secret: string) =>
    `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;

  it("answers a form-encoded client-credentials request with an uncacheable bearer token", async () => {
    const response = await requestToken(app, form());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      access_token: expect.stringMatching(/^tnt_/),
      token_type: "Bearer",
      expires_in: 3600,
    });
    expect(response.headers["cache-control"]).toBe("no-store");
  });

  it("issues a token that calls the API as the application", async () => {
    const headers = await applicationAuthorization(app, client);
    const response = await app.inject({ method: "GET", url: "/v1.0/directoryRoles", headers });
    expect(response.statusCode).toBe(200);
  });

  it("accepts HTTP Basic client authentication", async () => {
    const response = await requestToken(
      app,
      { grant_type: "client_credentials" },
      { authorization: basic(client.clientId, client.clientSecret) },
    );
    expect(response.statusCode).toBe(200);
  });

  it("refuses a wrong secret with 400 invalid_client in OAuth's shape", async () => {
    const response = await requestToken(app, form({ client_secret: "not-the-secret" }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: "invalid_client",
      error_description: expect.any(String),
    });
  });

  it("refuses an unknown client with invalid_client", async () => {
    const response = await requestToken(app, form({ client_id: crypto.randomUUID() }));
    expect(response.json().error).toBe("invalid_client");
  });

  it("refuses a wrong secret sent by Basic with 401 and WWW-Authenticate: Basic", async () => {
    const response = await requestToken(
      app,
      { grant_type: "client_credentials" },
      { authorization: basic(client.clientId, "wrong") },
    );
    expect(response.statusCode).toBe(401);
    expect(response.headers["www-authenticate"]).toMatch(/^Basic/);
    expect(response.json().error).toBe("invalid_client");
  });

  it("refuses a request without client authentication with invalid_client", async () => {
    const response = await requestToken(app, { grant_type: "client_credentials" });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("invalid_client");
  });

  it("refuses two client authentication methods at once with invalid_request", async () => {
    const response = await requestToken(app, form(), {
      authorization: basic(client.clientId, client.clientSecret),
    });
    expect(response.json().error).toBe("invalid_request");
  });

  it("refuses another grant type with unsupported_grant_type", async () => {
    const response = await requestToken(app, form({ grant_type: "password" }));
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("unsupported_grant_type");
  });

  it("refuses a request without grant_type with invalid_request", async () => {
    const { grant_type: _omitted, ...rest } = form();
    const response = await requestToken(app, rest);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("invalid_request");
  });

  it("refuses a JSON body with invalid_request", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/oauth2/v2.0/token",
      payload: form(),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("invalid_request");
  });

  it("refuses a repeated parameter with invalid_request", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/oauth2/v2.0/token",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: `${new URLSearchParams(form()).toString()}&grant_type=client_credentials`,
    });
    expect(response.json().error).toBe("invalid_request");
  });

  it("stops accepting the application's tokens once it is deleted", async () => {
    const doomed = await createApplicationWithSecret(t, org, "Doomed");
    const headers = await applicationAuthorization(app, doomed);
    await deleteApplication(t, org.adminActor, org.tenantId, doomed.application.id);
    const response = await app.inject({ method: "GET", url: "/v1.0/directoryRoles", headers });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe("InvalidAuthenticationToken");
  });
});
