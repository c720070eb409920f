import type { FastifyInstance } from "fastify";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { billingRows } from "../../test/billing-payment-fixtures.js";
import {
  auditEntries,
  createTenantWithAdmin,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { bearerFor } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { buildServer } from "./build-server.js";
import { redactUrl } from "./card-number-guard.js";

/**
 * Issue 5, SPEC §3: a full card number anywhere in a request to /v1.0 is refused (400
 * CARD_NUMBER_REJECTED) before any handler runs: never stored, never audited, never logged.
 */

const CARD = "4111111111111111";
const GROUPED = "4111 1111 1111 1111";

describe("redacting card numbers in URLs", () => {
  it("replaces a number in a path segment or a query value, and names where it was", () => {
    expect(redactUrl(`/v1.0/users/${CARD}`)).toEqual({
      url: "/v1.0/users/CARD-NUMBER-REMOVED",
      field: "path",
    });
    expect(redactUrl("/v1.0/users?$filter=mail eq '4111%201111%201111%201111'&$top=5")).toEqual({
      url: "/v1.0/users?$filter=mail%20eq%20'CARD-NUMBER-REMOVED'&$top=5",
      field: "query parameter $filter",
    });
    expect(redactUrl("/v1.0/users?note=4111+1111+1111+1111")?.url).toBe(
      "/v1.0/users?note=CARD-NUMBER-REMOVED",
    );
  });

  it("leaves URLs without card numbers alone", () => {
    expect(redactUrl("/v1.0/users/01234567-1234-7123-8123-123456789012?$top=999")).toBeUndefined();
    expect(redactUrl("/v1.0/users?$filter=mail eq '4111111111111112'")).toBeUndefined();
  });
});

describe.each(TEST_ENGINES)("the card-number guard on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let org: TenantFixture;
  let headers: { authorization: string };
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await createTestContext(engine);
    // The server logs requests through ctx.log, as in production; here into memory.
    const log = pino({ level: "debug" }, { write: (line: string) => logLines.push(line) });
    app = await buildServer({ ...t, log });
    org = await createTenantWithAdmin(t);
    headers = await bearerFor(t, org.tenantId, org.admin.id);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });
  beforeEach(() => {
    logLines.length = 0;
  });

  /** The request's log lines hold none of the number's digits in a row, however grouped. */
  function expectLogClean(): void {
    const text = logLines.join("\n");
    expect(text).toContain("incoming request");
    expect(text.replace(/%20|[ +-]/g, "")).not.toContain("41111111");
  }

  function expectRejected(response: { statusCode: number; body: string; json(): unknown }) {
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({
      error: { code: "Request_BadRequest", details: [{ code: "CARD_NUMBER_REJECTED" }] },
    });
    expect(response.body.replace(/[ -]/g, "")).not.toContain(CARD);
  }

  async function post(url: string, payload: unknown, contentType = "application/json") {
    return app.inject({
      method: "POST",
      url,
      headers: { ...headers, "content-type": contentType },
      payload: typeof payload === "string" ? payload : JSON.stringify(payload),
    });
  }

  it("refuses a card number given as a payment method's token; nothing is stored or audited", async () => {
    const before = await billingRows(t, org.tenantId);
    const audited = (await auditEntries(t, org.tenantId)).length;
    const card = {
      type: "card",
      brand: "visa",
      last4: "1111",
      expMonth: 12,
      expYear: 2030,
      holderName: "Ada",
      token: GROUPED,
    };
    const response = await post("/v1.0/billing/paymentMethods", card);
    expectRejected(response);
    expect(response.json().error.message).toContain("token");
    expect(await billingRows(t, org.tenantId)).toEqual(before);
    expect(await auditEntries(t, org.tenantId)).toHaveLength(audited);
    expectLogClean();
  });

  it("refuses a number grouped by dashes deep in nested JSON, naming where it was", async () => {
    const body = {
      requests: [
        { id: "1", method: "GET", url: "/me" },
        {
          id: "2",
          method: "PATCH",
          url: "/me",
          body: { notes: ["x", { memo: "4111-1111-1111-1111" }] },
        },
      ],
    };
    const response = await post("/v1.0/$batch", body);
    expectRejected(response);
    expect(response.json().error.message).toContain("requests[1].body.notes[1].memo");
    expectLogClean();
  });

  it("refuses a number written as a JSON number, or with JSON escapes", async () => {
    expectRejected(await post("/v1.0/groups", `{"displayName": ${CARD}}`));
    expectRejected(await post("/v1.0/groups", '{"displayName": "\\u0034111111111111111"}'));
  });

  it("refuses a number in a body that is not even valid JSON, without quoting it", async () => {
    const response = await post("/v1.0/groups", `{"displayName": "${CARD}",,,`);
    expectRejected(response);
    expectLogClean();
  });

  it("refuses a number in the query string, and logs the URL without it", async () => {
    const filter = encodeURIComponent(`displayName eq '${GROUPED}'`);
    const response = await app.inject({
      method: "GET",
      url: `/v1.0/users?$filter=${filter}`,
      headers,
    });
    expectRejected(response);
    expect(response.json().error.message).toContain("$filter");
    expectLogClean();
    expect(logLines.join("\n")).toContain("CARD-NUMBER-REMOVED");
  });

  it("refuses a number in the path, even where no route is", async () => {
    for (const url of [`/v1.0/users/${CARD}`, `/v1.0/nowhere/${CARD}`, `/elsewhere?q=${CARD}`]) {
      logLines.length = 0;
      expectRejected(await app.inject({ method: "GET", url, headers }));
      expectLogClean();
    }
  });

  it("refuses before authentication: a request without a token gets the same 400", async () => {
    expectRejected(await app.inject({ method: "GET", url: `/v1.0/users/${CARD}` }));
  });

  it("lets through digit runs that are not card numbers", async () => {
    const filter = encodeURIComponent("displayName eq '4111111111111112'");
    const response = await app.inject({
      method: "GET",
      url: `/v1.0/users?$filter=${filter}`,
      headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    const created = await post("/v1.0/groups", {
      displayName: "Team 4111 1111 1111 1112",
      mailEnabled: false,
      mailNickname: "team",
      securityEnabled: true,
    });
    expect(created.statusCode, created.body).toBe(201);
  });
});
