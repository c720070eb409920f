import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliServer, DEMO_ADMIN, parseJson, startCliServer } from "../../test/cli-server.js";
import { TEST_ENGINES } from "../../test/test-context.js";

/**
 * Issue 8: the CLI's nouns follow the API — `--json` prints the API's own JSON (lists as
 * `{"value":[…]}`), tables for people, the server's code and exit 1 when something is not found.
 */

interface User {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
}

const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";

describe.each(TEST_ENGINES)("the admin client's nouns on %s", (engine) => {
  let server: CliServer;
  const run = (...args: string[]) => server.run(args);
  const json = async <T>(...args: string[]): Promise<T> => {
    const result = await run(...args, "--json");
    expect(result.code, `${args.join(" ")}: ${result.stderr}${result.stdout}`).toBe(0);
    return parseJson<T>(result);
  };

  beforeAll(async () => {
    server = await startCliServer(engine, { demoUsers: 5 });
    await server.login();
  }, 180_000);
  afterAll(async () => {
    await server.stop();
  });

  it("users add, show, update, delete and restore a user through the API", async () => {
    const upn = "lee.gu@contoso.example";
    const added = await json<User>(
      "users",
      "add",
      "--upn",
      upn,
      "--name",
      "Lee Gu",
      "--password",
      "Initial-Pass-2026!",
    );
    expect(added).toMatchObject({
      userPrincipalName: upn,
      displayName: "Lee Gu",
      accountEnabled: true,
    });
    expect(await json<User>("users", "show", upn)).toMatchObject({ id: added.id });
    const updated = await json<User>("users", "update", upn, "--name", "Lee G.", "--disable");
    expect(updated).toMatchObject({ displayName: "Lee G.", accountEnabled: false });
    const deleted = await json<{ value: { id: string; outcome: string }[] }>(
      "users",
      "delete",
      upn,
      "--yes",
    );
    expect(deleted.value).toEqual([{ id: added.id, outcome: "ok", action: "delete" }]);
    expect(
      (await json<{ value: User[] }>("users", "list", "--deleted")).value.map((u) => u.id),
    ).toContain(added.id);
    expect(await json<User>("users", "restore", added.id)).toMatchObject({ id: added.id });
    expect((await json<User>("users", "show", added.id)).userPrincipalName).toBe(upn);
  });

  it("users show answers a missing user with the server's code and exit 1", async () => {
    const result = await run("users", "show", "nobody@contoso.example");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^tenantry: [A-Z_]+: /);
    expect(result.stderr).not.toContain("    at ");
  });

  it("users list prints a table for people, without colours off a terminal", async () => {
    const result = await run("users", "list");
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^USER PRINCIPAL NAME\s+DISPLAY NAME\s+ENABLED\s+SYNCED\s+ID$/);
    expect(lines.some((l) => l.startsWith(DEMO_ADMIN))).toBe(true);
    expect(result.stdout).not.toContain("\u001b[");
  });

  it("mfa set changes a user's per-user MFA state, which mfa list then shows", async () => {
    const user = (await json<{ value: User[] }>("users", "list")).value.find(
      (u) => u.userPrincipalName !== DEMO_ADMIN,
    );
    const set = await json<{ perUserMfaState: string }>(
      "mfa",
      "set",
      user?.userPrincipalName ?? "",
      "enforced",
    );
    expect(set.perUserMfaState).toBe("enforced");
    const enforced = await json<{ value: { id: string; perUserMfaState: string }[] }>(
      "mfa",
      "list",
      "--state",
      "enforced",
    );
    expect(enforced.value.map((r) => r.id)).toContain(user?.id);
    expect(enforced.value.every((r) => r.perUserMfaState === "enforced")).toBe(true);
    const everyone = await json<{ value: { id: string }[] }>("mfa", "list");
    expect(everyone.value.length).toBeGreaterThan(enforced.value.length);
    expect((await run("mfa", "list", "--state", "sometimes")).code).toBe(2);
    const wrong = await run("mfa", "set", user?.id ?? "", "sometimes");
    expect(wrong.code).toBe(2);
  });

  it("roles members lists the Global Administrators", async () => {
    const roles = await json<{ value: { id: string }[] }>("roles", "list");
    expect(roles.value.map((r) => r.id)).toContain(GLOBAL_ADMINISTRATOR);
    const members = await json<{ value: { userPrincipalName?: string }[] }>(
      "roles",
      "members",
      GLOBAL_ADMINISTRATOR,
    );
    expect(members.value.map((m) => m.userPrincipalName)).toContain(DEMO_ADMIN);
  });

  it("groups, apps, licenses, payment methods and invoices list as {value: [...]}", async () => {
    for (const noun of ["groups", "apps", "licenses", "payment-methods", "invoices"]) {
      const listed = await json<{ value: unknown[] }>(noun, "list");
      expect(Array.isArray(listed.value), noun).toBe(true);
    }
    const groups = await json<{ value: { id: string }[] }>("groups", "list");
    expect(groups.value.length).toBeGreaterThan(0);
    const group = await json<{ id: string }>("groups", "show", groups.value[0]?.id ?? "");
    expect(group.id).toBe(groups.value[0]?.id);
    const cards = await json<{ value: { last4: string }[] }>("payment-methods", "list");
    expect(cards.value.map((c) => c.last4)).toContain("4242");
  });

  it("subscriptions show and sync status print the API's JSON", async () => {
    const subscriptions = await json<{ value: { id: string }[] }>("subscriptions", "list");
    const one = await json<{ id: string; status: string }>(
      "subscriptions",
      "show",
      subscriptions.value[0]?.id ?? "",
    );
    expect(one.id).toBe(subscriptions.value[0]?.id);
    expect(await json("sync", "status")).toMatchObject({
      onPremisesSyncStatus: "on",
      onPremisesSyncEnabled: true,
    });
  });

  it("subscriptions reactivate brings a disabled subscription back to active", async () => {
    const subscriptions = await json<{ value: { id: string; status: string }[] }>(
      "subscriptions",
      "list",
    );
    const disabled = subscriptions.value.find((s) => s.status === "disabled");
    expect(disabled).toBeDefined();
    const reactivated = await json<{ id: string; status: string }>(
      "subscriptions",
      "reactivate",
      disabled?.id ?? "",
    );
    expect(reactivated).toMatchObject({ id: disabled?.id, status: "active" });
  });

  it("subscriptions cancel validates --when before calling the API (exit 2)", async () => {
    const result = await run(
      "subscriptions",
      "cancel",
      "--all",
      "--reason",
      "unused",
      "--when",
      "later",
      "--yes",
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tenantry: WHEN_INVALID:");
  });

  it("audit list reads the organization's log and audit verify checks its chain", async () => {
    const entries = await json<{ value: { activityDisplayName: string }[] }>(
      "audit",
      "list",
      "--top",
      "5",
    );
    expect(entries.value).toHaveLength(5);
    expect(entries.value[0]?.activityDisplayName).toBe("tenant.create");
    const verified = await json<{ valid: boolean; entries: number }>("audit", "verify");
    expect(verified).toMatchObject({ valid: true, entries: expect.any(Number) });
    expect(verified.entries).toBeGreaterThan(5);
  });
});
