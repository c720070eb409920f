import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";

/** The API reference page renders the OpenAPI document with assets Tenantry serves itself. */
describe("the API reference at /docs", () => {
  let t: TestContext;
  let app: FastifyInstance;
  let html: string;

  beforeAll(async () => {
    t = await createTestContext(TEST_ENGINES[0] ?? "sqlite");
    app = await buildTestServer(t);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it("answers 200 with an HTML page, without a token", async () => {
    const res = await app.inject({ url: "/docs" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    html = res.body;
    expect(html).toContain('<div id="swagger-ui">');
  });

  it("references no asset outside this server (no CDN)", () => {
    expect(html).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
    expect(html).not.toContain("https://");
  });

  it("serves every script and stylesheet the page references", async () => {
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(assets.filter((a) => a.endsWith(".js")).length).toBeGreaterThanOrEqual(3);
    expect(assets.filter((a) => a.endsWith(".css")).length).toBeGreaterThanOrEqual(1);
    for (const asset of assets) {
      const res = await app.inject({ url: new URL(asset, "http://localhost/docs").pathname });
      expect(res.statusCode, asset).toBe(200);
      expect(res.body.length, asset).toBeGreaterThan(0);
    }
  });

  it("points Swagger UI at a document the server serves", async () => {
    const initializer = await app.inject({ url: "/docs/static/swagger-initializer.js" });
    expect(initializer.statusCode).toBe(200);
    expect(initializer.body).toContain("resolveUrl('./json')");
    const document = await app.inject({ url: "/docs/json" });
    expect(document.statusCode).toBe(200);
    expect(document.json()).toMatchObject({ openapi: "3.1.0", info: { title: "Tenantry API" } });
  });

  it("has a Content-Security-Policy that allows this server's assets only", async () => {
    const res = await app.inject({ url: "/docs" });
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("https:");
    expect(csp).not.toContain("upgrade-insecure-requests");
  });
});
