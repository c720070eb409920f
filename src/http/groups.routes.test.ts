import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantWithAdmin,
  createUsers,
  createUserWithRoles,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";

describe.each(TEST_ENGINES)("/v1.0/groups on %s", (engine) => {
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

  async function createGroup(displayName: string): Promise<{ id: string }> {
    const res = await app.inject({
      method: "POST",
      url: "/v1.0/groups",
      headers,
      payload: { displayName, mailEnabled: false, mailNickname: "nick", securityEnabled: true },
    });
    expect(res.statusCode).toBe(201);
    return res.json();
  }

  async function addMember(groupId: string, reference: string) {
    return app.inject({
      method: "POST",
      url: `/v1.0/groups/${groupId}/members/$ref`,
      headers,
      payload: { "@odata.id": reference },
    });
  }

  async function memberIds(groupId: string): Promise<string[]> {
    const res = await app.inject({
      method: "GET",
      url: `/v1.0/groups/${groupId}/members`,
      headers,
    });
    expect(res.statusCode).toBe(200);
    return res.json().value.map((m: { id: string }) => m.id);
  }

  it("creates a security group with Graph's body and answers 201 with Graph's group shape", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1.0/groups",
      headers,
      payload: {
        displayName: "Finance",
        description: "Money people",
        mailEnabled: false,
        mailNickname: "finance",
        securityEnabled: true,
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      "@odata.context": "http://localhost:80/v1.0/$metadata#groups/$entity",
      id: expect.any(String),
      displayName: "Finance",
      description: "Money people",
      mailNickname: "finance",
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      createdDateTime: t.clock.now().toISOString(),
    });
  });

  it("refuses a mail-enabled group with 400, saying Tenantry has security groups only", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1.0/groups",
      headers,
      payload: { displayName: "Mail", mailEnabled: true, mailNickname: "m", securityEnabled: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe("Request_BadRequest");
    expect(res.json().error.details[0]).toMatchObject({
      code: "MAIL_ENABLED_GROUP_UNSUPPORTED",
      target: "mailEnabled",
    });
    expect(res.json().error.message).toContain("security groups only");
  });

  it("refuses a create body without Graph's required properties with 400", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1.0/groups",
      headers,
      payload: { displayName: "Incomplete" },
    });
    expect(res.statusCode).toBe(400);
  });

  it("reads, updates (204) and deletes (204) a group; a deleted group is 404", async () => {
    const { id } = await createGroup("Ops");
    const patch = await app.inject({
      method: "PATCH",
      url: `/v1.0/groups/${id}`,
      headers,
      payload: { displayName: "Operations", description: null },
    });
    expect(patch.statusCode).toBe(204);
    const read = await app.inject({ method: "GET", url: `/v1.0/groups/${id}`, headers });
    expect(read.json()).toMatchObject({ id, displayName: "Operations", description: null });

    const del = await app.inject({ method: "DELETE", url: `/v1.0/groups/${id}`, headers });
    expect(del.statusCode).toBe(204);
    const gone = await app.inject({ method: "GET", url: `/v1.0/groups/${id}`, headers });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.details[0].code).toBe("GROUP_NOT_FOUND");
  });

  it("pages the group list with $top, an absolute nextLink and $skiptoken", async () => {
    const other = await createTenantWithAdmin(t);
    const otherHeaders = await bearerFor(t, other.tenantId, other.admin.id);
    for (const name of ["A", "B", "C"]) {
      await app.inject({
        method: "POST",
        url: "/v1.0/groups",
        headers: otherHeaders,
        payload: {
          displayName: name,
          mailEnabled: false,
          mailNickname: name,
          securityEnabled: true,
        },
      });
    }
    const first = await app.inject({
      method: "GET",
      url: "/v1.0/groups?$top=2",
      headers: otherHeaders,
    });
    expect(first.json().value.map((g: { displayName: string }) => g.displayName)).toEqual([
      "A",
      "B",
    ]);
    expect(first.json()["@odata.nextLink"]).toMatch(
      /^http:\/\/localhost:80\/v1\.0\/groups\?\$top=2&/,
    );
    const next = new URL(first.json()["@odata.nextLink"]);
    const second = await app.inject({
      method: "GET",
      url: next.pathname + next.search,
      headers: otherHeaders,
    });
    expect(second.json().value.map((g: { displayName: string }) => g.displayName)).toEqual(["C"]);
    expect(second.json()["@odata.nextLink"]).toBeUndefined();
  });

  it("adds members by a directoryObjects or a users reference, on any base, and lists them", async () => {
    const { id } = await createGroup("Members");
    const [first, second] = await createUsers(t, org, 2, "member");
    if (!first || !second) throw new Error("fixture");
    const byDirectoryObject = await addMember(
      id,
      `https://graph.microsoft.com/v1.0/directoryObjects/${first.id}`,
    );
    expect(byDirectoryObject.statusCode).toBe(204);
    expect((await addMember(id, `http://localhost/v1.0/users/${second.id}`)).statusCode).toBe(204);

    const res = await app.inject({ method: "GET", url: `/v1.0/groups/${id}/members`, headers });
    expect(res.json()["@odata.context"]).toContain("#directoryObjects");
    expect(res.json().value).toHaveLength(2);
    expect(res.json().value[0]).toMatchObject({
      "@odata.type": "#microsoft.graph.user",
      userPrincipalName: expect.any(String),
    });
    expect((await memberIds(id)).sort()).toEqual([first.id, second.id].sort());
  });

  it("pages members with $top and an absolute nextLink", async () => {
    const { id } = await createGroup("Paged members");
    for (const user of await createUsers(t, org, 3, "paged")) {
      await addMember(id, `/v1.0/directoryObjects/${user.id}`);
    }
    const first = await app.inject({
      method: "GET",
      url: `/v1.0/groups/${id}/members?$top=2`,
      headers,
    });
    expect(first.json().value).toHaveLength(2);
    const next = new URL(first.json()["@odata.nextLink"]);
    expect(next.pathname).toBe(`/v1.0/groups/${id}/members`);
    const rest = await app.inject({ method: "GET", url: next.pathname + next.search, headers });
    expect(rest.json().value).toHaveLength(1);
  });

  it("refuses a duplicate member with 409 and Graph's error shape", async () => {
    const { id } = await createGroup("Twice");
    const { user } = await createUserWithRoles(t, org, "twice");
    await addMember(id, `/v1.0/directoryObjects/${user.id}`);
    const again = await addMember(id, `/v1.0/directoryObjects/${user.id}`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: "Request_Conflict",
      details: [{ code: "ALREADY_GROUP_MEMBER" }],
      innerError: { "request-id": expect.any(String) },
    });
  });

  it("answers 404 for an unknown user and 400 for a reference that names no user", async () => {
    const { id } = await createGroup("Unknown");
    const unknown = await addMember(
      id,
      "/v1.0/directoryObjects/00000000-0000-7000-8000-000000000000",
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe("Request_ResourceNotFound");
    const malformed = await addMember(id, "/v1.0/groups/not-a-user");
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.details[0].code).toBe("MEMBER_REFERENCE_INVALID");
  });

  it("removes a member through members/{id}/$ref with 204", async () => {
    const { id } = await createGroup("Leaving");
    const { user } = await createUserWithRoles(t, org, "leaving");
    await addMember(id, `/v1.0/directoryObjects/${user.id}`);
    const res = await app.inject({
      method: "DELETE",
      url: `/v1.0/groups/${id}/members/${user.id}/$ref`,
      headers,
    });
    expect(res.statusCode).toBe(204);
    expect(await memberIds(id)).toEqual([]);
  });

  it("does not list members who are in the recycle bin", async () => {
    const { id } = await createGroup("Recycled");
    const { user } = await createUserWithRoles(t, org, "recycled");
    await addMember(id, `/v1.0/directoryObjects/${user.id}`);
    const del = await app.inject({ method: "DELETE", url: `/v1.0/users/${user.id}`, headers });
    expect(del.statusCode).toBe(204);
    expect(await memberIds(id)).toEqual([]);
  });

  it("lets any member read groups but only administrators change them (403)", async () => {
    const { id } = await createGroup("Guarded");
    const { user } = await createUserWithRoles(t, org, "reader");
    const readerHeaders = await bearerFor(t, org.tenantId, user.id);
    const read = await app.inject({
      method: "GET",
      url: `/v1.0/groups/${id}`,
      headers: readerHeaders,
    });
    expect(read.statusCode).toBe(200);
    const patch = await app.inject({
      method: "PATCH",
      url: `/v1.0/groups/${id}`,
      headers: readerHeaders,
      payload: { displayName: "Mine" },
    });
    expect(patch.statusCode).toBe(403);

    const { user: userAdmin } = await createUserWithRoles(t, org, "useradmin", [
      "userAdministrator",
    ]);
    const adminPatch = await app.inject({
      method: "PATCH",
      url: `/v1.0/groups/${id}`,
      headers: await bearerFor(t, org.tenantId, userAdmin.id),
      payload: { displayName: "Guarded by User Administrators" },
    });
    expect(adminPatch.statusCode).toBe(204);
  });

  it("answers 401 without a token", async () => {
    const res = await app.inject({ method: "GET", url: "/v1.0/groups" });
    expect(res.statusCode).toBe(401);
  });
});
