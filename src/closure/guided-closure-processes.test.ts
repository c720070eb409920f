import type { ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  type BusyTenant,
  closureEndState,
  createBusyTenant,
  type TenantFingerprint,
  tenantFingerprint,
} from "../../test/closure-crash-fixtures.js";
import type { ClosureTenant } from "../../test/closure-fixtures.js";
import { cliEnv, collect, type Outcome, startTenantry, waitForUrl } from "../../test/cli-runner.js";
import { PASSWORD } from "../../test/directory-fixtures.js";
import {
  createTestDatabase,
  TEST_ENGINES,
  type TestContext,
  type TestDatabase,
} from "../../test/test-context.js";
import { verifyCertificate } from "../certificate/index.js";
import { openAppContext } from "../runtime/open-app-context.js";
import { ManualClock } from "../shared/clock.js";
import { loadConfig } from "../shared/config.js";
import type { Engine } from "../store/engine.js";
import { GUIDED_STEPS, type GuidedStep } from "./index.js";

/**
 * Issue 7, "a few real SIGKILLs of a server process at random moments, each followed by a
 * restart", and "two processes on PostgreSQL, one killed mid-closure, the other finishing after
 * the lease": the built server (`tenantry serve`; test/global-setup.ts builds dist/) closes a
 * tenant of two thousand users with their mail and files, beside a bystander tenant.
 */

/** Every process seals and opens secrets (audit keys, the signing key) with this one key. */
const SECRET_KEY = crypto.randomBytes(32).toString("base64");
/** Users imported into the closing tenant besides the closure fixture's own (one batch each). */
const CLOSING_USERS = 2000;
const BYSTANDER_USERS = 60;
/** The closure fixture's users besides its admin: four live, one synced, one in the recycle bin. */
const FIXTURE_USERS = 6;
/**
 * Where the kills land: a random 50–400 ms after the server holding the lease reached the export,
 * the reversible steps and the irreversible phase. (A restarted server first waits out the dead
 * one's lease: a kill timed from the restart alone would interrupt nothing.)
 */
const KILL_PHASES: readonly GuidedStep[] = ["export", "deleteUsers", "coolingOff"];
const OPEN_STATES = ["running", "waiting", "coolingOff"];

interface Server {
  child: ChildProcess;
  output: Outcome;
  exited: Promise<Outcome>;
  url: string;
}

interface Scene {
  database: TestDatabase;
  env: NodeJS.ProcessEnv;
  /** The same store in-process, with the servers' key. */
  t: TestContext;
  closing: BusyTenant;
  bystander: BusyTenant;
  bystanderBefore: TenantFingerprint;
}

interface OperationRow {
  state: string;
  step: string | null;
  lease_owner: string | null;
}

describe.each(TEST_ENGINES)("the guided closure across server processes on %s", (engine) => {
  const children: ChildProcess[] = [];
  let scene: Scene | undefined;

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const closed = new Promise((resolve) => child.once("close", resolve));
      child.kill("SIGKILL");
      await closed;
    }
    await scene?.t.close();
    await scene?.database.drop();
    scene = undefined;
  });

  async function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
    const child = startTenantry(["serve", "--port", "0"], env);
    children.push(child);
    const { output, exited } = collect(child);
    // Generous: two cores are shared with the other tests and servers.
    return { child, output, exited, url: await waitForUrl(output, 60_000) };
  }

  async function kill(server: Server): Promise<void> {
    server.child.kill("SIGKILL");
    await server.exited;
  }

  it("finishes a closure whose server was killed three times at random moments", async () => {
    scene = await createScene(engine);
    const { t, env, closing } = scene;
    let server = await startServer(env);
    const token = await signIn(server.url, closing);
    expect(await startClosure(server.url, token, closing, true)).toBe(202);

    const killedDuring: string[] = [];
    for (const phase of KILL_PHASES) {
      const pid = `:${server.child.pid}:`;
      await pollOperation(t, closing, (row) => {
        const holds = row.lease_owner?.includes(pid) === true;
        return !OPEN_STATES.includes(row.state) || (holds && isAtOrAfter(row.step, phase));
      });
      await sleep(50 + crypto.randomInt(351));
      const row = await pollOperation(t, closing, () => true);
      killedDuring.push(`${row.state} ${row.step}`);
      await kill(server);
      server = await startServer(env);
    }
    const final = await waitForClosure(server.url, token);
    expect(final.state, `killed during: ${killedDuring.join(", ")}`).toBe("completed");
    await expectErasedExactlyOnce(scene, server.url, token);
  }, 120_000);

  it.skipIf(engine !== "postgres")(
    "has a second server finish the closure once the lease of the killed one expired",
    async () => {
      scene = await createScene(engine);
      const { t, env, closing } = scene;
      const servers = [await startServer(env), await startServer(env)];
      const url = servers[0]?.url ?? "";
      const token = await signIn(url, closing);
      expect(await startClosure(url, token, closing, true)).toBe(202);

      // Mid-closure, while one of them holds the lease.
      const held = await pollOperation(t, closing, (row) => {
        const working = row.state === "running" && row.lease_owner !== null;
        return working && isAtOrAfter(row.step, "deleteUsers");
      });
      const victim = servers.find((s) => held.lease_owner?.includes(`:${s.child.pid}:`));
      const survivor = servers.find((s) => s !== victim);
      if (!victim || !survivor) throw new Error(`no server holds the lease: ${held.lease_owner}`);
      await kill(victim);

      const owners = new Set<string>();
      const final = await pollOperation(t, closing, (row) => {
        if (row.lease_owner !== null) owners.add(row.lease_owner);
        return !OPEN_STATES.includes(row.state);
      });
      expect(final.state).toBe("completed");
      expect([...owners].some((owner) => owner.includes(`:${survivor.child.pid}:`))).toBe(true);
      await expectErasedExactlyOnce(scene, survivor.url, token);
    },
    120_000,
  );
});

/**
 * The closed tenant's certificate verifies and counts every user, message and file once; none of
 * its rows is left; the bystander is unchanged, row for row.
 */
async function expectErasedExactlyOnce(scene: Scene, url: string, token: string): Promise<void> {
  const { t, closing, bystander, bystanderBefore } = scene;
  const response = await call(url, token, "GET", "/v1.0/organization/closure/certificate");
  expect(response.status, response.text).toBe(200);
  const certificate = response.body as Record<string, unknown>;
  expect(verifyCertificate(certificate).valid).toBe(true);
  const users = closing.imported + FIXTURE_USERS;
  expect(certificate).toMatchObject({
    tenantId: closing.org.tenantId,
    erased: {
      recycleBinUsers: users,
      // The fixture's users own two messages and two files.
      recycleBinMailMessages: 2 * closing.imported + 2,
      recycleBinDriveItems: closing.imported + 2,
      app_user: 1,
    },
  });
  expect(await closureEndState(t, closing.org.tenantId)).toMatchObject({
    state: "completed",
    certificateValid: true,
    auditChainValid: true,
    rowsLeft: {},
    done: { deleteUsers: users - 1, purgeRecycleBin: users },
    counts: { deleteUsers: { deleted: users - 1, failed: 0 } },
  });
  expect(await tenantFingerprint(t, bystander.org.tenantId)).toEqual(bystanderBefore);
}

/** A database holding both tenants, built in-process with the servers' key and settings. */
async function createScene(engine: Engine): Promise<Scene> {
  const database = await createTestDatabase(engine);
  const url = database.storeOptions.databaseUrl;
  const env = cliEnv({
    TENANTRY_DATA_DIR: database.dataDir,
    ...(url ? { DATABASE_URL: url } : {}),
    TENANTRY_SECRET_KEY: SECRET_KEY,
    TENANTRY_CLOSURE_COOLING_OFF: "0",
    TENANTRY_DEPROVISION_DELAY: "0",
    TENANTRY_SYNC_OFF_DELAY: "0",
    TENANTRY_LEASE_SECONDS: "2",
    TENANTRY_SCHEDULER_POLL_MS: "100",
  });
  const app = await openAppContext(loadConfig({ ...env, TENANTRY_LOG_LEVEL: "silent" }));
  const t = { ...app, clock: new ManualClock(new Date()), location: database.location };
  try {
    const closing = await createBusyTenant(t, CLOSING_USERS, true);
    const bystander = await createBusyTenant(t, BYSTANDER_USERS, false);
    const bystanderBefore = await tenantFingerprint(t, bystander.org.tenantId);
    return { database, env, t, closing, bystander, bystanderBefore };
  } catch (error) {
    await t.close();
    await database.drop();
    throw error;
  }
}

/** Polls the tenant's operation row until `until` holds (background work has no event to await). */
async function pollOperation(
  t: TestContext,
  tenant: ClosureTenant,
  until: (row: OperationRow) => boolean,
): Promise<OperationRow> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const row = await t.db
      .selectFrom("closure_operation")
      .select(["state", "step", "lease_owner"])
      .where("tenant_id", "=", tenant.org.tenantId)
      .executeTakeFirst();
    if (row && until(row)) return row;
    if (Date.now() > deadline) throw new Error(`timed out; the operation: ${JSON.stringify(row)}`);
    await sleep(20);
  }
}

function isAtOrAfter(step: string | null, from: GuidedStep): boolean {
  return step !== null && GUIDED_STEPS.indexOf(step as GuidedStep) >= GUIDED_STEPS.indexOf(from);
}

/**
 * Polls the status as the closing admin until the closure is no longer open: the admin's token
 * reads it throughout, also once the tenant and its sessions are erased (SPEC §6).
 */
async function waitForClosure(url: string, token: string): Promise<{ state: string }> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const response = await call(url, token, "GET", "/v1.0/organization/closure");
    if (response.status !== 200) throw new Error(`status ${response.status}: ${response.text}`);
    const view = response.body as { state: string };
    if (!OPEN_STATES.includes(view.state)) return view;
    if (Date.now() > deadline) throw new Error(`timed out; the closure: ${response.text}`);
    await sleep(200);
  }
}

async function signIn(url: string, tenant: ClosureTenant): Promise<string> {
  const { userPrincipalName } = tenant.org.admin;
  const response = await call(url, null, "POST", "/auth/signin", {
    userPrincipalName,
    password: PASSWORD,
  });
  const token = (response.body as { accessToken?: string } | null)?.accessToken;
  if (!token) throw new Error(`sign-in failed: ${response.status} ${response.text}`);
  return token;
}

async function startClosure(url: string, token: string, tenant: ClosureTenant, archive: boolean) {
  const body = { confirmDomain: tenant.org.domain, reason: "switched_service", export: archive };
  const response = await call(url, token, "POST", "/v1.0/organization/closure", body);
  return response.status;
}

async function call(
  url: string,
  token: string | null,
  method: string,
  path: string,
  body?: object,
) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const json = response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null;
  return { status: response.status, body: json as unknown, text };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
