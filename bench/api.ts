/**
 * API throughput on both engines (`npm run bench:api`): a served `tenantry` process holding a
 * tenant of 100,000 users (set BENCH_USERS), loaded at 50 connections, plus a sequential walk
 * through all users with `$top=999`. Prints one table. The load comes from autocannon in this
 * process, or from wrk with BENCH_TOOL=wrk (`apt-get install wrk`). At saturation wrk reports a
 * tail of a few hundred milliseconds from any Node.js server, even one answering from a busy loop
 * of 0.3 ms per request: its connections are served unevenly; compare tools on the same server.
 * BENCH_ENGINES=sqlite skips PostgreSQL; BENCH_SECONDS sets each load's duration (default 10);
 * BENCH_WORKERS sets the server's `--workers` (default 1); BENCH_SERVER_NODE_ARGS passes node flags
 * to the server (e.g. `--cpu-prof --cpu-prof-dir=prof`). Each load first runs for BENCH_WARMUP
 * seconds (default 3) unmeasured, at the same concurrency, so that it measures a warm server.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { sql } from "kysely";
import { createTenant } from "../src/directory/index.js";
import { openAppContext } from "../src/runtime/open-app-context.js";
import { issueSession } from "../src/security/index.js";
import { hashPassword } from "../src/security/password-hash.js";
import { loadConfig } from "../src/shared/config.js";
import { newId } from "../src/shared/ids.js";
import { type Engine, refreshStatistics } from "../src/store/engine.js";
import type { Store } from "../src/store/open-store.js";
import { createTestDatabase } from "../test/test-context.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const engines = (process.env.BENCH_ENGINES ?? "sqlite,postgres").split(",") as Engine[];
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP ?? 3);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
const CONNECTIONS = 50;
const TOOL = process.env.BENCH_TOOL ?? "autocannon";
if (TOOL !== "autocannon" && TOOL !== "wrk") throw new Error("BENCH_TOOL is autocannon or wrk");
const PASSWORD = "Bench-Password-2026";

interface Row {
  engine: Engine;
  load: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}
const rows: Row[] = [];
const walks: Array<{ engine: Engine; users: number; ms: number }> = [];

/** Users go in through SQL in batches, all sharing one precomputed password hash. */
async function seed(store: Store, tenantId: string): Promise<string[]> {
  const hash = await hashPassword(PASSWORD, "low");
  const now = new Date().toISOString();
  const ids: string[] = [];
  for (let start = 0; start < USERS; start += 5000) {
    await store.db.transaction().execute(async (trx) => {
      for (let i = start; i < Math.min(start + 5000, USERS); i += 500) {
        const batch = Array.from({ length: Math.min(500, USERS - i) }, (_, k) => {
          const n = i + k;
          const id = newId();
          ids.push(id);
          const upn = `user${String(n).padStart(6, "0")}@bench.example`;
          return {
            tenant_id: tenantId,
            id,
            user_principal_name: upn,
            upn_key: upn,
            display_name: `${["Adele", "Bianca", "Carlos", "Dmitri", "Elena"][n % 5]} User ${n}`,
            mail: upn,
            mail_nickname: `user${n}`,
            account_enabled: n % 20 !== 0,
            password_hash: hash,
            force_change_password: false,
            external_id: null,
            on_premises_sync_enabled: null,
            per_user_mfa_state: "disabled",
            created_at: now,
            updated_at: now,
            deleted_at: null,
          };
        });
        await trx.insertInto("app_user").values(batch).execute();
      }
    });
  }
  return ids;
}

/** A port the system says is free right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/** A served `tenantry` process with request logging off (warn), polled until it answers. */
async function serve(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      path.join(ROOT, "bin", "tenantry.js"),
      "serve",
      "--port",
      String(port),
      "--workers",
      String(WORKERS),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, ...env, TENANTRY_LOG_LEVEL: "warn", TENANTRY_RATE_LIMIT: "100000000" },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { child, url };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGTERM");
  throw new Error("the server did not become ready within 20 s");
}

/** Requests/s, p50, p99 (ms) and failures, from wrk's `--latency` report. */
async function runWrk(url: string, authorization: string, seconds: number) {
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      "wrk",
      [
        "--threads",
        "1",
        "--connections",
        String(CONNECTIONS),
        "--duration",
        `${seconds}s`,
        "--latency",
        "--header",
        `authorization: ${authorization}`,
        url,
      ],
      (error, out) => (error ? reject(error) : resolve(out)),
    ),
  );
  const ms = (percentile: string) => {
    const match = new RegExp(`^\\s+${percentile}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(stdout);
    if (!match?.[1]) throw new Error(`no p${percentile} in wrk's report:\n${stdout}`);
    return Number(match[1]) * ({ us: 0.001, ms: 1, s: 1000 } as const)[match[2] as "us"];
  };
  // "Socket errors: connect 0, read 0, write 0, timeout 0" appears only when there were some.
  const socketErrors = (/^\s*Socket errors: (.*)$/m.exec(stdout)?.[1] ?? "")
    .split(",")
    .reduce((sum, part) => sum + Number(/\d+/.exec(part)?.[0] ?? 0), 0);
  return {
    rps: Number(/^Requests\/sec:\s+([\d.]+)/m.exec(stdout)?.[1]),
    p50: ms("50"),
    p99: ms("99"),
    errors: Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0) + socketErrors,
  };
}

async function load(
  engine: Engine,
  name: string,
  url: string,
  authorization: string,
): Promise<void> {
  if (TOOL === "wrk") {
    if (WARMUP_SECONDS > 0) await runWrk(url, authorization, WARMUP_SECONDS);
    rows.push({ engine, load: name, ...(await runWrk(url, authorization, SECONDS)) });
    return;
  }
  if (WARMUP_SECONDS > 0) {
    await autocannon({
      url,
      connections: CONNECTIONS,
      duration: WARMUP_SECONDS,
      headers: { authorization },
    });
  }
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { authorization },
  });
  rows.push({
    engine,
    load: name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  });
}

async function benchEngine(engine: Engine): Promise<void> {
  const database = await createTestDatabase(engine);
  // The same data dir as the server, so both use one master key file.
  const env = {
    TENANTRY_DATA_DIR: database.dataDir,
    TENANTRY_HASH_COST: "low",
    ...(database.storeOptions.databaseUrl
      ? { DATABASE_URL: database.storeOptions.databaseUrl }
      : {}),
  };
  const ctx = await openAppContext(loadConfig({ ...env, TENANTRY_LOG_LEVEL: "warn" }));
  let server: { child: ChildProcess; url: string } | undefined;
  try {
    const { tenant, admin } = await createTenant(
      ctx,
      { type: "operator" },
      {
        displayName: "Bench",
        domain: "bench.example",
        admin: { userPrincipalName: "admin@bench.example", password: PASSWORD },
      },
    );
    const ids = await seed(ctx.store, tenant.id);
    // As autovacuum would within a minute of the load, so that it does not run during the loads.
    if (ctx.engine === "postgres") await sql`vacuum (analyze) app_user`.execute(ctx.db);
    else await refreshStatistics(ctx.db, ctx.engine, "app_user");
    const issued = await ctx.db.transaction().execute((trx) =>
      issueSession(ctx, trx, {
        tenantId: tenant.id,
        subjectType: "user",
        subjectId: admin.id,
        kind: "full",
        userEpoch: 0,
        authenticatedAt: new Date(),
      }),
    );
    const authorization = `Bearer ${issued.accessToken}`;
    server = await serve(env);
    const base = server.url;
    await load(engine, "GET /v1.0/users?$top=100", `${base}/v1.0/users?$top=100`, authorization);
    await load(
      engine,
      "GET /v1.0/users/{id}",
      `${base}/v1.0/users/${ids[Math.floor(ids.length / 2)]}`,
      authorization,
    );
    await load(
      engine,
      "GET /v1.0/users?$filter=startswith(displayName,'Carlos')&$top=100",
      `${base}/v1.0/users?$filter=${encodeURIComponent("startswith(displayName,'Carlos')")}&$top=100`,
      authorization,
    );
    const started = process.hrtime.bigint();
    let seen = 0;
    for (let next: string | undefined = `${base}/v1.0/users?$top=999`; next; ) {
      const response = await fetch(next, { headers: { authorization } });
      if (!response.ok)
        throw new Error(`paging failed: ${response.status} ${await response.text()}`);
      const page = (await response.json()) as { value: unknown[]; "@odata.nextLink"?: string };
      seen += page.value.length;
      next = page["@odata.nextLink"];
    }
    walks.push({ engine, users: seen, ms: Number(process.hrtime.bigint() - started) / 1e6 });
  } finally {
    if (server && server.child.exitCode === null) {
      // Let it close its connections before the database is dropped under them.
      const exited = once(server.child, "exit");
      server.child.kill("SIGTERM");
      await exited;
    }
    await ctx.close();
    await database.drop();
  }
}

for (const engine of engines) await benchEngine(engine);

console.log(
  `\n${USERS.toLocaleString("en-US")} users, ${CONNECTIONS} connections, ${SECONDS} s per load after ${WARMUP_SECONDS} s warm-up, ${WORKERS} server process(es), load from ${TOOL}, node ${process.version}\n`,
);
console.log("| engine | load | requests/s | p50 ms | p99 ms | errors |");
console.log("|---|---|---:|---:|---:|---:|");
for (const r of rows) {
  console.log(
    `| ${r.engine} | ${r.load} | ${Math.round(r.rps).toLocaleString("en-US")} | ${r.p50} | ${r.p99} | ${r.errors} |`,
  );
}
console.log("\n| engine | paging with $top=999 | users | ms | users/s |");
console.log("|---|---|---:|---:|---:|");
for (const w of walks) {
  console.log(
    `| ${w.engine} | all users | ${w.users} | ${w.ms.toFixed(0)} | ${Math.round((w.users / w.ms) * 1000).toLocaleString("en-US")} |`,
  );
}
