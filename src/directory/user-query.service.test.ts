import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  OPERATOR,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { turnOnSync } from "./sync.service.js";
import type { User } from "./user.js";
import { deleteUser, updateUser } from "./user.service.js";
import { toUserFilter } from "./user-filter.js";
import { countUsers, type ListUsersOptions, listUsers } from "./user-query.service.js";

describe.each(TEST_ENGINES)("listing users on %s", (engine) => {
  let t: TestContext;
  let org: TenantFixture;
  let all: User[];

  beforeAll(async () => {
    t = await createTestContext(engine);
    org = await createTenantWithAdmin(t);
    // 25 users whose display names repeat (ties are broken by id) and whose order by display name
    // differs from their order by principal name.
    for (let i = 0; i < 25; i++) {
      const alias = `member${String(i).padStart(2, "0")}`;
      await createUserWithRoles(t, org, alias, [], {
        displayName: `Name ${String.fromCharCode(90 - (i % 7))}`,
      });
    }
    await createUserWithRoles(t, org, "percent", [], { displayName: "100% Real" });
    await createUserWithRoles(t, org, "under_score", [], { displayName: "Under_Score" });
    await createUserWithRoles(t, org, "underxscore", [], { displayName: "UnderXScore" });
    await createUserWithRoles(t, org, "Disabled.One", [], {
      displayName: "disabled person",
      accountEnabled: false,
    });
    await turnOnSync(t, org.adminActor, org.tenantId);
    await createUserWithRoles(t, org, "synced.one", [], {
      displayName: "Synced One",
      onPremisesSyncEnabled: true,
    });
    const gone = await createUserWithRoles(t, org, "gone", [], { displayName: "Gone" });
    await deleteUser(t, OPERATOR, org.tenantId, gone.user.id);
    all = await collect({ limit: 999 });
  });
  afterAll(async () => {
    await t.close();
  });

  async function collect(options: ListUsersOptions): Promise<User[]> {
    const users: User[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await listUsers(t, org.adminActor, org.tenantId, { ...options, cursor });
      users.push(...result.users);
      if (result.nextCursor === null) return users;
      cursor = result.nextCursor;
    }
    throw new Error("pagination did not end");
  }

  const ids = (users: readonly User[]) => users.map((u) => u.id);

  it("lists every live user once and none from the recycle bin", () => {
    expect(all).toHaveLength(31);
    expect(new Set(ids(all)).size).toBe(31);
    expect(all.map((u) => u.userPrincipalName)).not.toContain(`gone@${org.domain}`);
  });

  it.each(["id", "displayName", "userPrincipalName"] as const)(
    "pages ordered by %s hold 10, 10, 10 and 1 users with no duplicate or gap",
    async (orderBy) => {
      const sizes: number[] = [];
      const seen: User[] = [];
      let cursor: string | undefined;
      do {
        const page = await listUsers(t, org.adminActor, org.tenantId, {
          limit: 10,
          orderBy,
          cursor,
        });
        sizes.push(page.users.length);
        seen.push(...page.users);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(sizes).toEqual([10, 10, 10, 1]);
      expect(new Set(ids(seen)).size).toBe(all.length);
      expect([...ids(seen)].sort()).toEqual([...ids(all)].sort());
      const keys = seen.map((u) =>
        orderBy === "id"
          ? u.id
          : orderBy === "userPrincipalName"
            ? u.userPrincipalName.toLowerCase()
            : u.displayName,
      );
      // Sorted by the key (the database's collation for names), ties by id.
      const byKeyThenId = seen.every((u, i) => {
        const prev = seen[i - 1];
        return !prev || keys[i - 1] !== keys[i] || prev.id < u.id;
      });
      expect(byKeyThenId).toBe(true);
    },
  );

  it.each(["id", "displayName", "userPrincipalName"] as const)(
    "pages ordered by %s descending are the ascending order reversed",
    async (orderBy) => {
      const ascending = await collect({ orderBy, limit: 7 });
      const descending = await collect({ orderBy, direction: "desc", limit: 7 });
      expect(ids(descending)).toEqual(ids(ascending).reverse());
    },
  );

  it("a cursor keeps its ordering when the next call names none, and refuses another direction", async () => {
    const first = await listUsers(t, org.adminActor, org.tenantId, {
      limit: 5,
      orderBy: "displayName",
      direction: "desc",
    });
    const cursor = first.nextCursor ?? "";
    const next = await listUsers(t, org.adminActor, org.tenantId, { limit: 5, cursor });
    const whole = await collect({ orderBy: "displayName", direction: "desc", limit: 999 });
    expect(ids(next.users)).toEqual(ids(whole).slice(5, 10));
    await expectAppError(
      listUsers(t, org.adminActor, org.tenantId, { cursor, direction: "asc" }),
      "CURSOR_INVALID",
      "Invalid",
    );
  });

  it("a filter applies on every page", async () => {
    const filter = toUserFilter({
      kind: "or",
      operands: [
        { kind: "startsWith", property: "displayName", value: "name z" },
        { kind: "compare", operator: "eq", property: "accountEnabled", value: false },
      ],
    });
    const users = await collect({ filter, limit: 2 });
    expect(users.map((u) => u.displayName).sort()).toEqual([
      "Name Z",
      "Name Z",
      "Name Z",
      "Name Z",
      "disabled person",
    ]);
  });

  it("counts the users a filter matches, live or in the recycle bin", async () => {
    const synced = toUserFilter({
      kind: "compare",
      operator: "eq",
      property: "onPremisesSyncEnabled",
      value: true,
    });
    expect(await countUsers(t, org.adminActor, org.tenantId)).toBe(31);
    expect(await countUsers(t, org.adminActor, org.tenantId, { filter: synced })).toBe(1);
    expect(await countUsers(t, org.adminActor, org.tenantId, { deleted: true })).toBe(1);
  });

  it("filters by principal name prefix, case-insensitively", async () => {
    const users = await collect({ upnPrefix: "MEMBER1", limit: 3 });
    expect(users.map((u) => u.userPrincipalName).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `member1${i}@${org.domain}`),
    );
  });

  it("filters by display name prefix, case-insensitively", async () => {
    const users = await collect({ displayNamePrefix: "name z" });
    expect(users).toHaveLength(4);
    expect(users.every((u) => u.displayName === "Name Z")).toBe(true);
  });

  it("treats % and _ in prefixes literally", async () => {
    expect((await collect({ displayNamePrefix: "100%" })).map((u) => u.displayName)).toEqual([
      "100% Real",
    ]);
    expect(await collect({ displayNamePrefix: "%" })).toEqual([]);
    expect((await collect({ displayNamePrefix: "under_" })).map((u) => u.displayName)).toEqual([
      "Under_Score",
    ]);
    expect((await collect({ upnPrefix: "under_" })).map((u) => u.displayName)).toEqual([
      "Under_Score",
    ]);
  });

  it("filters by enabled state", async () => {
    const disabled = await collect({ accountEnabled: false });
    expect(disabled.map((u) => u.displayName)).toEqual(["disabled person"]);
    expect(await collect({ accountEnabled: true })).toHaveLength(30);
  });

  it("filters synced and cloud users", async () => {
    expect((await collect({ synced: true })).map((u) => u.displayName)).toEqual(["Synced One"]);
    expect(await collect({ synced: false })).toHaveLength(30);
  });

  it("filters by per-user MFA state", async () => {
    expect(await collect({ mfaState: "disabled" })).toHaveLength(31);
    expect(await collect({ mfaState: "enforced" })).toEqual([]);
    await expectAppError(
      listUsers(t, org.adminActor, org.tenantId, { mfaState: "sometimes" }),
      "MFA_STATE_INVALID",
      "Invalid",
    );
  });

  it("search matches a prefix of either the principal name or the display name", async () => {
    const users = await collect({ search: "synced" });
    expect(users.map((u) => u.displayName)).toEqual(["Synced One"]);
    expect(await collect({ search: "Name Y" })).toHaveLength(4);
  });

  it("lists the recycle bin separately", async () => {
    const bin = await collect({ deleted: true });
    expect(bin.map((u) => u.userPrincipalName)).toEqual([`gone@${org.domain}`]);
  });

  it.each([0, 1000, 1.5, -1])("refuses the page size %s", async (limit) => {
    await expectAppError(
      listUsers(t, org.adminActor, org.tenantId, { limit }),
      "PAGE_SIZE_INVALID",
      "Invalid",
    );
  });

  it("refuses a garbage cursor and a cursor of another ordering", async () => {
    await expectAppError(
      listUsers(t, org.adminActor, org.tenantId, { cursor: "not-a-cursor!" }),
      "CURSOR_INVALID",
      "Invalid",
    );
    const page = await listUsers(t, org.adminActor, org.tenantId, { limit: 5, orderBy: "id" });
    await expectAppError(
      listUsers(t, org.adminActor, org.tenantId, {
        cursor: page.nextCursor ?? "",
        orderBy: "displayName",
      }),
      "CURSOR_INVALID",
      "Invalid",
    );
  });

  it("a user renamed while paging is neither lost nor repeated when ordered by id", async () => {
    const first = await listUsers(t, org.adminActor, org.tenantId, { limit: 10 });
    const later = all[20];
    if (!later) throw new Error("fixture too small");
    await updateUser(t, OPERATOR, org.tenantId, later.id, { displayName: "AAA First Now" });
    const rest = await collect({ cursor: first.nextCursor ?? undefined, limit: 10 });
    const seen = [...ids(first.users), ...ids(rest)];
    expect(new Set(seen).size).toBe(all.length);
  });
});
