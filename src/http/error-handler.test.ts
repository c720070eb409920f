import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { AppError, type ErrorKind } from "../shared/app-error.js";
import { buildServer } from "./build-server.js";

const CASES: Array<[ErrorKind, number, string]> = [
  ["Invalid", 400, "Request_BadRequest"],
  ["Unauthorized", 401, "InvalidAuthenticationToken"],
  ["Forbidden", 403, "Authorization_RequestDenied"],
  ["NotFound", 404, "Request_ResourceNotFound"],
  ["Conflict", 409, "Request_Conflict"],
  ["Blocked", 409, "Request_Conflict"],
  ["TooManyRequests", 429, "TooManyRequests"],
];

describe.each(TEST_ENGINES)("HTTP error mapping on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildServer(t);
    // Routes of the test's own, to exercise the handler as an area's route would.
    app.get<{ Params: { kind: ErrorKind } }>("/test/fail/:kind", async (request) => {
      throw new AppError(request.params.kind, "SOMETHING_WRONG", "Something is wrong.", {
        retryAfterSeconds: 7,
      });
    });
    app.get("/test/crash", async () => {
      throw new Error("connection string postgres://admin:hunter2@db");
    });
    app.post(
      "/test/echo",
      {
        schema: {
          body: {
            type: "object",
            required: ["name"],
            properties: { name: { type: "string" } },
            additionalProperties: false,
          },
        },
      },
      async (request) => request.body,
    );
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it.each(CASES)(
    "maps AppError kind %s to status %i and Graph code %s, keeping our code in details",
    async (kind, status, graphCode) => {
      const response = await app.inject({
        method: "GET",
        url: `/test/fail/${kind}`,
        headers: { "client-request-id": "req-1" },
      });
      expect(response.statusCode).toBe(status);
      expect(response.json()).toEqual({
        error: {
          code: graphCode,
          message: "Something is wrong.",
          innerError: {
            date: "2026-01-15T09:00:00Z",
            "request-id": "req-1",
            "client-request-id": "req-1",
          },
          details: [{ code: "SOMETHING_WRONG", message: "Something is wrong." }],
          info: { retryAfterSeconds: 7 },
        },
      });
    },
  );

  it("sets Retry-After on 429 from the error's retryAfterSeconds", async () => {
    const response = await app.inject({ method: "GET", url: "/test/fail/TooManyRequests" });
    expect(response.headers["retry-after"]).toBe("7");
  });

  it("asks for a bearer token on 401", async () => {
    const response = await app.inject({ method: "GET", url: "/test/fail/Unauthorized" });
    expect(response.headers["www-authenticate"]).toBe("Bearer");
  });

  it("answers a body that fails its schema with 400 BadRequest naming the field", async () => {
    const response = await app.inject({ method: "POST", url: "/test/echo", payload: {} });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe("Request_BadRequest");
    expect(body.error.message).toContain("name");
    expect(body.error.innerError["request-id"]).toBe(response.headers["request-id"]);
  });

  it("answers malformed JSON with 400 BadRequest", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/test/echo",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("Request_BadRequest");
  });

  it("answers an unknown route with 404 in Graph's error shape", async () => {
    const response = await app.inject({ method: "GET", url: "/v1.0/nowhere?x=1" });
    expect(response.statusCode).toBe(404);
    const body = response.json();
    expect(body.error.code).toBe("Request_ResourceNotFound");
    expect(body.error.message).toBe("No resource at GET /v1.0/nowhere.");
    expect(response.headers["request-id"]).toBe(body.error.innerError["request-id"]);
  });

  it("answers an unexpected error with 500 and does not leak its message", async () => {
    const response = await app.inject({ method: "GET", url: "/test/crash" });
    expect(response.statusCode).toBe(500);
    const body = response.json();
    expect(body.error.code).toBe("InternalServerError");
    expect(response.body).not.toContain("hunter2");
    expect(body.error.message).toContain(response.headers["request-id"]);
  });
});
