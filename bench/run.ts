/**
 * Directory benchmarks on both engines. Prints one table; run with `npm run bench`
 * (set BENCH_ENGINES=sqlite to skip PostgreSQL, BENCH_USERS to change the tenant size).
 */
import { recordAudit, verifyAuditChain } from "../src/audit/index.js";
import { seedDemo } from "../src/demo/seed-demo.js";
import {
  bulkDeleteUsers,
  createTenant,
  directoryJobHandlers,
  importUsers,
  listUsers,
} from "../src/directory/index.js";
import { Scheduler } from "../src/scheduler/index.js";
import type { Actor } from "../src/shared/actor.js";
import { DAY } from "../src/shared/clock.js";
import type { Engine } from "../src/store/engine.js";
import { createTestContext, type TestContext } from "../test/test-context.js";

interface Row {
  engine: Engine;
  operation: string;
  items: number;
  ms: number;
}

const engines = (process.env.BENCH_ENGINES ?? "sqlite,postgres").split(",") as Engine[];
const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const rows: Row[] = [];
let peakRss = 0;

async function measure<T>(
  engine: Engine,
  operation: string,
  items: number,
  work: () => Promise<T>,
): Promise<T> {
  const start = process.hrtime.bigint();
  const result = await work();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  rows.push({ engine, operation, items, ms });
  return result;
}

async function benchEngine(engine: Engine): Promise<void> {
  const t: TestContext = await createTestContext(engine, { config: { hashCost: "low" } });
  try {
    await measure(engine, "demo tenant (300 users, groups, roles, MFA)", 308, () => seedDemo(t));
    const operator: Actor = { type: "operator" };
    const { tenant, admin } = await createTenant(t, operator, {
      displayName: "Bench",
      domain: "bench.example",
      admin: { userPrincipalName: "admin@bench.example", password: "Bench-Password-2026" },
    });
    const actor: Actor = { type: "user", tenantId: tenant.id, userId: admin.id };
    const people = Array.from({ length: USERS }, (_, i) => ({
      userPrincipalName: `user${String(i).padStart(6, "0")}@bench.example`,
      displayName: `Bench User ${i}`,
    }));
    await measure(engine, "import users (batches of 2000)", USERS, () =>
      importUsers(t, actor, tenant.id, people, { initialPassword: "Bench-Password-2026" }),
    );
    await measure(engine, "list all users, 999 per page (keyset)", USERS + 1, async () => {
      for (let cursor: string | undefined; ; ) {
        const page = await listUsers(t, actor, tenant.id, {
          limit: 999,
          cursor,
          orderBy: "displayName",
        });
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
    });
    await measure(engine, "prefix search (100 queries)", 100, async () => {
      for (let i = 0; i < 100; i++)
        await listUsers(t, actor, tenant.id, { search: `user00${i % 100}`, limit: 10 });
    });
    await measure(engine, "bulk delete all but one (batches of 500)", USERS, () =>
      bulkDeleteUsers(t, actor, tenant.id, { allExcept: admin.id }),
    );
    t.clock.advance(31 * DAY);
    const scheduler = new Scheduler(t, directoryJobHandlers(t), { batchSize: 1000 });
    await measure(engine, "scheduler: purge due recycle-bin users", USERS, () =>
      scheduler.runDueJobs(),
    );
    await measure(engine, "audit append (one transaction each)", 1000, async () => {
      for (let i = 0; i < 1000; i++) {
        await t.db.transaction().execute((trx) =>
          recordAudit(t, trx, {
            tenantId: tenant.id,
            actor,
            action: "bench.event",
            details: { i },
          }),
        );
      }
    });
    const verified = await measure(engine, "audit verify chain", 0, () =>
      verifyAuditChain(t, tenant.id),
    );
    const last = rows[rows.length - 1];
    if (last) last.items = verified.entries;
  } finally {
    await t.close();
  }
}

for (const engine of engines) await benchEngine(engine);

const header = ["engine", "operation", "items", "ms", "items/s"];
const lines = rows.map((r) => [
  r.engine,
  r.operation,
  String(r.items),
  r.ms.toFixed(0),
  r.items > 0 ? Math.round((r.items / r.ms) * 1000).toLocaleString("en-US") : "-",
]);
const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
const format = (cells: string[]) =>
  `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
console.log(format(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const line of lines) console.log(format(line));
console.log(
  `\npeak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MiB · users per tenant: ${USERS} · node ${process.version}`,
);
