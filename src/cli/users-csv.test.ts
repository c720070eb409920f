import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliServer, DEMO_ADMIN, parseJson, startCliServer } from "../../test/cli-server.js";
import { TEST_ENGINES } from "../../test/test-context.js";

/** Issue 8: `users delete --csv FILE` with the portal's bulk-delete template. */

interface User {
  id: string;
  userPrincipalName: string;
  onPremisesSyncEnabled: boolean | null;
}
interface Item {
  id: string;
  outcome: string;
  code?: string;
}

/** The portal's template: a version row, the header, then one user per row (extra columns kept). */
function template(upns: readonly string[], version = "version:v1.0"): string {
  const rows = upns.map((upn) => `${upn},ignored note`);
  return [version, "User name [userPrincipalName] Required,Note", ...rows].join("\n");
}

describe.each(TEST_ENGINES)("tenantry users delete --csv on %s", (engine) => {
  let server: CliServer;
  let files = 0;

  beforeAll(async () => {
    server = await startCliServer(engine, { demoUsers: 30 });
    await server.login();
  }, 180_000);
  afterAll(async () => {
    await server.stop();
  });

  function csvFile(text: string): string {
    files += 1;
    const file = path.join(server.configHome, `users-${files}.csv`);
    fs.writeFileSync(file, text);
    return file;
  }
  async function users(): Promise<User[]> {
    const result = await server.run(["users", "list", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    return parseJson<{ value: User[] }>(result).value;
  }
  async function cloudUsers(count: number): Promise<string[]> {
    const all = await users();
    return all
      .filter((u) => !u.onPremisesSyncEnabled && u.userPrincipalName !== DEMO_ADMIN)
      .slice(0, count)
      .map((u) => u.userPrincipalName);
  }

  it("--dry-run lists the users the file names as JSON and deletes nothing", async () => {
    const upns = await cloudUsers(3);
    const before = await users();
    const result = await server.run([
      "users",
      "delete",
      "--csv",
      csvFile(template(upns)),
      "--dry-run",
      "--json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const planned = parseJson<{ value: { userPrincipalName: string }[] }>(result).value;
    expect(planned.map((p) => p.userPrincipalName)).toEqual(upns);
    expect(await users()).toEqual(before);
  });

  it("refuses without --yes off a terminal (exit 2), deleting nothing", async () => {
    const before = await users();
    const result = await server.run([
      "users",
      "delete",
      "--csv",
      csvFile(template(await cloudUsers(2))),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tenantry: CONFIRMATION_REQUIRED:");
    expect(await users()).toEqual(before);
  });

  it.each([
    [
      "a row that is not a user principal name",
      (upns: string[]) => template([...upns, "not an address"]),
      "row 5",
    ],
    ["a UPN listed twice", (upns: string[]) => template([upns[0] ?? "", ...upns]), "listed twice"],
    [
      "a missing version row",
      (upns: string[]) => template(upns).split("\n").slice(1).join("\n"),
      "row 1",
    ],
    [
      "a header without the userPrincipalName column",
      (upns: string[]) => `version:v1.0\nName\n${upns.join("\n")}`,
      "row 2",
    ],
    [
      "a UPN that is no user of the organization",
      (upns: string[]) => template([...upns, "ghost@contoso.example"]),
      "ghost@contoso.example is not a user",
    ],
    ["the signed-in admin", (upns: string[]) => template([...upns, DEMO_ADMIN]), "is you"],
  ])("rejects a file with %s before deleting anyone (exit 2)", async (_, build, words) => {
    const before = await users();
    const file = csvFile(build(await cloudUsers(2)));
    const result = await server.run(["users", "delete", "--csv", file, "--yes"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/tenantry: CSV_INVALID: .*Nothing was deleted\./);
    expect(result.stderr).toContain(words);
    expect(await users()).toEqual(before);
  });

  it("refuses a file that cannot be read (exit 2)", async () => {
    const result = await server.run([
      "users",
      "delete",
      "--csv",
      path.join(server.configHome, "missing.csv"),
      "--yes",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tenantry: CSV_UNREADABLE:");
  });

  it("deletes every user the file names, with per-item results and plain progress lines off a terminal", async () => {
    const upns = await cloudUsers(3);
    const result = await server.run([
      "users",
      "delete",
      "--csv",
      csvFile(template(upns)),
      "--yes",
      "--json",
    ]);
    expect(result.code, result.stderr).toBe(0);
    const items = parseJson<{ value: Item[] }>(result).value;
    expect(items).toEqual(upns.map((id) => ({ id, outcome: "ok" })));
    expect(result.stderr).toContain("Deleting users: 3/3");
    const left = (await users()).map((u) => u.userPrincipalName);
    for (const upn of upns) expect(left).not.toContain(upn);
    const bin = parseJson<{ value: User[] }>(
      await server.run(["users", "list", "--deleted", "--json"]),
    );
    expect(bin.value.map((u) => u.userPrincipalName)).toEqual(expect.arrayContaining(upns));
  });

  it("exits 4 with per-item results when some users cannot be deleted (synced users while sync is on)", async () => {
    const synced = (await users()).find((u) => u.onPremisesSyncEnabled)?.userPrincipalName ?? "";
    const [cloud] = await cloudUsers(1);
    const result = await server.run([
      "users",
      "delete",
      "--csv",
      csvFile(template([cloud ?? "", synced])),
      "--yes",
      "--json",
    ]);
    expect(result.code).toBe(4);
    const items = parseJson<{ value: Item[] }>(result).value;
    expect(items[0]).toEqual({ id: cloud, outcome: "ok" });
    expect(items[1]).toMatchObject({
      id: synced,
      outcome: "failed",
      code: expect.stringMatching(/SYNC/),
    });
  });
});
