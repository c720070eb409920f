import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cliEnv,
  collect,
  runTenantry,
  startTenantry,
  storeEnv,
  waitForUrl,
} from "../../test/cli-runner.js";
import { createTestDatabase, TEST_ENGINES, type TestDatabase } from "../../test/test-context.js";
import { getSyncState, turnOffSync, turnOnSync } from "../directory/index.js";
import { openAppContext } from "../runtime/open-app-context.js";
import { loadConfig } from "../shared/config.js";

const PASSWORD = "Fabrikam-Admin-2026";

describe.each(TEST_ENGINES)("operator commands on %s", (engine) => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    env = storeEnv(database);
  });
  afterAll(async () => {
    await database.drop();
  });

  /** The store the CLI uses, opened in-process (same data dir, so the same master key). */
  function openStoreAsOperator() {
    return openAppContext(loadConfig({ ...env, TENANTRY_LOG_LEVEL: "silent" }));
  }

  async function createTenant(domain: string) {
    const args = ["tenant", "create", "--name", "Fabrikam", "--domain", domain];
    return runTenantry([...args, "--admin-upn", `admin@${domain}`, "--password", PASSWORD], env);
  }

  it("tenant create prints the tenant id, domain and admin id as JSON", async () => {
    const result = await createTenant("fabrikam.example");
    expect(result.code).toBe(0);
    const created = JSON.parse(result.stdout);
    expect(created).toEqual({
      tenantId: expect.any(String),
      domain: "fabrikam.example",
      adminUserId: expect.any(String),
    });
  });

  it("tenant create refuses a domain that was ever used, with exit code 3", async () => {
    const result = await createTenant("FABRIKAM.example");
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("tenantry: DOMAIN_TAKEN:");
  });

  it("tenant create refuses a malformed domain with exit code 2 and creates nothing", async () => {
    const result = await createTenant("not a domain");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tenantry: DOMAIN_INVALID:");
  });

  it("audit verify exits 0 on an intact chain and non-zero naming the first edited entry", async () => {
    const { tenantId } = JSON.parse((await createTenant("tamper.example")).stdout);
    const intact = await runTenantry(["audit", "verify", "--tenant", tenantId], env);
    expect(intact.code).toBe(0);
    expect(JSON.parse(intact.stdout)).toMatchObject({ ok: true, entries: 1 });

    const ctx = await openStoreAsOperator();
    await ctx.db
      .updateTable("audit_log")
      .set({ outcome: "failure" })
      .where("tenant_id", "=", tenantId)
      .where("seq", "=", 1)
      .execute();
    await ctx.close();
    const broken = await runTenantry(["audit", "verify", "--tenant", tenantId], env);
    expect(broken.code).not.toBe(0);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, firstBad: { seq: 1 } });
    expect(broken.stderr).toContain("broken at entry 1");
  });

  it("demo creates Contoso with a few hundred users and prints how to sign in", async () => {
    const result = await runTenantry(["demo"], env);
    expect(result.code).toBe(0);
    const demo = JSON.parse(result.stdout);
    expect(demo.domain).toBe("contoso.example");
    expect(demo.users).toBeGreaterThanOrEqual(300);
    expect(demo.signIn.userPrincipalName).toBe("admin@contoso.example");
    expect(demo.commerce.subscriptions).toEqual({
      active: 4,
      expired: 1,
      disabled: 1,
      deprovisioned: 1,
    });
    expect(demo.commerce.invoices).toMatchObject({ due: 1 });
    expect(result.stderr).toContain("Sign in as admin@contoso.example");
  });

  it("serve runs the scheduler: turning sync off completes in the server after its delay", async () => {
    const { tenantId } = JSON.parse((await createTenant("sync.example")).stdout);
    const ctx = await openStoreAsOperator();
    try {
      await turnOnSync(ctx, { type: "operator" }, tenantId);
      const fast = { ...ctx, config: { ...ctx.config, syncOffDelayMs: 500 } };
      expect((await turnOffSync(fast, { type: "operator" }, tenantId)).status).toBe("turningOff");

      const child = startTenantry(["serve", "--port", "0"], {
        ...env,
        TENANTRY_SCHEDULER_POLL_MS: "100",
      });
      const { output, exited } = collect(child);
      try {
        await waitForUrl(output);
        let status = "turningOff";
        for (let i = 0; i < 100 && status !== "off"; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          status = (await getSyncState(ctx, { type: "operator" }, tenantId)).status;
        }
        expect(status).toBe("off");
      } finally {
        child.kill("SIGTERM");
      }
      expect((await exited).code).toBe(0);
    } finally {
      await ctx.close();
    }
  });
});

describe("npm start on a new store", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
  });
  afterAll(async () => {
    await database.drop();
  });

  it("seeds the demo tenant on first start only, and serves", async () => {
    const env = cliEnv({ TENANTRY_DATA_DIR: database.dataDir });
    for (const expectSeed of [true, false]) {
      const child = startTenantry(["start", "--port", "0"], env);
      const { output, exited } = collect(child);
      try {
        const url = await waitForUrl(output);
        expect((await fetch(`${url}/healthz`)).status).toBe(200);
      } finally {
        child.kill("SIGTERM");
      }
      const result = await exited;
      expect(result.code).toBe(0);
      expect(result.stderr.includes("seeded the demo tenant Contoso")).toBe(expectSeed);
    }
  });
});
