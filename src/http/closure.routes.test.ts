import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ClosureTenant,
  closureScheduler,
  createClosureTenant,
  snapshotAllTables,
} from "../../test/closure-fixtures.js";
import { createUserWithRoles } from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { deleteApplication } from "../directory/index.js";

/** Issue 6: the closure's routes — checks, plan and the five steps — over real HTTP. */

const PATH = "/v1.0/organization/closure";

describe.each(TEST_ENGINES)("closure routes on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildTestServer(t);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  async function setUp(): Promise<{ c: ClosureTenant; headers: Record<string, string> }> {
    const c = await createClosureTenant(t);
    return { c, headers: await bearerFor(t, c.org.tenantId, c.org.admin.id, { mfa: true }) };
  }

  function post(headers: Record<string, string>, step: string, payload?: unknown) {
    return app.inject({
      method: "POST",
      url: `${PATH}/steps/${step}`,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }

  it("lists the seven deletion checks in zh-CN for Accept-Language zh-CN", async () => {
    const { headers } = await setUp();
    const response = await app.inject({
      method: "GET",
      url: `${PATH}/checks`,
      headers: { ...headers, "accept-language": "zh-CN,zh;q=0.9" },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers["content-language"]).toBe("zh-CN");
    const { value } = response.json();
    expect(value.map((c: { id: string }) => c.id)).toEqual([
      "callerIsGlobalAdministrator",
      "noOtherUsers",
      "syncOff",
      "noApplications",
      "subscriptionsDeprovisioned",
      "noUnpaidBalance",
      "mfaOff",
    ]);
    expect(value[3]).toEqual({
      id: "noApplications",
      status: "failed",
      count: 1,
      title: "删除所有应用程序",
      detail: expect.stringContaining("1 个"),
      fixUrl: "/admin/applications",
    });
  });

  it("runs the steps in the seed's order and then deletes the organization; its token stops working", async () => {
    const { c, headers } = await setUp();
    const users = await post(headers, "deleteUsers", { purge: true });
    expect(users.statusCode, users.body).toBe(200);
    expect(users.json().value).toHaveLength(9);
    const cancel = await post(headers, "cancelSubscriptions", {
      reason: "unused",
      feedback: "bye",
    });
    expect(cancel.json()).toEqual({ value: [{ id: c.subscriptionId, outcome: "ok" }] });
    const del = await post(headers, "deleteDisabledSubscriptions");
    expect(del.json()).toEqual({ value: [{ id: c.subscriptionId, outcome: "ok" }] });
    expect((await post(headers, "disableMfa")).json()).toEqual({ value: [] });

    const early = await post(headers, "deleteTenant", { confirmDomain: c.org.domain });
    expect(early.statusCode, early.body).toBe(409);
    expect(early.json().error.details[0].code).toBe("CLOSURE_CHECKS_FAILED");
    expect(early.json().error.info.failedChecks.map((f: { id: string }) => f.id)).toEqual([
      "noApplications",
      "subscriptionsDeprovisioned",
    ]);

    await deleteApplication(t, c.org.adminActor, c.org.tenantId, c.app.application.id);
    t.clock.advance(t.config.deprovisionDelayMs + 3_600_000);
    await closureScheduler(t).runDueJobs();
    // Three days later: a fresh sign-in (with MFA), as the irreversible step needs.
    const fresh = await bearerFor(t, c.org.tenantId, c.org.admin.id, { mfa: true });
    const done = await post(fresh, "deleteTenant", { confirmDomain: c.org.domain });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ value: [{ id: c.org.tenantId, outcome: "ok" }] });
    const after = await app.inject({ method: "GET", url: `${PATH}/checks`, headers: fresh });
    expect(after.statusCode).toBe(401);
  });

  it("refuses a caller who is not a Global Administrator with 403 GLOBAL_ADMINISTRATOR_REQUIRED", async () => {
    const { c } = await setUp();
    const { user } = await createUserWithRoles(t, c.org, "pa", [
      "privilegedAuthenticationAdministrator",
    ]);
    const headers = await bearerFor(t, c.org.tenantId, user.id, { mfa: true });
    const before = await snapshotAllTables(t);
    for (const response of [
      await post(headers, "deleteUsers"),
      await post(headers, "disableMfa"),
      await app.inject({ method: "GET", url: `${PATH}/plan`, headers }),
    ]) {
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json().error.details[0].code).toBe("GLOBAL_ADMINISTRATOR_REQUIRED");
    }
    expect(await snapshotAllTables(t)).toEqual(before);
  });

  it("refuses bad input with 400 and an unknown step with 404, changing nothing", async () => {
    const { c, headers } = await setUp();
    const before = await snapshotAllTables(t);
    const cases = [
      await post(headers, "cancelSubscriptions", { reason: "bored" }),
      await post(headers, "deleteUsers", { purge: "yes" }),
      await post(headers, "deleteTenant", {}),
      await post(headers, "deleteTenant", { confirmDomain: `x${c.org.domain}` }),
    ];
    for (const response of cases) {
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.code).toBe("Request_BadRequest");
    }
    expect((await post(headers, "deleteEverything")).statusCode).toBe(404);
    expect(await snapshotAllTables(t)).toEqual(before);
  });

  it("returns the plan and changes nothing", async () => {
    const { headers } = await setUp();
    const before = await snapshotAllTables(t);
    const response = await app.inject({ method: "GET", url: `${PATH}/plan`, headers });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().steps.deleteUsers.users.total).toBe(4);
    expect(await snapshotAllTables(t)).toEqual(before);
  });
});
