/**
 * Sign-in throughput: password sign-ins per second with one sign-in in flight at a time (scrypt
 * runs on one thread, so this is the rate one core sustains), through the service and through
 * in-process HTTP, at both hash costs on both engines. Prints one markdown table. Run with
 * `npm run bench:signin` (BENCH_ENGINES=sqlite to skip PostgreSQL, BENCH_SECONDS per cell).
 */
import os from "node:os";
import { createTenant } from "../src/directory/index.js";
import { buildServer } from "../src/http/index.js";
import { signIn } from "../src/security/index.js";
import type { Engine } from "../src/store/engine.js";
import { createTestContext } from "../test/test-context.js";

type HashCost = "default" | "low";

const ENGINES = (process.env.BENCH_ENGINES ?? "sqlite,postgres").split(",") as Engine[];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
/** Runs at least this many sign-ins per cell, whatever the time. */
const MIN_SIGN_INS = 5;
const PASSWORD = "Bench-Password-2026";
const SCRYPT: Record<HashCost, string> = {
  default: "scrypt N=2^17, r=8, p=1 (128 MiB)",
  low: "scrypt N=2^10, r=8, p=1 (1 MiB)",
};

interface Row {
  engine: Engine;
  cost: HashCost;
  path: "service" | "HTTP (inject)";
  count: number;
  ms: number;
}

/** Calls `once` until SECONDS have passed (and at least MIN_SIGN_INS times). */
async function repeat(once: () => Promise<void>): Promise<{ count: number; ms: number }> {
  await once(); // warm-up: the first call compiles and fills caches
  const start = performance.now();
  let count = 0;
  while (count < MIN_SIGN_INS || performance.now() - start < SECONDS * 1000) {
    await once();
    count++;
  }
  return { count, ms: performance.now() - start };
}

async function benchCell(engine: Engine, cost: HashCost): Promise<Row[]> {
  const t = await createTestContext(engine, { config: { hashCost: cost } });
  const app = await buildServer(t, { logger: false });
  try {
    const domain = `bench-${cost}.example`;
    const upn = `admin@${domain}`;
    await createTenant(
      t,
      { type: "operator" },
      {
        displayName: "Bench",
        domain,
        admin: { userPrincipalName: upn, password: PASSWORD },
      },
    );
    const service = await repeat(async () => {
      const result = await signIn(t, {
        userPrincipalName: upn,
        password: PASSWORD,
        sourceAddress: "192.0.2.1",
      });
      if (result.kind !== "signedIn") throw new Error(`sign-in gave ${result.kind}`);
    });
    const http = await repeat(async () => {
      const response = await app.inject({
        method: "POST",
        url: "/auth/signin",
        payload: { userPrincipalName: upn, password: PASSWORD },
        remoteAddress: "192.0.2.2",
      });
      if (response.statusCode !== 200) throw new Error(`sign-in answered ${response.statusCode}`);
    });
    return [
      { engine, cost, path: "service", ...service },
      { engine, cost, path: "HTTP (inject)", ...http },
    ];
  } finally {
    await app.close();
    await t.close();
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  for (const engine of ENGINES) {
    for (const cost of ["default", "low"] as const) rows.push(...(await benchCell(engine, cost)));
  }
  console.log(
    `Sign-ins, one at a time (≈ one core), ${SECONDS} s per cell; ` +
      `${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.availableParallelism()} cores, Node ${process.version}.` +
      "\nEach sign-in: throttle check, user lookup, scrypt verify, session insert, audit entry.\n",
  );
  console.log(
    "| engine | hash cost | parameters | path | sign-ins | ms per sign-in | sign-ins/s |",
  );
  console.log("|---|---|---|---|---:|---:|---:|");
  for (const r of rows) {
    const perSignIn = r.ms / r.count;
    console.log(
      `| ${r.engine} | ${r.cost} | ${SCRYPT[r.cost]} | ${r.path} | ${r.count} | ` +
        `${perSignIn.toFixed(1)} | ${(1000 / perSignIn).toFixed(1)} |`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
