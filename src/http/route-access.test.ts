import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { ROUTE_ACCESS } from "../../test/route-table.js";
import { CALLERS, type Caller, callerLabel, type RouteAccess } from "../../test/route-targets.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";

/**
 * Issue 4: every route × role, allowed or denied, as one table (test/route-table.ts, from SPEC §1).
 * Each call acts on a fresh target of its own, so destructive calls never interfere.
 */

interface AccessCase {
  title: string;
  access: RouteAccess;
  caller: Caller;
}

const CASES = ROUTE_ACCESS.flatMap((access) =>
  CALLERS.map((caller) => {
    const allowed = access.allowed.includes(caller);
    const outcome = allowed ? `may call (${access.status})` : "is refused (403)";
    return { title: `${callerLabel(caller)} ${outcome}: ${access.name}`, access, caller, allowed };
  }),
);
const ALLOWED: AccessCase[] = CASES.filter((c) => c.allowed);
const DENIED: AccessCase[] = CASES.filter((c) => !c.allowed);

describe.each(TEST_ENGINES)("route access by role on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let org: TenantFixture;
  const callers = new Map<Caller, { id: string; headers: { authorization: string } }>();

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildTestServer(t);
    org = await createTenantWithAdmin(t);
    for (const caller of CALLERS) {
      const id = await holderOf(caller);
      // Fresh sign-ins with MFA: purge's step-up holds even once a caller has verified an
      // authenticator app in the `me` rows (SPEC §2).
      callers.set(caller, { id, headers: await bearerFor(t, org.tenantId, id, { mfa: true }) });
    }
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  /** The tenant's first Global Administrator, or a new user holding just this role. */
  async function holderOf(caller: Caller): Promise<string> {
    if (caller === "globalAdministrator") return org.admin.id;
    const roles = caller === "member" ? [] : [caller];
    return (await createUserWithRoles(t, org, caller, roles)).user.id;
  }

  async function call({ access, caller }: AccessCase) {
    const { id, headers } = callers.get(caller) ?? expect.unreachable(`no caller ${caller}`);
    const request = await access.prepare({ t, org, callerId: id });
    return app.inject({
      method: access.method,
      url: request.url,
      headers: { ...headers, ...request.headers },
      ...(request.body === undefined ? {} : { payload: request.body as object }),
    });
  }

  it("lists every authenticated route under /v1.0 that GET /openapi.json documents", async () => {
    const document = (await app.inject({ method: "GET", url: "/openapi.json" })).json();
    const documented = Object.entries(document.paths as Record<string, object>)
      .filter(([path]) => path.startsWith("/v1.0/"))
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    const listed = new Set(ROUTE_ACCESS.map((r) => `${r.method} ${r.path}`));
    expect([...listed].sort()).toEqual([...new Set(documented)].sort());
  });

  // Plain loops rather than it.each: its `$title` cuts names after 40 characters.
  for (const c of ALLOWED) {
    it(c.title, async () => {
      const response = await call(c);
      expect(response.statusCode, response.body).toBe(c.access.status);
    });
  }

  for (const c of DENIED) {
    it(c.title, async () => {
      const response = await call(c);
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json().error.code).toBe("Authorization_RequestDenied");
    });
  }
});
