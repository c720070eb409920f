import {
  type AccessTokenProvider,
  AllowedHostsValidator,
  BaseBearerTokenAuthenticationProvider,
  type ErrorMappings,
  HttpMethod,
  RequestInformation,
} from "@microsoft/kiota-abstractions";
import {
  createGraphServiceClient,
  GraphRequestAdapter,
  type GraphServiceClient,
} from "@microsoft/msgraph-sdk";
import {
  createUserCollectionResponseFromDiscriminatorValue,
  createUserRegistrationDetailsCollectionResponseFromDiscriminatorValue,
  type User,
  type UserRegistrationDetails,
  type UserRegistrationDetailsCollectionResponse,
} from "@microsoft/msgraph-sdk/models/index.js";
import { createODataErrorFromDiscriminatorValue } from "@microsoft/msgraph-sdk/models/oDataErrors/index.js";
import {
  BatchRequestBuilder,
  BatchRequestContent,
  createGraphClientFactory,
  type PageCollection,
  PageIterator,
} from "@microsoft/msgraph-sdk-core";
import "@microsoft/msgraph-sdk-users";
import "@microsoft/msgraph-sdk-directory";
import type { ParsableFactory } from "@microsoft/kiota-abstractions";
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
} from "./https-fixtures.js";

const ERRORS: ErrorMappings = { XXX: createODataErrorFromDiscriminatorValue };

/** SPEC §7: Graph's official Kiota-generated TypeScript SDK works against Tenantry's /v1.0. */
describe.each(TEST_ENGINES)("@microsoft/msgraph-sdk (Kiota) over HTTPS on %s", (engine) => {
  let t: TestContext;
  let api: HttpsApi;
  let org: SeededTenant;
  let adapter: GraphRequestAdapter;
  let client: GraphServiceClient;

  beforeAll(async () => {
    t = await createTestContext(engine);
    org = await seedTenant(t);
    api = await startHttpsApi(t);
    const tokens: AccessTokenProvider = {
      getAuthorizationToken: async () => org.token,
      // The SDK sends the token only to allowed hosts; Graph's own are the default.
      getAllowedHostsValidator: () => new AllowedHostsValidator(new Set(["127.0.0.1"])),
    };
    const auth = new BaseBearerTokenAuthenticationProvider(tokens);
    // The adapter authenticates each request; giving `auth` to the factory too would add its own
    // Authorization handler and send the header twice (`authorization` and `Authorization`).
    const http = createGraphClientFactory({ graphServiceTargetVersion: "v1.0" }, api.fetch);
    adapter = new GraphRequestAdapter(auth, undefined, undefined, http);
    adapter.baseUrl = `${api.origin}/v1.0`;
    client = createGraphServiceClient(adapter);
  });
  afterAll(async () => {
    await api?.close();
    await t?.close();
  });

  async function collect(first: PageCollection<User>): Promise<User[]> {
    const users: User[] = [];
    const factory =
      createUserCollectionResponseFromDiscriminatorValue as unknown as ParsableFactory<
        PageCollection<User>
      >;
    const iterator = new PageIterator<User>(
      adapter,
      first,
      (user) => {
        users.push(user);
        return true;
      },
      factory,
      ERRORS,
    );
    await iterator.iterate();
    return users;
  }

  function page(response: { value?: User[] | null; odataNextLink?: string | null } | undefined) {
    return {
      value: response?.value ?? [],
      odataNextLink: response?.odataNextLink ?? undefined,
    } satisfies PageCollection<User>;
  }

  it("lists every user across pages of 50 with the PageIterator", async () => {
    const first = await client.users.get({ queryParameters: { top: 50 } });
    expect(first?.value).toHaveLength(50);
    expect(first?.odataNextLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?/);
    const users = await collect(page(first));
    expect(users).toHaveLength(SEEDED_USERS + 1);
    expect(new Set(users.map((u) => u.id)).size).toBe(SEEDED_USERS + 1);
  });

  it("pages the MFA registration report with the SDK's userRegistrationDetails model", async () => {
    const request = new RequestInformation(HttpMethod.GET);
    request.URL = `${adapter.baseUrl}/reports/authenticationMethods/userRegistrationDetails?$top=50`;
    request.headers.tryAdd("Accept", "application/json");
    const first = await adapter.send<UserRegistrationDetailsCollectionResponse>(
      request,
      createUserRegistrationDetailsCollectionResponseFromDiscriminatorValue,
      ERRORS,
    );
    expect(first?.value).toHaveLength(50);
    const rows: UserRegistrationDetails[] = [];
    const iterator = new PageIterator<UserRegistrationDetails>(
      adapter,
      { value: first?.value ?? [], odataNextLink: first?.odataNextLink ?? undefined },
      (row) => {
        rows.push(row);
        return true;
      },
      createUserRegistrationDetailsCollectionResponseFromDiscriminatorValue as unknown as ParsableFactory<
        PageCollection<UserRegistrationDetails>
      >,
      ERRORS,
    );
    await iterator.iterate();
    expect(new Set(rows.map((r) => r.id)).size).toBe(SEEDED_USERS + 1);
    const row = rows[0];
    expect(row?.userPrincipalName).toMatch(/@/);
    expect(typeof row?.isAdmin).toBe("boolean");
    expect(row?.methodsRegistered).toEqual(expect.any(Array));
    expect(row?.lastUpdatedDateTime).toBeInstanceOf(Date);
    // Tenantry's own property reaches the SDK as additional data.
    expect(row?.additionalData?.perUserMfaState).toMatch(/^(disabled|enabled|enforced)$/);
  });

  it("filters with $filter=startswith(displayName,'A'), across pages", async () => {
    const first = await client.users.get({
      queryParameters: { filter: "startswith(displayName,'A')", top: 10 },
    });
    const users = await collect(page(first));
    expect(users).toHaveLength(SEEDED_A_USERS);
    expect(users.every((u) => u.displayName?.startsWith("A"))).toBe(true);
  });

  it("returns only the properties asked for with $select", async () => {
    const response = await client.users.get({
      queryParameters: { select: ["id", "displayName"], top: 5 },
    });
    expect(response?.value).toHaveLength(5);
    for (const user of response?.value ?? []) {
      expect(user.id).toBeTruthy();
      expect(user.displayName).toBeTruthy();
      expect(user.userPrincipalName).toBeUndefined();
      expect(user.accountEnabled).toBeUndefined();
    }
  });

  it("counts with $count=true and ConsistencyLevel: eventual", async () => {
    const response = await client.users.get({
      queryParameters: { count: true, top: 5 },
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(response?.odataCount).toBe(SEEDED_USERS + 1);
  });

  it("counts with /users/$count and ConsistencyLevel: eventual", async () => {
    const count = await client.users.count.get({ headers: { ConsistencyLevel: "eventual" } });
    expect(count).toBe(SEEDED_USERS + 1);
  });

  it("gets a user by user principal name", async () => {
    const user = await client.users.byUserId(`user005@${org.domain}`).get();
    expect(user?.displayName).toBe("Avery 005");
    expect(user?.userPrincipalName).toBe(`user005@${org.domain}`);
  });

  it("creates a user, deletes it, finds it in the recycle bin and restores it", async () => {
    const created = await client.users.post({
      accountEnabled: true,
      displayName: "Kiota Client",
      mailNickname: "kiotaclient",
      userPrincipalName: `kiotaclient@${org.domain}`,
      passwordProfile: { password: PASSWORD, forceChangePasswordNextSignIn: false },
    });
    const id = created?.id ?? "";
    expect(id).toBeTruthy();

    await client.users.byUserId(id).delete();
    await expect(client.users.byUserId(id).get()).rejects.toMatchObject({
      responseStatusCode: 404,
    });

    const bin = await client.directory.deletedItems.graphUser.get();
    expect(bin?.value?.map((u) => u.id)).toContain(id);

    const restored = await client.directory.deletedItems.byDirectoryObjectId(id).restore.post();
    expect(restored?.id).toBe(id);
    expect((await client.users.byUserId(id).get())?.displayName).toBe("Kiota Client");
  });

  it("sends several requests in one $batch with BatchRequestBuilder", async () => {
    const content = new BatchRequestContent(adapter, ERRORS);
    const first = content.addBatchRequest(
      client.users.byUserId(`user005@${org.domain}`).toGetRequestInformation(),
      "1",
    );
    content.addBatchRequest(
      client.users.byUserId(`user010@${org.domain}`).toGetRequestInformation(),
      "2",
    );
    content.addBatchRequest(
      client.users.byUserId("nobody@example.invalid").toGetRequestInformation(),
      "3",
    );
    // Kiota percent-encodes the key: the step's URL is `/users/user005%40<domain>`.
    expect(decodeURIComponent(first.url)).toBe(`/users/user005@${org.domain}`);
    const responses = await new BatchRequestBuilder(adapter, ERRORS).postBatchResponseContentAsync(
      content,
    );
    expect(responses?.getResponseById("1")?.status).toBe(200);
    expect(responses?.getResponseById("2")?.status).toBe(200);
    expect(responses?.getResponseById("3")?.status).toBe(404);
    // Not checked: the steps' bodies. msgraph-sdk-core 1.0.0-preview.17 reads a step's `body` only
    // as a base64 string (`getByteArrayValue`), while Graph, like Tenantry, sends a JSON body as
    // JSON; the SDK leaves `body` undefined and `getParsableResponseById` returns undefined.
  });
});
