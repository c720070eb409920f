import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  OPERATOR,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { enrolTotp, postJson, setMfaState } from "../../test/signin-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { deleteUser, type RoleName } from "../directory/index.js";

const REPORT = "/v1.0/reports/authenticationMethods/userRegistrationDetails";

interface Registration {
  id: string;
  userPrincipalName: string;
  isAdmin: boolean;
  isMfaRegistered: boolean;
  methodsRegistered: string[];
  perUserMfaState: string;
}
interface Page {
  "@odata.context": string;
  "@odata.nextLink"?: string;
  value: Registration[];
}

/** Every live user's MFA registration and per-user MFA state, in one paged listing. */
describe.each(TEST_ENGINES)("userRegistrationDetails on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let org: TenantFixture;
  let other: TenantFixture;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildTestServer(t);
    org = await createTenantWithAdmin(t);
    other = await createTenantWithAdmin(t);
    ids.admin = org.admin.id;
    for (const [alias, roles] of [
      ["registered", []],
      ["pending", []],
      ["enforced", []],
      ["plain", []],
      ["useradmin", ["userAdministrator"]],
      ["deleted", []],
    ] as const) {
      ids[alias] = (await createUserWithRoles(t, org, alias, [...roles])).user.id;
    }
    await setMfaState(t, org, ids.enforced as string, "enforced");
    // Enabled, then enforced by its first registration (as in Microsoft 365).
    await setMfaState(t, org, ids.registered as string, "enabled");
    const tokenOf = async (id: string) =>
      (await bearerFor(t, org.tenantId, id)).authorization.slice("Bearer ".length);
    await enrolTotp(t, app, await tokenOf(ids.registered as string));
    // Started, never verified: not a registered method.
    const started = await postJson(
      app,
      "/v1.0/me/authentication/softwareOathMethods",
      {},
      { token: await tokenOf(ids.pending as string) },
    );
    expect(started.statusCode).toBe(201);
    await deleteUser(t, OPERATOR, org.tenantId, ids.deleted as string);
    await createUserWithRoles(t, other, "stranger");
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  let readers = 0;
  async function readerHeaders(role: RoleName | "member") {
    readers += 1;
    const { user } = await createUserWithRoles(
      t,
      org,
      `reader${readers}`,
      role === "member" ? [] : [role],
    );
    ids[`reader${readers}`] = user.id;
    return bearerFor(t, org.tenantId, user.id);
  }
  const get = (url: string, headers: Record<string, string>) =>
    app.inject({ method: "GET", url, headers });
  const admin = () => bearerFor(t, org.tenantId, org.admin.id);

  /** Every page of a listing, following @odata.nextLink. */
  async function readAll(url: string, headers: Record<string, string>) {
    const pages: Page[] = [];
    let next: string | undefined = url;
    while (next) {
      const response = await get(next.replace(/^https?:\/\/[^/]+/, ""), headers);
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json() as Page;
      pages.push(page);
      next = page["@odata.nextLink"];
    }
    return { pages, value: pages.flatMap((p) => p.value) };
  }

  it("lists every live user of the organization with registration and per-user MFA state", async () => {
    const { pages, value } = await readAll(REPORT, await admin());
    expect(pages[0]?.["@odata.context"]).toMatch(
      /\/v1\.0\/\$metadata#reports\/authenticationMethods\/userRegistrationDetails$/,
    );
    const byId = new Map(value.map((r) => [r.id, r]));
    expect(byId.get(ids.registered as string)).toMatchObject({
      isMfaRegistered: true,
      methodsRegistered: ["softwareOneTimePasscode"],
      perUserMfaState: "enforced",
      isAdmin: false,
    });
    expect(byId.get(ids.pending as string)).toMatchObject({
      isMfaRegistered: false,
      methodsRegistered: [],
    });
    expect(byId.get(ids.enforced as string)?.perUserMfaState).toBe("enforced");
    expect(byId.get(ids.plain as string)?.perUserMfaState).toBe("disabled");
    expect(byId.get(ids.useradmin as string)?.isAdmin).toBe(true);
    expect(byId.get(ids.admin as string)?.isAdmin).toBe(true);
    // Not the recycle bin, not another organization; in id order.
    expect(byId.has(ids.deleted as string)).toBe(false);
    expect(value.every((r) => r.userPrincipalName.endsWith(`@${org.domain}`))).toBe(true);
    expect(value.map((r) => r.id)).toEqual(value.map((r) => r.id).sort());
  });

  it("pages with $top and a self-contained nextLink that keeps the $filter", async () => {
    const headers = await admin();
    const all = (await readAll(REPORT, headers)).value.map((r) => r.id);
    const paged = await readAll(`${REPORT}?$top=2`, headers);
    expect(paged.pages.every((p) => p.value.length <= 2)).toBe(true);
    expect(paged.value.map((r) => r.id)).toEqual(all);

    const filter = encodeURIComponent("perUserMfaState ne 'disabled'");
    const filtered = await readAll(`${REPORT}?$top=1&$filter=${filter}`, headers);
    expect(filtered.value.map((r) => r.id)).toEqual(
      [ids.enforced, ids.registered].sort() as string[],
    );
  });

  it.each([
    ["perUserMfaState eq 'enforced'", ["enforced", "registered"]],
    ["perUserMfaState in ('enabled', 'enforced') and isMfaRegistered eq true", ["registered"]],
    ["isMfaCapable eq false and isAdmin eq false and perUserMfaState eq 'enabled'", []],
    ["isAdmin eq true", ["admin", "useradmin"]],
    ["isAdmin eq true and isAdmin eq false", []],
  ])("filters %s", async (expression, expected) => {
    const fixture = ["admin", "registered", "pending", "enforced", "plain", "useradmin"].map(
      (alias) => ids[alias],
    );
    const response = await get(
      `${REPORT}?$filter=${encodeURIComponent(expression)}`,
      await admin(),
    );
    expect(response.statusCode, response.body).toBe(200);
    const found = (response.json() as Page).value.map((r) => r.id);
    // Readers made by other tests are plain users too; only the fixture's users are compared.
    expect(found.filter((id) => fixture.includes(id)).sort()).toEqual(
      expected.map((alias) => ids[alias]).sort(),
    );
  });

  it.each([
    "displayName eq 'x'",
    "perUserMfaState eq 'sometimes'",
    "isAdmin eq 'yes'",
    "perUserMfaState eq 'enabled' or isAdmin eq true",
    "not (isAdmin eq true)",
    "startswith(perUserMfaState, 'en')",
  ])("refuses the filter %s with 400", async (expression) => {
    const response = await get(
      `${REPORT}?$filter=${encodeURIComponent(expression)}`,
      await admin(),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("Request_BadRequest");
  });

  it.each([
    ["$top=0", "$top"],
    ["$top=1000", "$top"],
    ["$skiptoken=not-a-token", "$skiptoken"],
    ["$select=id", "$select"],
  ])("refuses %s with 400", async (query, field) => {
    const response = await get(`${REPORT}?${query}`, await admin());
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].target).toBe(field);
  });

  it("shows a Global Reader everyone, an Authentication Administrator the users without a role", async () => {
    const everyone = (await readAll(REPORT, await admin())).value.map((r) => r.id);
    const reader = (await readAll(REPORT, await readerHeaders("globalReader"))).value;
    expect(reader.map((r) => r.id)).toEqual(expect.arrayContaining(everyone));

    const authenticationAdmin = (
      await readAll(REPORT, await readerHeaders("authenticationAdministrator"))
    ).value;
    expect(authenticationAdmin.length).toBeGreaterThan(0);
    expect(authenticationAdmin.every((r) => !r.isAdmin)).toBe(true);
    expect(authenticationAdmin.map((r) => r.id)).toContain(ids.registered);
    expect(authenticationAdmin.map((r) => r.id)).not.toContain(ids.useradmin);
    const adminsOnly = await get(
      `${REPORT}?$filter=${encodeURIComponent("isAdmin eq true")}`,
      await readerHeaders("authenticationAdministrator"),
    );
    expect((adminsOnly.json() as Page).value).toEqual([]);
  });

  it.each(["userAdministrator", "billingAdministrator", "member"] as const)(
    "refuses %s with 403",
    async (role) => {
      const response = await get(REPORT, await readerHeaders(role));
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe("Authorization_RequestDenied");
    },
  );

  it("reads one user's registration by id, under the same rule per target", async () => {
    const one = await get(`${REPORT}/${ids.registered}`, await admin());
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json()).toMatchObject({
      "@odata.context": expect.stringMatching(/userRegistrationDetails\/\$entity$/),
      id: ids.registered,
      isMfaRegistered: true,
      perUserMfaState: "enforced",
    });
    const authenticationAdmin = await readerHeaders("authenticationAdministrator");
    expect((await get(`${REPORT}/${ids.plain}`, authenticationAdmin)).statusCode).toBe(200);
    const admin403 = await get(`${REPORT}/${ids.useradmin}`, authenticationAdmin);
    expect(admin403.statusCode).toBe(403);
    // The recycle bin, another organization and an unknown id are all 404.
    const strangerId = (
      await get(REPORT, await bearerFor(t, other.tenantId, other.admin.id))
    ).json().value[0].id as string;
    for (const id of [ids.deleted, strangerId, "no-such-user"]) {
      const response = await get(`${REPORT}/${id}`, await admin());
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe("Request_ResourceNotFound");
    }
  });

  it("needs a token", async () => {
    expect((await get(REPORT, {})).statusCode).toBe(401);
  });
});
