import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestDatabase } from "./test-context.js";

/**
 * Runs the built CLI as an operator runs it: `node bin/tenantry.js …` with plain node, against the
 * compiled dist/ (SPEC §8: no TypeScript loader at run time). test/global-setup.ts builds dist/
 * once before any test file runs.
 */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = path.join(ROOT, "bin", "tenantry.js");

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a fresh operator shell would have: no store settings but the ones given. */
export function cliEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("TENANTRY_") || key === "DATABASE_URL" || key === "PORT") continue;
    env[key] = value;
  }
  return { ...env, TENANTRY_HASH_COST: "low", TENANTRY_LOG_LEVEL: "info", ...extra };
}

/** `cliEnv` for an operator working on a test's own store (its data directory, and its URL). */
export function storeEnv(database: TestDatabase): NodeJS.ProcessEnv {
  const url = database.storeOptions.databaseUrl;
  return cliEnv({ TENANTRY_DATA_DIR: database.dataDir, ...(url ? { DATABASE_URL: url } : {}) });
}

export function startTenantry(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: "pipe" });
}

export function collect(child: ChildProcess): { output: Outcome; exited: Promise<Outcome> } {
  const output: Outcome = { code: null, stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const exited = new Promise<Outcome>((resolve) => {
    child.on("close", (code) => resolve({ ...output, code }));
  });
  return { output, exited };
}

export function runTenantry(args: string[], env: NodeJS.ProcessEnv = cliEnv({})): Promise<Outcome> {
  return collect(startTenantry(args, env)).exited;
}

/** Polls the server's log (stderr) for the URL it listens on; the port is chosen by the system. */
export async function waitForUrl(output: Outcome, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /"url":"(http:\/\/[^"]+)"/.exec(output.stderr);
    if (match?.[1]) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server did not report its URL in time; stderr:\n${output.stderr}`);
}
