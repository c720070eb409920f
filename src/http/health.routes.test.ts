import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { buildServer } from "./build-server.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(TEST_ENGINES)("health endpoints on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildServer(t);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it("GET /healthz answers 200 ok while the process is up", async () => {
    const response = await app.inject({ method: "GET", url: "/healthz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok" });
  });

  it("GET /readyz answers 200 ready and names the engine when the store answers", async () => {
    const response = await app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ready", engine });
  });

  it("GET /readyz answers 503 in Graph's error shape when the store is gone", async () => {
    const broken = await createTestContext(engine);
    const brokenApp = await buildServer(broken);
    await broken.store.close();
    try {
      const response = await brokenApp.inject({ method: "GET", url: "/readyz" });
      expect(response.statusCode).toBe(503);
      const body = response.json();
      expect(body.error.code).toBe("ServiceUnavailable");
      expect(body.error.message).toContain(engine);
      expect(body.error.innerError["request-id"]).toBe(response.headers["request-id"]);
    } finally {
      await brokenApp.close();
      await broken.close().catch(() => undefined);
    }
  });

  it("generates a UUID request id and echoes it in request-id and client-request-id", async () => {
    const response = await app.inject({ method: "GET", url: "/healthz" });
    expect(response.headers["request-id"]).toMatch(UUID);
    expect(response.headers["client-request-id"]).toBe(response.headers["request-id"]);
  });

  it("honours the caller's client-request-id", async () => {
    const response = await app.inject({
      method: "GET",
      url: "/healthz",
      headers: { "client-request-id": "abc-123", "request-id": "ignored-when-client-id-set" },
    });
    expect(response.headers["request-id"]).toBe("abc-123");
    expect(response.headers["client-request-id"]).toBe("abc-123");
  });

  it("honours a request-id header when no client-request-id is sent", async () => {
    const response = await app.inject({
      method: "GET",
      url: "/healthz",
      headers: { "request-id": "2f1c0a9e-trace" },
    });
    expect(response.headers["client-request-id"]).toBe("2f1c0a9e-trace");
  });

  it("replaces a request id that is not a plausible id instead of echoing it", async () => {
    const response = await app.inject({
      method: "GET",
      url: "/healthz",
      headers: { "client-request-id": "x".repeat(129) },
    });
    expect(response.headers["request-id"]).toMatch(UUID);
  });
});
