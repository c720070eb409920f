import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { lintFromString, loadConfig, type NormalizedProblem } from "@redocly/openapi-core";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

type Operation = {
  tags?: string[];
  operationId?: string;
  security?: unknown[];
  responses?: Record<string, unknown>;
};
type Document = {
  openapi: string;
  info: { title: string; version: string };
  components: { securitySchemes: Record<string, unknown> };
  security: unknown[];
  tags: { name: string }[];
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
};

function operationsOf(document: Document): { key: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) =>
      item[method] ? [{ key: `${method.toUpperCase()} ${path}`, operation: item[method] }] : [],
    ),
  );
}

/** The document contains no data, so one engine is enough. */
describe("the OpenAPI document at /openapi.json", () => {
  let t: TestContext;
  let app: FastifyInstance;
  let document: Document;

  beforeAll(async () => {
    t = await createTestContext(TEST_ENGINES[0] ?? "sqlite");
    app = await buildTestServer(t);
    const res = await app.inject({ url: "/openapi.json" });
    expect(res.statusCode).toBe(200);
    document = res.json();
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it("is OpenAPI 3.1 named after Tenantry, at package.json's version, served without a token", () => {
    const pkg = JSON.parse(fs.readFileSync(`${ROOT}/package.json`, "utf8")) as { version: string };
    expect(document.openapi).toBe("3.1.0");
    expect(document.info).toMatchObject({ title: "Tenantry API", version: pkg.version });
  });

  it("declares HTTP bearer and the OAuth 2.0 client-credentials flow of /oauth2/v2.0/token", () => {
    expect(document.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: "http", scheme: "bearer" }),
      oauth2: expect.objectContaining({
        type: "oauth2",
        flows: { clientCredentials: { tokenUrl: "/oauth2/v2.0/token", scopes: {} } },
      }),
    });
    expect(document.security).toEqual([{ bearer: [] }, { oauth2: [] }]);
  });

  it("marks sign-in, the token endpoint and the probes public, and the API authenticated", () => {
    const post = (path: string) => document.paths[path]?.post;
    expect(post("/auth/signin")?.security).toEqual([]);
    expect(post("/oauth2/v2.0/token")?.security).toEqual([]);
    expect(document.paths["/healthz"]?.get?.security).toEqual([]);
    expect(document.paths["/v1.0/users"]?.get?.security).toBeUndefined();
    expect(post("/auth/signout")?.security).toBeUndefined();
  });

  it("gives every operation a tag of its area and a unique operationId", () => {
    const operations = operationsOf(document);
    const untagged = operations.filter(({ operation }) => !operation.tags?.length);
    expect(untagged.map((o) => o.key)).toEqual([]);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const tagOf = (path: string, method: "get" | "post" = "get") =>
      document.paths[path]?.[method]?.tags;
    expect(tagOf("/v1.0/users")).toEqual(["users"]);
    expect(tagOf("/v1.0/me")).toEqual(["me"]);
    expect(tagOf("/v1.0/directory/deletedItems/microsoft.graph.user")).toEqual([
      "directoryObjects",
    ]);
    expect(tagOf("/v1.0/directoryRoles")).toEqual(["directoryRoles"]);
    expect(tagOf("/v1.0/applications")).toEqual(["applications"]);
    expect(tagOf("/auth/signin", "post")).toEqual(["auth"]);
    expect(tagOf("/oauth2/v2.0/token", "post")).toEqual(["auth"]);
    expect(tagOf("/healthz")).toEqual(["health"]);
    const listed = document.tags.map((tag) => tag.name);
    const used = new Set(operations.flatMap(({ operation }) => operation.tags ?? []));
    expect(listed).toEqual([...used].sort());
  });

  it("keeps `$` segments, Graph's alternate keys and path addressing literally, and no Fastify syntax", () => {
    const paths = Object.keys(document.paths);
    expect(paths).toContain("/v1.0/users/{id}/drive/root:/{path}:/content");
    expect(paths).toContain("/v1.0/directoryRoles/{id}/members/$ref");
    expect(paths).toContain("/v1.0/directoryRoles/{id}/members/{memberId}/$ref");
    expect(paths).toContain("/v1.0/applications(appId='{id}')");
    expect(paths).toContain("/v1.0/$batch");
    expect(paths).toContain("/v1.0/users/$count");
    // Graph's own `root:/{path}:/content` is the one place a colon belongs in a path.
    const fastifySyntax = paths
      .map((p) => p.replace(/\/drive\/root:\/\{path\}:\/content$/, "/drive/root/content"))
      .filter((p) => /[:*]|\{regexp|%2[89]/.test(p));
    expect(fastifySyntax).toEqual([]);
  });

  it("leaves out the document itself and the reference page", () => {
    const paths = Object.keys(document.paths);
    expect(paths.filter((p) => p === "/openapi.json" || p.startsWith("/docs"))).toEqual([]);
  });

  it("documents Graph's error body on every operation (OAuth's on the token endpoint)", () => {
    for (const { key, operation } of operationsOf(document)) {
      const error = key.includes("/oauth2/") ? "OAuthError" : "GraphError";
      expect(operation.responses?.["4XX"], key).toEqual({
        $ref: `#/components/responses/${error}`,
      });
    }
  });

  it("passes `redocly lint` with the committed redocly.yaml: no errors (warnings listed)", async () => {
    const config = await loadConfig({ configPath: `${ROOT}/redocly.yaml` });
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: `${ROOT}/openapi.json`,
      config,
    });
    const describe = (p: NormalizedProblem) =>
      `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? "?"}`;
    const warnings = problems.filter((p) => p.severity === "warn");
    if (warnings.length > 0) {
      const byRule = new Map<string, number>();
      for (const p of warnings) byRule.set(p.ruleId, (byRule.get(p.ruleId) ?? 0) + 1);
      const counts = [...byRule].map(([rule, n]) => `${rule} ×${n}`).join(", ");
      console.warn(`redocly lint: ${warnings.length} warnings (${counts})`);
    }
    expect(problems.filter((p) => p.severity === "error").map(describe)).toEqual([]);
  });

  /**
   * Any change to a route's schema changes this snapshot; review the diff, then update it with
   * `npx vitest run -u src/http/openapi` (CONTRIBUTING.md). The version is left out so a release
   * does not touch it.
   */
  it("matches the committed snapshot", async () => {
    const snapshot = { ...document, info: { ...document.info, version: "(package.json)" } };
    await expect(`${JSON.stringify(snapshot, null, 2)}\n`).toMatchFileSnapshot(
      "./__snapshots__/openapi.json.snap",
    );
  });
});
