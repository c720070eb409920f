/**
 * Account closure at scale (`npm run bench:closure`; prints a table, not a test). A tenant of
 * BENCH_USERS users (default 100,000; BENCH_MFA_USERS of them with per-user MFA enabled, default
 * 50,000), BENCH_CONTENT content items (default 1,000,000, half mail messages, half small files)
 * and BENCH_SUBSCRIPTIONS paid subscriptions (default 20), seeded through SQL with one precomputed
 * password hash, on each of BENCH_ENGINES (default `sqlite,postgres`):
 * - plain SQL: `DELETE … WHERE tenant_id = ?` table by table, children first, then the same
 *   compaction the closure ends with (src/store/erasure.ts), timed apart;
 * - on a fresh copy: the backup export alone (streamed to a file), then the guided closure without
 *   export, with cooling-off and deprovisioning delays at 0, until `completed`.
 * Each run is a child process of its own, so its peak RSS (`maxRSS`) is its own, even while a
 * long SQLite statement blocks the event loop. Targets (issue 7): closure ≤ 2× plain SQL, peak
 * memory < 300 MB, export memory flat.
 */
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "kysely";
import { writeTenantExport } from "../src/backup/index.js";
import { ClosureWorker, startGuidedClosure, tenantOwnedTables } from "../src/closure/index.js";
import { commerceJobHandlers } from "../src/commerce/index.js";
import { directoryJobHandlers } from "../src/directory/index.js";
import { type OpenedApp, openAppContext } from "../src/runtime/open-app-context.js";
import { Scheduler } from "../src/scheduler/index.js";
import { loadConfig } from "../src/shared/config.js";
import type { Engine } from "../src/store/engine.js";
import { compactAfterErasure } from "../src/store/erasure.js";
import { createTestDatabase, type TestDatabase } from "../test/test-context.js";
import { benchEnvOf, runInChild } from "./child-job.js";
import {
  BENCH_DOMAIN,
  countTenantRows,
  type SeedSizes,
  seedClosureTenant,
} from "./closure-seed.js";

const engines = (process.env.BENCH_ENGINES ?? "sqlite,postgres").split(",") as Engine[];
const SIZES: SeedSizes = {
  users: Number(process.env.BENCH_USERS ?? 100_000),
  content: Number(process.env.BENCH_CONTENT ?? 1_000_000),
  mfaUsers: Number(process.env.BENCH_MFA_USERS ?? 50_000),
  subscriptions: Number(process.env.BENCH_SUBSCRIPTIONS ?? 20),
};

/** What a child process runs, passed as JSON in BENCH_CLOSURE_JOB. */
interface Job {
  kind: "plain" | "closure" | "export" | "idle";
  env: Record<string, string>;
  tenantId: string;
  adminId: string;
}

interface JobResult {
  ms: number;
  /** Compaction after the plain DELETEs, timed apart. */
  compactMs?: number;
  exportBytes?: number;
  peakRssMb: number;
}

interface StepRow {
  engine: Engine;
  step: string;
  done: number;
  seconds: number | null;
}

interface Row {
  engine: Engine;
  run: string;
  rows: number;
  ms: number;
  peakRssMb: number;
  baseMs?: number;
}

/** The settings every process of one engine's runs shares (store, master key, zero delays). */
function envOf(database: TestDatabase): Record<string, string> {
  return {
    ...benchEnvOf(database),
    TENANTRY_CLOSURE_COOLING_OFF: "0",
    TENANTRY_DEPROVISION_DELAY: "0",
  };
}

/** One measured run, in this (child) process. */
async function runJob(job: Job): Promise<JobResult> {
  const ctx = await openAppContext(loadConfig(job.env), { migrate: false });
  const started = performance.now();
  const result: Omit<JobResult, "peakRssMb"> = { ms: 0 };
  try {
    if (job.kind === "plain") {
      const tables = await tenantOwnedTables(ctx.db, ctx.engine);
      for (const table of tables) {
        await sql`delete from ${sql.table(table)} where tenant_id = ${job.tenantId}`.execute(
          ctx.db,
        );
      }
      result.ms = performance.now() - started;
      await compactAfterErasure(ctx.db, ctx.engine, tables);
      result.compactMs = performance.now() - started - result.ms;
    } else if (job.kind === "export") {
      const file = path.join(ctx.config.dataDir, "bench-export.tar.gz");
      const out = fs.createWriteStream(file);
      const summary = await writeTenantExport(ctx, job.tenantId, async (chunk) => {
        if (!out.write(chunk)) await once(out, "drain");
      });
      out.end();
      await once(out, "finish");
      result.ms = performance.now() - started;
      result.exportBytes = summary.bytes;
      fs.rmSync(file);
    } else if (job.kind === "closure") {
      await runGuidedClosure(ctx, job);
      result.ms = performance.now() - started;
    }
  } finally {
    await ctx.close();
  }
  return { ...result, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

/**
 * Starts the guided closure and works it as a server process would: the closure worker, and the
 * scheduler for the timers it waits on (deprovisioning), until the operation is `completed`.
 */
async function runGuidedClosure(ctx: OpenedApp, job: Job): Promise<void> {
  const actor = { type: "user", tenantId: job.tenantId, userId: job.adminId } as const;
  await startGuidedClosure(ctx, actor, job.tenantId, {
    confirmDomain: BENCH_DOMAIN,
    reason: "other",
    export: false,
  });
  const worker = new ClosureWorker(ctx);
  const scheduler = new Scheduler(ctx, {
    ...directoryJobHandlers(ctx),
    ...commerceJobHandlers(ctx),
  });
  for (;;) {
    await worker.runUntilIdle();
    const operation = await ctx.db
      .selectFrom("closure_operation")
      .select(["state", "step", "error"])
      .where("tenant_id", "=", job.tenantId)
      .executeTakeFirstOrThrow();
    if (operation.state === "completed") return;
    if (operation.state === "failed" || operation.state === "cancelled") {
      throw new Error(`The closure ${operation.state} at ${operation.step}: ${operation.error}`);
    }
    const { ran } = await scheduler.runDueJobs();
    // A timer at "now + 0" falls due once the clock has moved past it.
    if (ran === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs a job in a child process of this script and returns what it measured. */
function inChild(job: Job): Promise<JobResult> {
  return runInChild<JobResult>(fileURLToPath(import.meta.url), "BENCH_CLOSURE_JOB", job);
}

/** A fresh database of the engine with the seeded tenant; its row count, for rows/s. */
async function seeded(engine: Engine) {
  const database = await createTestDatabase(engine);
  const env = envOf(database);
  const ctx = await openAppContext(loadConfig(env));
  try {
    const ids = await seedClosureTenant(ctx, SIZES);
    return { database, env, ...ids, rows: await countTenantRows(ctx, ids.tenantId) };
  } finally {
    await ctx.close();
  }
}

/**
 * Fails the benchmark when a run left rows of the tenant (it must have erased them all); returns
 * the closure's steps with their items and seconds, when there was one.
 */
async function expectErased(env: Record<string, string>, tenantId: string): Promise<StepRow[]> {
  const ctx = await openAppContext(loadConfig(env), { migrate: false });
  try {
    const left = await countTenantRows(ctx, tenantId);
    if (left > 0) throw new Error(`${left} rows of the tenant are left`);
    const steps = await ctx.db
      .selectFrom("closure_step_progress")
      .select(["step", "done", "started_at", "finished_at"])
      .where("tenant_id", "=", tenantId)
      .orderBy("position")
      .execute();
    return steps.map((s) => ({
      engine: ctx.engine,
      step: s.step,
      done: Number(s.done),
      seconds:
        s.started_at && s.finished_at
          ? (Date.parse(s.finished_at) - Date.parse(s.started_at)) / 1000
          : null,
    }));
  } finally {
    await ctx.close();
  }
}

async function benchEngine(
  engine: Engine,
  rows: Row[],
  steps: StepRow[],
  notes: string[],
): Promise<void> {
  const first = await seeded(engine);
  try {
    const job = { env: first.env, tenantId: first.tenantId, adminId: first.adminId };
    const idle = await inChild({ ...job, kind: "idle" });
    notes.push(
      `${engine}: a process that only opens the store peaks at ${idle.peakRssMb.toFixed(0)} MB`,
    );
    const plain = await inChild({ ...job, kind: "plain" });
    await expectErased(first.env, first.tenantId);
    const base = { engine, rows: first.rows, peakRssMb: plain.peakRssMb };
    rows.push({ ...base, run: "plain SQL DELETE", ms: plain.ms, baseMs: plain.ms });
    rows.push({
      ...base,
      run: "plain SQL DELETE + compaction",
      ms: plain.ms + (plain.compactMs ?? 0),
      baseMs: plain.ms,
    });
  } finally {
    await first.database.drop();
  }
  const second = await seeded(engine);
  try {
    const job = { env: second.env, tenantId: second.tenantId, adminId: second.adminId };
    const exported = await inChild({ ...job, kind: "export" });
    rows.push({ engine, run: "export alone", rows: second.rows, ...exported });
    notes.push(`${engine}: archive of ${((exported.exportBytes ?? 0) / 1e6).toFixed(1)} MB`);
    const closed = await inChild({ ...job, kind: "closure" });
    steps.push(...(await expectErased(second.env, second.tenantId)));
    const baseMs = rows.find((r) => r.engine === engine && r.run === "plain SQL DELETE")?.ms;
    rows.push({ engine, run: "guided closure (no export)", rows: second.rows, ...closed, baseMs });
  } finally {
    await second.database.drop();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const steps: StepRow[] = [];
  const notes: string[] = [];
  for (const engine of engines) await benchEngine(engine, rows, steps, notes);
  console.log(
    `\n${SIZES.users.toLocaleString("en-US")} users (${SIZES.mfaUsers.toLocaleString("en-US")} with MFA), ${SIZES.content.toLocaleString("en-US")} content items, ${SIZES.subscriptions} subscriptions; cooling-off and deprovisioning 0 s; node ${process.version}\n`,
  );
  console.log("| engine | run | rows | wall s | rows/s | peak RSS MB | × plain SQL |");
  console.log("|---|---|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    const ratio = r.baseMs ? (r.ms / r.baseMs).toFixed(2) : "";
    console.log(
      `| ${r.engine} | ${r.run} | ${r.rows.toLocaleString("en-US")} | ${(r.ms / 1000).toFixed(1)} | ${Math.round((r.rows / r.ms) * 1000).toLocaleString("en-US")} | ${r.peakRssMb.toFixed(0)} | ${ratio} |`,
    );
  }
  console.log("\n| engine | guided closure step | items | s |");
  console.log("|---|---|---:|---:|");
  for (const s of steps) {
    console.log(
      `| ${s.engine} | ${s.step} | ${s.done.toLocaleString("en-US")} | ${s.seconds?.toFixed(1) ?? ""} |`,
    );
  }
  console.log(`\n${notes.join("\n")}`);
}

const jobText = process.env.BENCH_CLOSURE_JOB;
if (jobText) {
  const job = JSON.parse(jobText) as Job;
  console.log(JSON.stringify(await runJob(job)));
} else {
  await main();
}
