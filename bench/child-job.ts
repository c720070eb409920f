/**
 * What the memory and closure benchmarks share: each measurement runs in a fresh child process of
 * the benchmark script (so one run's heap cannot colour the next), told its job through an
 * environment variable, and prints its result as the last line of its output.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import type { TestDatabase } from "../test/test-context.js";

/** Runs `script` again with `job` as JSON in `variable` and returns the last line it printed. */
export async function runInChild<R>(
  script: string,
  variable: string,
  job: { kind: string },
  nodeArgs: readonly string[] = [],
): Promise<R> {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, [variable]: JSON.stringify(job) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`the ${job.kind} run exited with ${code}`);
  return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as R;
}

/** A child's environment for a test database: its data dir (and URL), cheap hashing, quiet logs. */
export function benchEnvOf(database: TestDatabase): Record<string, string> {
  return {
    TENANTRY_DATA_DIR: database.dataDir,
    TENANTRY_HASH_COST: "low",
    TENANTRY_LOG_LEVEL: "error",
    ...(database.storeOptions.databaseUrl
      ? { DATABASE_URL: database.storeOptions.databaseUrl }
      : {}),
  };
}
