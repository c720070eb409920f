import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTenantry, storeEnv } from "../../../test/cli-runner.js";
import { createTestDatabase, TEST_ENGINES, type TestDatabase } from "../../../test/test-context.js";

interface Key {
  keyId: string;
  algorithm: string;
  createdDateTime: string;
  retiredDateTime?: string;
}

describe.each(TEST_ENGINES)("tenantry signing-keys on %s", (engine) => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    env = storeEnv(database);
  });
  afterAll(async () => {
    await database.drop();
  });

  async function json<T>(...args: string[]): Promise<T> {
    const result = await runTenantry(args, env);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as T;
  }

  it("lists no key before the first certificate or rotation", async () => {
    expect(await json<Key[]>("signing-keys", "list", "--json")).toEqual([]);
  });

  it("rotates: the old key is retired and listed, the new one is current", async () => {
    const first = await json<{ current: Key; retiredKeyIds: string[] }>("signing-keys", "rotate");
    expect(first.retiredKeyIds).toEqual([]);
    expect(first.current).toMatchObject({ algorithm: "Ed25519" });
    const second = await json<{ current: Key; retiredKeyIds: string[] }>("signing-keys", "rotate");
    expect(second.retiredKeyIds).toEqual([first.current.keyId]);

    const keys = await json<Key[]>("signing-keys", "list", "--json");
    expect(keys.map((k) => k.keyId)).toEqual([first.current.keyId, second.current.keyId]);
    expect(keys[0]?.retiredDateTime).toEqual(expect.any(String));
    expect(keys[1]?.retiredDateTime).toBeUndefined();

    const table = await runTenantry(["signing-keys", "list"], env);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^KEY ID\s+ALGORITHM\s+CREATED\s+RETIRED$/);
    expect(lines[1]).toContain(first.current.keyId);
    expect(lines[1]).toMatch(/\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    expect(lines[2]).toMatch(new RegExp(`^${second.current.keyId}\\s.*\\s-$`));
  });

  it("refuses an unknown subcommand with exit code 2", async () => {
    const result = await runTenantry(["signing-keys", "revoke"], env);
    expect(result.code).toBe(2);
  });
});
