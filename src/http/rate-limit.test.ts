import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWithAdmin, type TenantFixture } from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";

describe.each(TEST_ENGINES)("per-token rate limit and strict bodies on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let org: TenantFixture;

  beforeAll(async () => {
    t = await createTestContext(engine, { config: { rateLimitPerMinute: 3 } });
    app = await buildTestServer(t);
    org = await createTenantWithAdmin(t);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it("answers 429 TooManyRequests with Retry-After once a token exceeds its requests per minute", async () => {
    const headers = await bearerFor(t, org.tenantId, org.admin.id);
    for (let i = 0; i < 3; i++) {
      expect((await app.inject({ method: "GET", url: "/v1.0/me", headers })).statusCode).toBe(200);
    }
    const limited = await app.inject({ method: "GET", url: "/v1.0/me", headers });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.json().error.code).toBe("TooManyRequests");
  });

  it("counts each token on its own", async () => {
    const other = await bearerFor(t, org.tenantId, org.admin.id);
    expect((await app.inject({ method: "GET", url: "/v1.0/me", headers: other })).statusCode).toBe(
      200,
    );
  });

  it("never limits the health probes", async () => {
    for (let i = 0; i < 5; i++)
      expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });

  it("refuses a JSON null where a boolean belongs instead of reading it as false", async () => {
    const headers = await bearerFor(t, org.tenantId, org.admin.id);
    const res = await app.inject({
      method: "PATCH",
      url: `/v1.0/users/${org.admin.id}`,
      headers,
      payload: { accountEnabled: null },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("Request_BadRequest");
    const me = await app.inject({
      method: "GET",
      url: "/v1.0/me",
      headers: await bearerFor(t, org.tenantId, org.admin.id),
    });
    expect(me.json().accountEnabled).toBe(true);
  });
});
