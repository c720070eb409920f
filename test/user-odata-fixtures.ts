import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { expect } from "vitest";
import { turnOnSync } from "../src/directory/index.js";
import { convertSyncedUserRows } from "../src/directory/user.repository.js";
import type { Engine } from "../src/store/engine.js";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  type TenantFixture,
} from "./directory-fixtures.js";
import { bearerFor, buildTestServer } from "./http-fixtures.js";
import { createTestContext, type TestContext } from "./test-context.js";

/** Every user of the OData directory, by alias; `admin` is "First Admin", admin@<domain>. */
export const ODATA_ALIASES = [
  "admin",
  "adele",
  "alex",
  "allan",
  "megan",
  "percent",
  "was.synced",
  "synced",
] as const;

export const EVENTUAL = { consistencylevel: "eventual" };

/** A directory whose users differ in each filterable property, and an HTTP client for it. */
export interface ODataDirectory {
  t: TestContext;
  app: FastifyInstance;
  org: TenantFixture;
  /** Alias → id. */
  ids: Map<string, string>;
  /** `GET path?name=value…` as the admin: values percent-encoded, names as given (`$filter`). */
  get(
    path: string,
    query?: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** Follows an absolute `@odata.nextLink` in-process, as the admin. */
  follow(link: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** The aliases of a 200 page's users, sorted. */
  aliasesOf(res: LightMyRequestResponse): string[];
  close(): Promise<void>;
}

/**
 * | alias      | displayName   | mail                | enabled | onPremisesSyncEnabled |
 * | admin      | First Admin   | admin@<domain>      | true    | null                  |
 * | adele      | Adele Vance   | adele@<domain>      | true    | null                  |
 * | alex       | Alex Wilber   | null                | true    | null                  |
 * | allan      | Allan Deyoung | Allan.D@Example.org | false   | null                  |
 * | megan      | Megan O'Brien | null                | true    | null                  |
 * | percent    | 100% Real     | null                | true    | null                  |
 * | was.synced | Was Synced    | null                | true    | false                 |
 * | synced     | Synced One    | null                | true    | true                  |
 */
export async function openODataDirectory(engine: Engine): Promise<ODataDirectory> {
  const t = await createTestContext(engine);
  const app = await buildTestServer(t);
  const org = await createTenantWithAdmin(t);
  const admin = await bearerFor(t, org.tenantId, org.admin.id);
  const ids = new Map<string, string>([["admin", org.admin.id]]);
  const users: [string, string, string | null, boolean][] = [
    ["adele", "Adele Vance", `adele@${org.domain}`, true],
    ["alex", "Alex Wilber", null, true],
    ["allan", "Allan Deyoung", "Allan.D@Example.org", false],
    ["megan", "Megan O'Brien", null, true],
    ["percent", "100% Real", null, true],
  ];
  for (const [alias, displayName, mail, accountEnabled] of users) {
    const { user } = await createUserWithRoles(t, org, alias, [], {
      displayName,
      mail,
      accountEnabled,
    });
    ids.set(alias, user.id);
  }
  await turnOnSync(t, org.adminActor, org.tenantId);
  const was = await createUserWithRoles(t, org, "was.synced", [], {
    displayName: "Was Synced",
    onPremisesSyncEnabled: true,
  });
  // Sync turned off for this one, as the end of a sync-off does: onPremisesSyncEnabled false.
  await convertSyncedUserRows(t.db, org.tenantId, t.clock.now().toISOString());
  ids.set("was.synced", was.user.id);
  const synced = await createUserWithRoles(t, org, "synced", [], {
    displayName: "Synced One",
    onPremisesSyncEnabled: true,
  });
  ids.set("synced", synced.user.id);
  const aliasById = new Map([...ids].map(([alias, id]) => [id, alias]));

  return {
    t,
    app,
    org,
    ids,
    get(path, query = {}, headers = {}) {
      const search = Object.entries(query)
        .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
        .join("&");
      const url = search ? `${path}?${search}` : path;
      return app.inject({ method: "GET", url, headers: { ...admin, ...headers } });
    },
    follow(link, headers = {}) {
      const next = new URL(link);
      const url = `${next.pathname}${next.search}`;
      return app.inject({ method: "GET", url, headers: { ...admin, ...headers } });
    },
    aliasesOf(res) {
      expect(res.statusCode).toBe(200);
      return res
        .json()
        .value.map((u: { id: string }) => aliasById.get(u.id) ?? u.id)
        .sort();
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}

/** A 400 in Microsoft Graph's error shape, with Tenantry's own code in `details`. */
export function expectBadRequest(res: LightMyRequestResponse, ownCode: string): void {
  expect(res.statusCode).toBe(400);
  expect(res.headers["content-type"]).toContain("application/json");
  expect(res.json().error).toMatchObject({
    code: "Request_BadRequest",
    message: expect.any(String),
    innerError: { "request-id": expect.any(String), date: expect.any(String) },
    details: [{ code: ownCode }],
  });
}
