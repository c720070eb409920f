import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openAppContext } from "../src/runtime/open-app-context.js";
import { loadConfig } from "../src/shared/config.js";
import {
  cliEnv,
  collect,
  type Outcome,
  runTenantry,
  startTenantry,
  waitForUrl,
} from "./cli-runner.js";
import type { Engine } from "../src/store/engine.js";
import { createTestDatabase, type TestDatabase } from "./test-context.js";

const BIN = fileURLToPath(new URL("../bin/tenantry.js", import.meta.url));

/** The demo tenant's Global Administrator (src/demo/seed-demo.ts). */
export const DEMO_ADMIN = "admin@contoso.example";
export const DEMO_PASSWORD = "Contoso-Demo-2026!";

/**
 * A real server (the built `tenantry serve`, a child process) on a fresh database of one engine,
 * with the demo tenant seeded by `tenantry demo`, and a client side of its own: a temporary HOME
 * and XDG_CONFIG_HOME, so that profiles never touch the tester's own. Timers the closure waits
 * for are shortened to a second (sync off, deprovisioning), and the scheduler polls often.
 */
export interface CliServer {
  engine: Engine;
  url: string;
  database: TestDatabase;
  /** The store's environment (DATA_DIR / DATABASE_URL): for operator commands and in-process reads. */
  storeEnv: NodeJS.ProcessEnv;
  /** A client's environment: no store settings, its own config folder, en-US. */
  clientEnv: NodeJS.ProcessEnv;
  configHome: string;
  /** Runs `tenantry ARGS` as the client; `input` is written to its stdin, which is then closed. */
  run(args: string[], options?: { env?: Record<string, string>; input?: string }): Promise<Outcome>;
  /** Signs the default profile in as the demo's Global Administrator. */
  login(): Promise<void>;
  stop(): Promise<void>;
}

export interface CliServerOptions {
  /** Regular demo users besides the named admins (fewer is faster). */
  demoUsers?: number;
  /** More server settings, e.g. TENANTRY_CLOSURE_COOLING_OFF. */
  serverEnv?: Record<string, string>;
}

export async function startCliServer(
  engine: Engine,
  { demoUsers = 40, serverEnv = {} }: CliServerOptions = {},
): Promise<CliServer> {
  const database = await createTestDatabase(engine);
  const url = database.storeOptions.databaseUrl;
  const storeEnv = cliEnv({
    TENANTRY_DATA_DIR: database.dataDir,
    ...(url ? { DATABASE_URL: url } : {}),
    TENANTRY_SYNC_OFF_DELAY: "1",
    TENANTRY_DEPROVISION_DELAY: "1",
    TENANTRY_SCHEDULER_POLL_MS: "100",
    ...serverEnv,
  });
  const demo = await runTenantry(["demo", "--users", String(demoUsers)], storeEnv);
  if (demo.code !== 0) throw new Error(`tenantry demo failed:\n${demo.stderr}`);
  const child = startTenantry(["serve", "--port", "0"], storeEnv);
  const { output, exited } = collect(child);
  const serverUrl = await waitForUrl(output);
  const configHome = fs.mkdtempSync(path.join(os.tmpdir(), "tenantry-cli-"));
  const clientEnv = cliEnv({
    HOME: configHome,
    XDG_CONFIG_HOME: path.join(configHome, "config"),
    LANG: "en_US.UTF-8",
    LC_ALL: "",
    LC_MESSAGES: "",
    NO_COLOR: "1",
  });
  const server: CliServer = {
    engine,
    url: serverUrl,
    database,
    storeEnv,
    clientEnv,
    configHome,
    run: (args, options = {}) => runClient(args, { ...clientEnv, ...options.env }, options.input),
    async login() {
      const result = await server.run(
        ["login", "--url", serverUrl, "--user", DEMO_ADMIN, "--password-stdin"],
        { input: `${DEMO_PASSWORD}\n` },
      );
      if (result.code !== 0) throw new Error(`login failed:\n${result.stderr}`);
    },
    async stop() {
      child.kill("SIGTERM");
      await exited;
      fs.rmSync(configHome, { recursive: true, force: true });
      await database.drop();
    },
  };
  return server;
}

function runClient(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<Outcome> {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { env, stdio: "pipe" });
  const { exited } = collect(child);
  child.stdin?.end(input ?? "");
  return exited;
}

/** Parses stdout as the one JSON document `--json` promises; fails the test otherwise. */
export function parseJson<T = Record<string, unknown>>(outcome: Outcome): T {
  try {
    return JSON.parse(outcome.stdout) as T;
  } catch {
    throw new Error(
      `stdout is not one JSON document (exit ${outcome.code}):\n${outcome.stdout}\nstderr:\n${outcome.stderr}`,
    );
  }
}

/**
 * Stands in for a year passing: an agreement subscription's term ends, it lapses and is
 * deprovisioned (SPEC §3). A CLI cannot make time pass, so the store is told the outcome
 * directly, and the subscription's pending lifecycle jobs are dropped with it.
 */
export async function endAgreementTerm(server: CliServer, subscriptionId: string): Promise<void> {
  const ctx = await openAppContext(
    loadConfig({ ...server.storeEnv, TENANTRY_LOG_LEVEL: "silent" }),
  );
  try {
    const now = new Date().toISOString();
    const changed = await ctx.db
      .updateTable("subscription")
      .set({
        status: "deprovisioned",
        status_changed_at: now,
        deprovision_at: now,
        next_lifecycle_at: null,
      })
      .where("id", "=", subscriptionId)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) !== 1) throw new Error(`no subscription ${subscriptionId}`);
    await ctx.db
      .deleteFrom("scheduled_job")
      .where("job_key", "like", `%${subscriptionId}%`)
      .execute();
  } finally {
    await ctx.close();
  }
}

/** Polls until `condition` holds (a server's background work has no event to await). */
export async function waitFor(
  condition: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
