import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { openStore, type Store } from "../store/open-store.js";
import type { JobHandler } from "./scheduled-job.js";
import { scheduleJob } from "./scheduled-job.service.js";
import { Scheduler } from "./scheduler.js";

const JOBS = 200;
const PROCESSES = 4;

// Several server processes share one database only on PostgreSQL (SPEC §7); each store below has
// its own connection pool, as a separate process would.
describe.runIf(TEST_ENGINES.includes("postgres"))("scheduler across processes on postgres", () => {
  let t: TestContext;
  let stores: Store[] = [];

  beforeAll(async () => {
    t = await createTestContext("postgres");
    await sql`create table job_effect (job_key text primary key, run_by integer not null)`.execute(
      t.db,
    );
    stores = Array.from({ length: PROCESSES }, () => openStore({ databaseUrl: t.location }));
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await t?.close();
  });

  it("runs every job exactly once when several processes run due jobs at the same time", async () => {
    for (let i = 0; i < JOBS; i++) {
      const tenantId = `t-${i % 5}`;
      await scheduleJob(
        t.db,
        { tenantId, kind: "test.effect", key: `job-${i}`, dueAt: t.clock.now() },
        t.clock.now(),
      );
    }
    const schedulers = stores.map((store, process) => {
      const handler: JobHandler = async (trx, job) => {
        await sql`insert into job_effect (job_key, run_by) values (${job.key}, ${process})`.execute(
          trx,
        );
      };
      return new Scheduler({ ...t, db: store.db }, { "test.effect": handler }, { batchSize: 10 });
    });

    const results = await Promise.all(schedulers.map((s) => s.runDueJobs()));

    expect(results.reduce((sum, r) => sum + r.ran, 0)).toBe(JOBS);
    expect(results.reduce((sum, r) => sum + r.failed, 0)).toBe(0);
    const { rows } = await sql<{ n: number }>`select count(*) as n from job_effect`.execute(t.db);
    expect(rows[0]?.n).toBe(JOBS);
    expect(await t.db.selectFrom("scheduled_job").select("id").execute()).toEqual([]);
  });
});
