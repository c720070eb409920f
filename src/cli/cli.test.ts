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

describe("tenantry command line", () => {
  it("lists its commands with --help and exits 0", async () => {
    const result = await runTenantry(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("migrate");
    expect(result.stdout).toContain("serve");
  });

  it("exits 2 on an unknown command, with a one-line error and a usage message", async () => {
    const result = await runTenantry(["frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe("tenantry: INVALID_USAGE: unknown command 'frobnicate'");
    expect(result.stderr).toContain("Usage: tenantry");
  });

  it("prints a usage error as JSON on stdout with --json", async () => {
    const result = await runTenantry(["serve", "--port", "http", "--json"]);
    expect(result.code).toBe(2);
    const body = JSON.parse(result.stdout);
    expect(body.error.code).toBe("INVALID_USAGE");
    expect(body.error.message).toContain("--port");
  });

  it("exits 2 naming the variable when the configuration is invalid", async () => {
    const result = await runTenantry(["migrate"], cliEnv({ TENANTRY_HASH_COST: "cheap" }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("tenantry: CONFIG_INVALID: TENANTRY_HASH_COST");
  });
});

describe.each(TEST_ENGINES)("tenantry on %s", (engine) => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    env = storeEnv(database);
  });
  afterAll(async () => {
    await database.drop();
  });

  it("migrate applies every migration and prints them; a second run applies none", async () => {
    const first = await runTenantry(["migrate"], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).applied).toContain("0001-directory");
    const second = await runTenantry(["migrate"], env);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({ applied: [] });
  });

  it.each(["serve", "start"])(
    "%s answers /healthz and /readyz, then stops cleanly on SIGTERM",
    async (command) => {
      const child = startTenantry([command, "--port", "0"], env);
      const { output, exited } = collect(child);
      try {
        const url = await waitForUrl(output);
        const health = await fetch(`${url}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.json()).toEqual({ status: "ok" });
        const ready = await fetch(`${url}/readyz`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toEqual({ status: "ready", engine });
      } finally {
        child.kill("SIGTERM");
      }
      const result = await exited;
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('"msg":"stopped"');
    },
  );
});

describe.each(TEST_ENGINES)("tenantry serve --workers on %s", (engine) => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    env = storeEnv(database);
  });
  afterAll(async () => {
    await database.drop();
  });

  it("serves from two processes on one port, replaces a worker that dies and stops all on SIGTERM", async () => {
    const child = startTenantry(["serve", "--port", "0", "--workers", "2"], env);
    const { output, exited } = collect(child);
    const workerPids = () =>
      [...output.stderr.matchAll(/"pid":(\d+)[^\n]*"msg":"server worker listening"/g)].map((m) =>
        Number(m[1]),
      );
    try {
      const url = await waitForUrl(output);
      // Each worker logs from its own process: its line may land after the primary's.
      await waitFor(() => workerPids().length === 2);
      expect(workerPids()).not.toContain(child.pid);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => fetch(`${url}/readyz`).then((r) => r.status)),
      );
      expect(answers).toEqual(Array(20).fill(200));

      const [first] = workerPids();
      process.kill(first as number, "SIGKILL");
      await waitFor(() => workerPids().length === 3);
      expect(output.stderr).toContain("a server worker died; starting another");
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
    const result = await exited;
    expect(result.code).toBe(0);
    for (const pid of workerPids()) expect(isRunning(pid)).toBe(false);
  });

  it("refuses a number of workers out of range as a usage error", async () => {
    const zero = await runTenantry(["serve", "--workers", "0"], env);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("--workers");
    const fromEnv = await runTenantry(["serve"], { ...env, TENANTRY_WORKERS: "lots" });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain("CONFIG_INVALID: TENANTRY_WORKERS");
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
