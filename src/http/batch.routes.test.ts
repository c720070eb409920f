import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenantWithAdmin, type TenantFixture } from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: Record<string, unknown> & { error?: { code: string } };
}

describe.each(TEST_ENGINES)("POST /v1.0/$batch on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let org: TenantFixture;
  let headers: { authorization: string };

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildTestServer(t);
    org = await createTenantWithAdmin(t);
    headers = await bearerFor(t, org.tenantId, org.admin.id);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  function batch(requests: unknown[], batchHeaders: Record<string, string> = headers) {
    return app.inject({
      method: "POST",
      url: "/v1.0/$batch",
      headers: batchHeaders,
      payload: { requests },
    });
  }

  async function responsesOf(requests: unknown[]): Promise<Map<string, BatchResponse>> {
    const res = await batch(requests);
    expect(res.statusCode).toBe(200);
    const responses: BatchResponse[] = res.json().responses;
    return new Map(responses.map((r) => [r.id, r]));
  }

  it("runs two independent requests and answers each with its own status, headers and body", async () => {
    const responses = await responsesOf([
      { id: "1", method: "GET", url: "/me" },
      { id: "2", method: "GET", url: `/organization/${org.tenantId}` },
    ]);
    expect(responses.get("1")).toMatchObject({
      status: 200,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: { id: org.admin.id, userPrincipalName: `admin@${org.domain}` },
    });
    expect(responses.get("2")?.body).toMatchObject({ id: org.tenantId });
  });

  it("uses the exact header key Content-Type in every response", async () => {
    const responses = await responsesOf([
      { id: "ok", method: "GET", url: "/me" },
      { id: "missing", method: "GET", url: "/users/nobody@nowhere.example" },
    ]);
    for (const response of responses.values()) {
      expect(Object.keys(response.headers)).toContain("Content-Type");
      expect(Object.keys(response.headers)).not.toContain("content-type");
    }
    expect(responses.get("missing")).toMatchObject({
      status: 404,
      body: { error: { code: "Request_ResourceNotFound" } },
    });
  });

  it("accepts URLs with or without the /v1.0 prefix and a percent-encoded $select", async () => {
    const responses = await responsesOf([
      { id: "bare", method: "GET", url: "users?%24top=1" },
      { id: "prefixed", method: "GET", url: "/v1.0/users?%24top=1" },
    ]);
    for (const id of ["bare", "prefixed"]) {
      expect(responses.get(id)).toMatchObject({ status: 200 });
      expect(responses.get(id)?.body?.value).toHaveLength(1);
    }
  });

  it("sends a request's own body and headers, and gives 204 responses no body", async () => {
    const responses = await responsesOf([
      {
        id: "create",
        method: "POST",
        url: "/groups",
        headers: { "Content-Type": "application/json", ConsistencyLevel: "eventual" },
        body: {
          displayName: "Batched",
          mailEnabled: false,
          mailNickname: "b",
          securityEnabled: true,
        },
      },
    ]);
    const created = responses.get("create");
    expect(created).toMatchObject({ status: 201, body: { displayName: "Batched" } });

    const updated = await responsesOf([
      {
        id: "rename",
        method: "PATCH",
        url: `/groups/${String(created?.body?.id)}`,
        body: { displayName: "Renamed" },
      },
    ]);
    expect(updated.get("rename")?.status).toBe(204);
    expect(updated.get("rename")).not.toHaveProperty("body");
  });

  it("answers 424 for a request whose dependency failed, without running it", async () => {
    const responses = await responsesOf([
      { id: "1", method: "GET", url: "/groups/00000000-0000-7000-8000-000000000000" },
      {
        id: "2",
        method: "POST",
        url: "/groups",
        dependsOn: ["1"],
        body: {
          displayName: "Never",
          mailEnabled: false,
          mailNickname: "n",
          securityEnabled: true,
        },
      },
      { id: "3", method: "GET", url: "/me", dependsOn: ["2"] },
    ]);
    expect(responses.get("1")?.status).toBe(404);
    expect(responses.get("2")).toMatchObject({
      status: 424,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: { error: { code: "FailedDependency" } },
    });
    expect(responses.get("3")?.status).toBe(424);
    const groups = await app.inject({ method: "GET", url: "/v1.0/groups", headers });
    const names = groups.json().value.map((g: { displayName: string }) => g.displayName);
    expect(names).not.toContain("Never");
  });

  it("runs a request after the one it depends on even when listed first", async () => {
    const res = await batch([
      { id: "read", method: "GET", url: "/organization", dependsOn: ["rename"] },
      {
        id: "rename",
        method: "PATCH",
        url: `/organization/${org.tenantId}`,
        body: { displayName: "Renamed Org" },
      },
    ]);
    const [read, rename] = res.json().responses as BatchResponse[];
    expect(rename).toMatchObject({ id: "rename", status: 204 });
    expect(read?.body?.value).toMatchObject([{ displayName: "Renamed Org" }]);
  });

  it("refuses more than 20 requests with 400", async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({
      id: `${i}`,
      method: "GET",
      url: "/me",
    }));
    const res = await batch(requests);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("Request_BadRequest");
  });

  it("refuses duplicate ids with 400", async () => {
    const res = await batch([
      { id: "1", method: "GET", url: "/me" },
      { id: "1", method: "GET", url: "/organization" },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].code).toBe("BATCH_DUPLICATE_ID");
  });

  it("refuses a dependsOn that names no request of the batch with 400", async () => {
    const res = await batch([{ id: "1", method: "GET", url: "/me", dependsOn: ["9"] }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].code).toBe("BATCH_DEPENDENCY_UNKNOWN");
  });

  it("answers 400 for a nested $batch item and runs the others", async () => {
    const responses = await responsesOf([
      { id: "nested", method: "POST", url: "/$batch", body: { requests: [] } },
      { id: "encoded", method: "POST", url: "%24batch", body: { requests: [] } },
      { id: "fine", method: "GET", url: "/me" },
    ]);
    expect(responses.get("nested")?.status).toBe(400);
    expect(responses.get("encoded")?.status).toBe(400);
    expect(responses.get("fine")?.status).toBe(200);
  });

  it("answers 401 to a batch without a token", async () => {
    const res = await batch([{ id: "1", method: "GET", url: "/me" }], {});
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("InvalidAuthenticationToken");
  });
});
