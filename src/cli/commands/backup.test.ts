import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runTenantry } from "../../../test/cli-runner.js";
import { createTestDatabase, TEST_ENGINES, type TestDatabase } from "../../../test/test-context.js";
import { writeTenantExport } from "../../backup/index.js";
import { createMessage } from "../../content/index.js";
import { createTenant, createUser } from "../../directory/index.js";
import { openAppContext } from "../../runtime/open-app-context.js";
import { loadConfig } from "../../shared/config.js";

/** Issue 7: `tenantry export verify FILE` and `tenantry import FILE --domain D`, run as built. */

const OPERATOR = { type: "operator" } as const;

describe.each(TEST_ENGINES)("backup commands on %s", (engine) => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let valid: string;
  let tampered: string;
  /** No store at all: a database that does not exist, so `export verify` must not need one. */
  const offline = cliEnv({ DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    const url = database.storeOptions.databaseUrl;
    env = cliEnv({ TENANTRY_DATA_DIR: database.dataDir, ...(url ? { DATABASE_URL: url } : {}) });
    const ctx = await openAppContext(loadConfig({ ...env, TENANTRY_LOG_LEVEL: "silent" }), {
      migrate: true,
    });
    try {
      const { tenant } = await createTenant(ctx, OPERATOR, {
        displayName: "Northwind",
        domain: "northwind.example",
        admin: { userPrincipalName: "admin@northwind.example", password: "Northwind-Admin-2026" },
      });
      const user = await createUser(ctx, OPERATOR, tenant.id, {
        userPrincipalName: "nancy@northwind.example",
        displayName: "Nancy",
      });
      await createMessage(ctx, OPERATOR, tenant.id, { idOrUpn: user.id }, { subject: "Orders" });
      valid = path.join(database.dataDir, "northwind.tar.gz");
      const out = fs.createWriteStream(valid);
      await writeTenantExport(ctx, tenant.id, async (chunk) => {
        if (!out.write(chunk))
          await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      });
      await new Promise<void>((resolve) => out.end(() => resolve()));
    } finally {
      await ctx.close();
    }
    const tar = zlib.gunzipSync(fs.readFileSync(valid));
    tar[tar.indexOf("Orders")] = "o".charCodeAt(0);
    tampered = path.join(database.dataDir, "tampered.tar.gz");
    fs.writeFileSync(tampered, zlib.gzipSync(tar));
  });
  afterAll(async () => {
    await database.drop();
  });

  it("export verify exits 0 on an intact archive, offline", async () => {
    const result = await runTenantry(["export", "verify", valid], offline);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("a valid Tenantry export of Northwind (northwind.example)");
    const json = await runTenantry(["export", "verify", valid, "--json"], offline);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, problems: [] });
  });

  it("export verify exits non-zero on a tampered archive, naming the changed entry", async () => {
    const result = await runTenantry(["export", "verify", tampered], offline);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("tenantry: EXPORT_INVALID:");
    expect(result.stderr).toMatch(/content\/[0-9a-f-]{36}\/messages\/part-00001\.jsonl: SHA-256/);
    const json = await runTenantry(["export", "verify", tampered, "--json"], offline);
    expect(json.code).toBe(result.code);
    const { error } = JSON.parse(json.stdout);
    expect(error.code).toBe("EXPORT_INVALID");
    expect(error.info).toMatchObject({ valid: false });
    expect(error.info.problems).toHaveLength(1);
  });

  it("export verify refuses a file that does not exist as invalid input", async () => {
    const result = await runTenantry(["export", "verify", `${valid}.missing`], offline);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tenantry: EXPORT_FILE_UNREADABLE:");
  });

  it("import restores the archive into a new organization and prints its summary", async () => {
    const result = await runTenantry(
      ["import", valid, "--domain", "northwind-restored.example", "--json"],
      env,
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      domain: "northwind-restored.example",
      admin: { userPrincipalName: "admin@northwind-restored.example" },
      counts: { users: 2, messages: 1 },
      failures: [],
    });
    const refused = await runTenantry(["import", tampered, "--domain", "other.example"], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("tenantry: EXPORT_INVALID:");
  });
});
