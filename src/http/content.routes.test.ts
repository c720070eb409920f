import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  OPERATOR,
} from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { deleteUser } from "../directory/index.js";

/** Issue 6, SPEC §4: mail and files over Graph's routes, for their owner only. */
describe.each(TEST_ENGINES)("content routes on %s", (engine) => {
  let t: TestContext;
  let app: FastifyInstance;
  const MAX = 2048;
  beforeAll(async () => {
    t = await createTestContext(engine, { config: { maxFileBytes: MAX } });
    app = await buildTestServer(t);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  async function setUp() {
    const org = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, org, "ada");
    const ada = await bearerFor(t, org.tenantId, user.id);
    const admin = await bearerFor(t, org.tenantId, org.admin.id);
    return { org, user, ada, admin };
  }

  function put(
    headers: Record<string, string>,
    url: string,
    payload: Buffer | string,
    type = "application/octet-stream",
  ) {
    return app.inject({
      method: "PUT",
      url,
      headers: { ...headers, "content-type": type },
      payload,
    });
  }

  it("pages a mailbox newest first through @odata.nextLink", async () => {
    const { user, ada } = await setUp();
    for (let day = 1; day <= 5; day++) {
      const response = await app.inject({
        method: "POST",
        url: `/v1.0/users/${user.id}/messages`,
        headers: ada,
        payload: {
          subject: `Day ${day}`,
          body: { contentType: "html", content: `<p>Report of day ${day}</p>` },
          from: { emailAddress: { address: "boss@example.com", name: "Boss" } },
          toRecipients: [{ emailAddress: { address: user.userPrincipalName } }],
          receivedDateTime: `2024-05-0${day}T09:00:00Z`,
        },
      });
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json()).toMatchObject({
        subject: `Day ${day}`,
        bodyPreview: `Report of day ${day}`,
        from: { emailAddress: { address: "boss@example.com", name: "Boss" } },
      });
    }
    const subjects: string[] = [];
    let url: string | undefined = "/v1.0/me/messages?$top=2";
    while (url) {
      const response = await app.inject({ method: "GET", url, headers: ada });
      expect(response.statusCode, response.body).toBe(200);
      const body: { value: { subject: string }[]; "@odata.nextLink"?: string } = response.json();
      subjects.push(...body.value.map((m: { subject: string }) => m.subject));
      const next: string | undefined = body["@odata.nextLink"];
      url = next?.replace(/^https?:\/\/[^/]+/, "");
    }
    expect(subjects).toEqual(["Day 5", "Day 4", "Day 3", "Day 2", "Day 1"]);
  });

  it("refuses another user's mailbox and drive to a Global Administrator (403)", async () => {
    const { user, admin } = await setUp();
    for (const url of [
      `/v1.0/users/${user.id}/messages`,
      `/v1.0/users/${user.userPrincipalName}/messages`,
      `/v1.0/users/${user.id}/drive/root/children`,
    ]) {
      const response = await app.inject({ method: "GET", url, headers: admin });
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json().error.code).toBe("Authorization_RequestDenied");
    }
    const upload = await put(admin, `/v1.0/users/${user.id}/drive/root:/x.txt:/content`, "x");
    expect(upload.statusCode).toBe(403);
  });

  it("uploads, replaces and downloads binary bytes unchanged", async () => {
    const { user, ada } = await setUp();
    const bytes = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) % 256));
    const created = await put(ada, "/v1.0/me/drive/root:/Photos/raw%20shot.bin:/content", bytes);
    expect(created.statusCode, created.body).toBe(201);
    const item = created.json();
    expect(item).toMatchObject({
      name: "raw shot.bin",
      size: 512,
      parentReference: { path: "/drive/root:/Photos" },
      file: { mimeType: "application/octet-stream" },
    });
    const download = await app.inject({
      method: "GET",
      url: `/v1.0/users/${user.id}/drive/items/${item.id}/content`,
      headers: ada,
    });
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(bytes)).toBe(true);
    expect(download.headers["content-disposition"]).toBe("attachment");

    const json = '{"not":"parsed"}';
    const replaced = await put(
      ada,
      "/v1.0/me/drive/root:/photos/RAW SHOT.bin:/content",
      json,
      "application/json",
    );
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({ id: item.id, size: json.length });
    const again = await app.inject({
      method: "GET",
      url: `/v1.0/me/drive/items/${item.id}/content`,
      headers: ada,
    });
    expect(again.body).toBe(json);
    expect(again.headers["content-type"]).toContain("application/json");

    const list = await app.inject({
      method: "GET",
      url: "/v1.0/me/drive/root/children",
      headers: ada,
    });
    expect(list.json().value.map((i: { id: string }) => i.id)).toEqual([item.id]);
    const removed = await app.inject({
      method: "DELETE",
      url: `/v1.0/me/drive/items/${item.id}`,
      headers: ada,
    });
    expect(removed.statusCode).toBe(204);
    const gone = await app.inject({
      method: "GET",
      url: `/v1.0/me/drive/items/${item.id}/content`,
      headers: ada,
    });
    expect(gone.statusCode).toBe(404);
  });

  it("refuses a file over TENANTRY_MAX_FILE_BYTES with 413 in Graph's error shape", async () => {
    const { ada } = await setUp();
    const response = await put(ada, "/v1.0/me/drive/root:/big.bin:/content", Buffer.alloc(MAX + 1));
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe("RequestEntityTooLarge");
    const list = await app.inject({
      method: "GET",
      url: "/v1.0/me/drive/root/children",
      headers: ada,
    });
    expect(list.json().value).toEqual([]);
    const exact = await put(ada, "/v1.0/me/drive/root:/exact.bin:/content", Buffer.alloc(MAX));
    expect(exact.statusCode).toBe(201);
  });

  // `..` segments never reach a route: URL parsing resolves them (also %2E%2E); the service test covers them.
  it("refuses bad paths with 400 and stores nothing", async () => {
    const { ada } = await setUp();
    for (const path of ["root:/a%3Fb.txt:/content", "root:/:/content", "root:/a.txt"]) {
      const response = await put(ada, `/v1.0/me/drive/${path}`, "x");
      expect(response.statusCode, `${path}: ${response.body}`).toBe(400);
      expect(response.json().error.details[0].code).toBe("DRIVE_PATH_INVALID");
    }
    const list = await app.inject({
      method: "GET",
      url: "/v1.0/me/drive/root/children",
      headers: ada,
    });
    expect(list.json().value).toEqual([]);
  });

  it("refuses a malformed message with 400 and a bad $skiptoken with 400", async () => {
    const { ada } = await setUp();
    const bad = await app.inject({
      method: "POST",
      url: "/v1.0/me/messages",
      headers: ada,
      payload: { body: { contentType: "rtf", content: "x" } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({
      code: "MESSAGE_INVALID",
      target: "body.contentType",
    });
    const token = await app.inject({
      method: "GET",
      url: "/v1.0/me/messages?$skiptoken=nope",
      headers: ada,
    });
    expect(token.statusCode).toBe(400);
  });

  it("hides a soft-deleted user's content (404) and a message of another user (404)", async () => {
    const { org, user, ada, admin } = await setUp();
    const created = await app.inject({
      method: "POST",
      url: "/v1.0/me/messages",
      headers: ada,
      payload: { subject: "Mine" },
    });
    const id = created.json().id;
    const other = await app.inject({
      method: "GET",
      url: `/v1.0/me/messages/${id}`,
      headers: admin,
    });
    expect(other.statusCode).toBe(404);
    await deleteUser(t, OPERATOR, org.tenantId, user.id);
    const hidden = await app.inject({
      method: "GET",
      url: `/v1.0/users/${user.id}/messages`,
      headers: admin,
    });
    expect(hidden.statusCode).toBe(404);
  });
});
