import {
  AuthenticationHandler,
  BatchRequestContent,
  BatchResponseContent,
  Client,
  type Context,
  type Middleware,
  type PageCollection,
  PageIterator,
  RetryHandler,
  RetryHandlerOptions,
} from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD } from "../directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../test-context.js";
import {
  type HttpsApi,
  SEEDED_A_USERS,
  SEEDED_USERS,
  type SeededTenant,
  seedTenant,
  startHttpsApi,
  type TlsFetch,
} from "./https-fixtures.js";

type GraphUser = { id: string; displayName: string; userPrincipalName?: string };

/** The last link of the client's middleware chain: sends the request with the test's TLS trust. */
class TlsFetchHandler implements Middleware {
  constructor(private readonly tlsFetch: TlsFetch) {}
  async execute(context: Context): Promise<void> {
    const url = typeof context.request === "string" ? context.request : context.request.url;
    context.response = await this.tlsFetch(url, context.options as RequestInit);
  }
}

/** SPEC §7: Graph's official JavaScript client (3.x) works against Tenantry's /v1.0. */
describe.each(TEST_ENGINES)("@microsoft/microsoft-graph-client 3.x over HTTPS on %s", (engine) => {
  let t: TestContext;
  let api: HttpsApi;
  let org: SeededTenant;
  let client: Client;

  beforeAll(async () => {
    t = await createTestContext(engine);
    org = await seedTenant(t);
    api = await startHttpsApi(t);
    const auth = new AuthenticationHandler({ getAccessToken: async () => org.token });
    const retry = new RetryHandler(new RetryHandlerOptions());
    client = Client.initWithMiddleware({
      baseUrl: `${api.origin}/`,
      defaultVersion: "v1.0",
      customHosts: new Set(["127.0.0.1"]),
      middleware: [auth, retry, new TlsFetchHandler(api.fetch)],
    });
  });
  afterAll(async () => {
    await api?.close();
    await t?.close();
  });

  async function collect(first: PageCollection): Promise<GraphUser[]> {
    const users: GraphUser[] = [];
    await new PageIterator(client, first, (user: GraphUser) => {
      users.push(user);
      return true;
    }).iterate();
    return users;
  }

  it("lists every user across pages of 50 with the PageIterator", async () => {
    const first = (await client.api("/users").top(50).get()) as PageCollection;
    expect(first.value).toHaveLength(50);
    expect(first["@odata.nextLink"]).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?/);
    const users = await collect(first);
    expect(users).toHaveLength(SEEDED_USERS + 1);
    expect(new Set(users.map((u) => u.id)).size).toBe(SEEDED_USERS + 1);
  });

  it("filters with $filter=startswith(displayName,'A'), across pages", async () => {
    const first = (await client
      .api("/users")
      .filter("startswith(displayName,'A')")
      .top(10)
      .get()) as PageCollection;
    const users = await collect(first);
    expect(users).toHaveLength(SEEDED_A_USERS);
    expect(users.every((u) => u.displayName.startsWith("A"))).toBe(true);
  });

  it("returns only the properties asked for with $select", async () => {
    const page = (await client.api("/users").select(["id", "displayName"]).top(5).get()) as {
      value: Record<string, unknown>[];
    };
    expect(page.value).toHaveLength(5);
    for (const user of page.value) expect(Object.keys(user).sort()).toEqual(["displayName", "id"]);
  });

  it("counts with $count=true and ConsistencyLevel: eventual", async () => {
    const page = (await client
      .api("/users")
      .header("ConsistencyLevel", "eventual")
      .count(true)
      .top(5)
      .get()) as { "@odata.count": number };
    expect(page["@odata.count"]).toBe(SEEDED_USERS + 1);
  });

  it("counts with /users/$count and ConsistencyLevel: eventual", async () => {
    const count = await client.api("/users/$count").header("ConsistencyLevel", "eventual").get();
    expect(Number(count)).toBe(SEEDED_USERS + 1);
  });

  it("gets a user by user principal name", async () => {
    const user = (await client.api(`/users/user005@${org.domain}`).get()) as GraphUser;
    expect(user).toMatchObject({
      displayName: "Avery 005",
      userPrincipalName: `user005@${org.domain}`,
    });
  });

  it("creates a user, deletes it, finds it in the recycle bin and restores it", async () => {
    const created = (await client.api("/users").post({
      accountEnabled: true,
      displayName: "Graph Client",
      mailNickname: "graphclient",
      userPrincipalName: `graphclient@${org.domain}`,
      passwordProfile: { password: PASSWORD, forceChangePasswordNextSignIn: false },
    })) as GraphUser;
    expect(created.id).toBeTruthy();

    await client.api(`/users/${created.id}`).delete();
    await expect(client.api(`/users/${created.id}`).get()).rejects.toMatchObject({
      statusCode: 404,
      code: "Request_ResourceNotFound",
    });

    const bin = (await client.api("/directory/deletedItems/microsoft.graph.user").get()) as {
      value: GraphUser[];
    };
    expect(bin.value.map((u) => u.id)).toContain(created.id);

    const restored = (await client
      .api(`/directory/deletedItems/${created.id}/restore`)
      .post({})) as GraphUser;
    expect(restored.id).toBe(created.id);
    expect(((await client.api(`/users/${created.id}`).get()) as GraphUser).displayName).toBe(
      "Graph Client",
    );
  });

  it("sends several requests in one $batch with BatchRequestContent", async () => {
    // Step URLs are relative to the version, as Graph expects: the SDK strips the origin.
    const step = (id: string, path: string) => ({
      id,
      request: new Request(`${api.origin}${path}`, { method: "GET" }),
    });
    const content = new BatchRequestContent([
      step("1", `/users/user005@${org.domain}`),
      step("2", `/users/user010@${org.domain}`),
      step("3", "/users/nobody-here@example.invalid"),
    ]);
    const body = await client.api("/$batch").post(await content.getContent());
    const responses = new BatchResponseContent(body);
    const first = responses.getResponseById("1");
    expect(first?.status).toBe(200);
    expect(((await first?.json()) as GraphUser | undefined)?.displayName).toBe("Avery 005");
    expect(responses.getResponseById("2")?.status).toBe(200);
    expect(responses.getResponseById("3")?.status).toBe(404);
  });
});
