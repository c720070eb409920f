import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applicationAuthorization,
  createApplicationWithSecret,
} from "../../test/application-fixtures.js";
import {
  auditEntries,
  createTenantWithAdmin,
  createUserWithRoles,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { bearerFor } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { ROLES } from "../directory/index.js";
import { buildServer } from "./build-server.js";

const READER = ROLES.globalReader.roleTemplateId;

describe.each(TEST_ENGINES)("/v1.0/directoryRoles on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  let org: TenantFixture;
  let headers: { authorization: string };
  beforeAll(async () => {
    t = await createTestContext(engine);
    app = await buildServer(t, { logger: false });
    org = await createTenantWithAdmin(t);
    headers = await bearerFor(t, org.tenantId, org.admin.id);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  const ref = (objectId: string) => ({
    "@odata.id": `https://graph.example/v1.0/directoryObjects/${objectId}`,
  });
  const addMember = (roleId: string, objectId: string, auth = headers) =>
    app.inject({
      method: "POST",
      url: `/v1.0/directoryRoles/${roleId}/members/$ref`,
      headers: auth,
      payload: ref(objectId),
    });
  const members = async (roleId: string) =>
    (
      await app.inject({ method: "GET", url: `/v1.0/directoryRoles/${roleId}/members`, headers })
    ).json().value as { "@odata.type": string; id: string }[];

  it("lists every built-in role with its template id as id", async () => {
    const response = await app.inject({ method: "GET", url: "/v1.0/directoryRoles", headers });
    const body = response.json();
    expect(body["@odata.context"]).toBe("http://localhost:80/v1.0/$metadata#directoryRoles");
    expect(body.value).toHaveLength(Object.keys(ROLES).length);
    expect(body.value).toContainEqual(
      expect.objectContaining({
        id: READER,
        roleTemplateId: READER,
        displayName: "Global Reader",
        description: expect.any(String),
      }),
    );
  });

  it("answers 404 for a role that does not exist", async () => {
    const url = `/v1.0/directoryRoles/${crypto.randomUUID()}`;
    const response = await app.inject({ method: "GET", url, headers });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.details[0].code).toBe("ROLE_NOT_FOUND");
  });

  it("gives an application a role by reference and lists it as a servicePrincipal", async () => {
    const { application } = await createApplicationWithSecret(t, org, "Reader app");
    expect((await addMember(READER, application.id)).statusCode).toBe(204);
    expect(await members(READER)).toContainEqual(
      expect.objectContaining({
        "@odata.type": "#microsoft.graph.servicePrincipal",
        id: application.id,
        appId: application.appId,
      }),
    );
    const [entry] = (await auditEntries(t, org.tenantId)).slice(-1);
    expect(entry).toMatchObject({ action: "role.assign", target: { id: application.id } });
  });

  it("gives a user a role by reference and lists them as a user", async () => {
    const { user } = await createUserWithRoles(t, org, "reader");
    expect((await addMember(READER, user.id)).statusCode).toBe(204);
    expect(await members(READER)).toContainEqual(
      expect.objectContaining({ "@odata.type": "#microsoft.graph.user", id: user.id }),
    );
  });

  it("refuses a role the member already has with 409 ROLE_ALREADY_ASSIGNED", async () => {
    const { application } = await createApplicationWithSecret(t, org, "Twice", ["globalReader"]);
    const response = await addMember(READER, application.id);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.details[0].code).toBe("ROLE_ALREADY_ASSIGNED");
  });

  it("answers 404 for a reference to no user or application", async () => {
    const response = await addMember(READER, crypto.randomUUID());
    expect(response.statusCode).toBe(404);
    expect(response.json().error.details[0].code).toBe("DIRECTORY_OBJECT_NOT_FOUND");
  });

  it("takes a role from an application with DELETE …/members/{id}/$ref (204)", async () => {
    const { application } = await createApplicationWithSecret(t, org, "Ex", ["globalReader"]);
    const url = `/v1.0/directoryRoles/${READER}/members/${application.id}/$ref`;
    expect((await app.inject({ method: "DELETE", url, headers })).statusCode).toBe(204);
    expect((await members(READER)).map((m) => m.id)).not.toContain(application.id);
    expect((await app.inject({ method: "DELETE", url, headers })).statusCode).toBe(404);
  });

  it("takes a role from a user with DELETE …/members/{id}/$ref (204)", async () => {
    const { user } = await createUserWithRoles(t, org, "exreader", ["globalReader"]);
    const url = `/v1.0/directoryRoles/${READER}/members/${user.id}/$ref`;
    expect((await app.inject({ method: "DELETE", url, headers })).statusCode).toBe(204);
    expect((await members(READER)).map((m) => m.id)).not.toContain(user.id);
  });

  it("an application token reads roles but manages them only if its role allows", async () => {
    const userAdminApp = await createApplicationWithSecret(t, org, "UA", ["userAdministrator"]);
    const roleAdminApp = await createApplicationWithSecret(t, org, "PRA", [
      "privilegedRoleAdministrator",
    ]);
    const { user } = await createUserWithRoles(t, org, "target");
    const asUserAdmin = await applicationAuthorization(app, userAdminApp);
    const asRoleAdmin = await applicationAuthorization(app, roleAdminApp);
    const read = await app.inject({
      method: "GET",
      url: "/v1.0/directoryRoles",
      headers: asUserAdmin,
    });
    expect(read.statusCode).toBe(200);
    expect((await addMember(READER, user.id, asUserAdmin)).statusCode).toBe(403);
    expect((await addMember(READER, user.id, asRoleAdmin)).statusCode).toBe(204);
  });

  it("refuses a reference that names no directory object with 400", async () => {
    const response = await app.inject({
      method: "POST",
      url: `/v1.0/directoryRoles/${READER}/members/$ref`,
      headers,
      payload: { "@odata.id": "not a reference" },
    });
    expect(response.statusCode).toBe(400);
  });

  it("answers 404 to another organization's admin for this organization's members", async () => {
    const { application } = await createApplicationWithSecret(t, org, "Mine");
    const other = await createTenantWithAdmin(t);
    const otherHeaders = await bearerFor(t, other.tenantId, other.admin.id);
    const response = await addMember(READER, application.id, otherHeaders);
    expect(response.statusCode).toBe(404);
    expect((await members(READER)).map((m) => m.id)).not.toContain(application.id);
  });
});
