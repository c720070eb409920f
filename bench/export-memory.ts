/**
 * The backup export's memory against the tenant's size (issue 7: "memory stays flat however large
 * the tenant"; prints a table, not a test). For each of BENCH_SIZES content items (default
 * `20000,200000,1000000`; half mail messages, half small files, one user per 10 items, seeded
 * through SQL by bench/closure-seed.ts) on each of BENCH_ENGINES (default `sqlite`), a child
 * process opens the store and runs `writeTenantExport` into a sink that only hashes the bytes,
 * sampling `process.memoryUsage()` every SAMPLE_MS and every SAMPLE_CHUNKS chunks of the sink.
 * Peak heap counts garbage not yet collected, so the child (run with `--expose-gc`) also collects
 * every RETAINED_MS and records what survives: the "retained heap", which must not grow with the
 * tenant. A child of its own per run, so its peak RSS (`maxRSS`) is the export's alone; an "idle"
 * child (opens the store, nothing else) gives the floor.
 *
 * Run: `tsc -p tsconfig.bench.json && node dist-bench/bench/export-memory.js`.
 */
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { writeTenantExport } from "../src/backup/index.js";
import { openAppContext } from "../src/runtime/open-app-context.js";
import { loadConfig } from "../src/shared/config.js";
import type { Engine } from "../src/store/engine.js";
import { createTestDatabase } from "../test/test-context.js";
import { benchEnvOf, runInChild } from "./child-job.js";
import { countTenantRows, seedClosureTenant } from "./closure-seed.js";

const engines = (process.env.BENCH_ENGINES ?? "sqlite").split(",") as Engine[];
const sizes = (process.env.BENCH_SIZES ?? "20000,200000,1000000").split(",").map(Number);
const SAMPLE_MS = 50;
const SAMPLE_CHUNKS = 64;
const RETAINED_MS = 1000;

/** What a child process runs, passed as JSON in BENCH_EXPORT_JOB. */
interface Job {
  kind: "export" | "idle";
  env: Record<string, string>;
  tenantId: string;
}

interface JobResult {
  ms: number;
  archiveBytes: number;
  entries: number;
  peakRssMb: number;
  peakHeapMb: number;
  /** The largest heap that survived a full collection during the run. */
  retainedHeapMb: number;
  /** Buffers and other memory outside V8's heap (gzip, tar, driver rows). */
  peakExternalMb: number;
}

interface Row {
  engine: Engine;
  content: number;
  rows: number;
  result: JobResult;
}

const MB = 1024 * 1024;

/** One measured run, in this (child) process. */
async function runJob(job: Job): Promise<JobResult> {
  let peakHeap = 0;
  let peakExternal = 0;
  let retained = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakHeap = Math.max(peakHeap, usage.heapUsed);
    peakExternal = Math.max(peakExternal, usage.external);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  const collect = globalThis.gc;
  const collector = setInterval(() => {
    if (!collect) return;
    sample();
    collect();
    retained = Math.max(retained, process.memoryUsage().heapUsed);
  }, RETAINED_MS);
  const ctx = await openAppContext(loadConfig(job.env), { migrate: false });
  const started = performance.now();
  const result = { ms: 0, archiveBytes: 0, entries: 0 };
  try {
    if (job.kind === "export") {
      const hash = createHash("sha256");
      let chunks = 0;
      const summary = await writeTenantExport(ctx, job.tenantId, async (chunk) => {
        hash.update(chunk);
        chunks += 1;
        if (chunks % SAMPLE_CHUNKS === 0) sample();
      });
      if (hash.digest("hex") !== summary.sha256) throw new Error("the summary's SHA-256 differs");
      result.ms = performance.now() - started;
      result.archiveBytes = summary.bytes;
      result.entries = summary.entries;
    }
  } finally {
    clearInterval(timer);
    clearInterval(collector);
    sample();
    await ctx.close();
  }
  return {
    ...result,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    peakHeapMb: peakHeap / MB,
    retainedHeapMb: retained / MB,
    peakExternalMb: peakExternal / MB,
  };
}

/** Runs a job in a child process of this script and returns what it measured. */
function inChild(job: Job): Promise<JobResult> {
  return runInChild<JobResult>(fileURLToPath(import.meta.url), "BENCH_EXPORT_JOB", job, [
    "--expose-gc",
  ]);
}

/** Seeds a fresh database with `content` items and measures an idle and an export child. */
async function measure(engine: Engine, content: number): Promise<{ row: Row; idle: JobResult }> {
  const database = await createTestDatabase(engine);
  try {
    const env = benchEnvOf(database);
    const ctx = await openAppContext(loadConfig(env));
    let tenantId: string;
    let rows: number;
    try {
      const users = Math.max(1, Math.round(content / 10));
      ({ tenantId } = await seedClosureTenant(ctx, {
        users,
        mfaUsers: 0,
        content,
        subscriptions: 20,
      }));
      rows = await countTenantRows(ctx, tenantId);
    } finally {
      await ctx.close();
    }
    const idle = await inChild({ kind: "idle", env, tenantId });
    const result = await inChild({ kind: "export", env, tenantId });
    return { row: { engine, content, rows, result }, idle };
  } finally {
    await database.drop();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const engine of engines) {
    for (const content of sizes) {
      const { row, idle } = await measure(engine, content);
      rows.push(row);
      notes.push(
        `${engine} ${content.toLocaleString("en-US")}: idle process peaks at ${idle.peakRssMb.toFixed(0)} MB RSS`,
      );
      console.error(`measured ${engine} ${content}: ${JSON.stringify(row.result)}`);
    }
  }
  console.log(`\nexport into a hashing sink; node ${process.version}\n`);
  console.log(
    "| engine | content items | tenant rows | entries | archive MB | wall s | peak RSS MB | peak heap MB | retained heap MB | peak external MB |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const { engine, content, rows: n, result: r } of rows) {
    console.log(
      `| ${engine} | ${content.toLocaleString("en-US")} | ${n.toLocaleString("en-US")} | ${r.entries.toLocaleString("en-US")} | ${(r.archiveBytes / 1e6).toFixed(1)} | ${(r.ms / 1000).toFixed(1)} | ${r.peakRssMb.toFixed(0)} | ${r.peakHeapMb.toFixed(0)} | ${r.retainedHeapMb.toFixed(0)} | ${r.peakExternalMb.toFixed(0)} |`,
    );
  }
  console.log(`\n${notes.join("\n")}`);
}

const jobText = process.env.BENCH_EXPORT_JOB;
if (jobText) {
  const job = JSON.parse(jobText) as Job;
  console.log(JSON.stringify(await runJob(job)));
} else {
  await main();
}
