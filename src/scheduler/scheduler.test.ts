import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { addMs, HOUR, MINUTE } from "../shared/clock.js";
import type { Executor } from "../store/database.js";
import type { JobHandler } from "./scheduled-job.js";
import { findJob, scheduleJob } from "./scheduled-job.service.js";
import { Scheduler } from "./scheduler.js";

/** A handler's database effect: one row per job key, in a scratch table of this test. */
async function recordEffect(trx: Executor, key: string): Promise<void> {
  await sql`insert into job_effect (job_key) values (${key})`.execute(trx);
}

async function effects(db: Executor): Promise<string[]> {
  const { rows } = await sql<{ job_key: string }>`select job_key from job_effect`.execute(db);
  return rows.map((r) => r.job_key);
}

describe.each(TEST_ENGINES)("scheduler runs on %s", (engine) => {
  let t: TestContext;
  const kind = "test.effect";
  const ref = (key: string) => ({ tenantId: "t-1", kind, key });
  const effectHandler: JobHandler = (trx, job) => recordEffect(trx, job.key);
  const schedule = (key: string, dueAt: Date, payload?: Record<string, unknown>) =>
    scheduleJob(t.db, { ...ref(key), dueAt, payload }, t.clock.now());

  beforeAll(async () => {
    t = await createTestContext(engine);
    await sql`create table job_effect (job_key text primary key)`.execute(t.db);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.db.deleteFrom("scheduled_job").execute();
    await sql`delete from job_effect`.execute(t.db);
  });

  it("does not run a job before its due time", async () => {
    await schedule("later", addMs(t.clock.now(), HOUR));
    const result = await new Scheduler(t, { [kind]: effectHandler }).runDueJobs();
    expect(result).toEqual({ ran: 0, failed: 0 });
    expect(await findJob(t.db, ref("later"))).toBeDefined();
  });

  it("runs a job once the clock has passed its due time", async () => {
    await schedule("later", addMs(t.clock.now(), HOUR));
    t.clock.advance(HOUR + 1);
    const result = await new Scheduler(t, { [kind]: effectHandler }).runDueJobs();
    expect(result).toEqual({ ran: 1, failed: 0 });
    expect(await effects(t.db)).toEqual(["later"]);
  });

  it("catches up on a job that fell due while no scheduler ran", async () => {
    await schedule("missed", addMs(t.clock.now(), -3 * HOUR));
    await new Scheduler(t, { [kind]: effectHandler }).runDueJobs();
    expect(await effects(t.db)).toEqual(["missed"]);
  });

  it("runs due jobs oldest first", async () => {
    const order: string[] = [];
    const now = t.clock.now();
    await schedule("second", addMs(now, -MINUTE));
    await schedule("first", addMs(now, -HOUR));
    await schedule("third", now);
    await new Scheduler(t, {
      [kind]: async (_trx, job) => {
        order.push(job.key);
      },
    }).runDueJobs();
    expect(order).toEqual(["first", "second", "third"]);
  });

  it("runs more due jobs than one batch holds in a single call", async () => {
    for (let i = 0; i < 7; i++) await schedule(`job-${i}`, t.clock.now());
    const result = await new Scheduler(t, { [kind]: effectHandler }, { batchSize: 3 }).runDueJobs();
    expect(result).toEqual({ ran: 7, failed: 0 });
  });

  it("commits the handler's writes and the job's removal together", async () => {
    await schedule("done", t.clock.now());
    await new Scheduler(t, { [kind]: effectHandler }).runDueJobs();
    expect(await effects(t.db)).toEqual(["done"]);
    expect(await findJob(t.db, ref("done"))).toBeUndefined();
  });

  it("rolls back a failing handler's writes and keeps the job with one attempt and a later due time", async () => {
    await schedule("poison", t.clock.now());
    const result = await new Scheduler(t, {
      [kind]: async (trx, job) => {
        await recordEffect(trx, job.key);
        throw new Error("handler failed");
      },
    }).runDueJobs();
    expect(result).toEqual({ ran: 0, failed: 1 });
    expect(await effects(t.db)).toEqual([]);
    const job = await findJob(t.db, ref("poison"));
    expect(job?.attempts).toBe(1);
    expect(job?.dueAt.getTime()).toBeGreaterThan(t.clock.now().getTime());
  });

  it("stores the error of a failed run on the job", async () => {
    await schedule("poison", t.clock.now());
    await new Scheduler(t, {
      [kind]: async () => {
        throw new Error("handler failed");
      },
    }).runDueJobs();
    const row = await t.db.selectFrom("scheduled_job").select("last_error").executeTakeFirst();
    expect(row?.last_error).toBe("handler failed");
  });

  it("retries a failed job once its back-off has passed", async () => {
    await schedule("flaky", t.clock.now());
    let calls = 0;
    const scheduler = new Scheduler(t, {
      [kind]: async (trx, job) => {
        calls++;
        if (calls === 1) throw new Error("first try fails");
        await recordEffect(trx, job.key);
      },
    });
    await scheduler.runDueJobs();
    t.clock.advance(HOUR);
    expect(await scheduler.runDueJobs()).toEqual({ ran: 1, failed: 0 });
    expect(await effects(t.db)).toEqual(["flaky"]);
  });

  it("keeps and backs off a job whose kind has no handler", async () => {
    await scheduleJob(
      t.db,
      { tenantId: "t-1", kind: "unknown.kind", key: "k", dueAt: t.clock.now() },
      t.clock.now(),
    );
    const result = await new Scheduler(t, { [kind]: effectHandler }).runDueJobs();
    expect(result).toEqual({ ran: 0, failed: 1 });
    const job = await findJob(t.db, { tenantId: "t-1", kind: "unknown.kind", key: "k" });
    expect(job?.attempts).toBe(1);
    expect(job?.dueAt.getTime()).toBeGreaterThan(t.clock.now().getTime());
  });

  it("runs a rescheduled job with its new payload", async () => {
    await schedule("moved", t.clock.now(), { version: 1 });
    await schedule("moved", t.clock.now(), { version: 2 });
    const seen: unknown[] = [];
    await new Scheduler(t, {
      [kind]: async (_trx, job) => {
        seen.push(job.payload);
      },
    }).runDueJobs();
    expect(seen).toEqual([{ version: 2 }]);
  });

  it("does not run a job that was rescheduled into the future", async () => {
    await schedule("moved", t.clock.now());
    await schedule("moved", addMs(t.clock.now(), HOUR));
    const result = await new Scheduler(t, { [kind]: effectHandler }).runDueJobs();
    expect(result).toEqual({ ran: 0, failed: 0 });
  });

  it("keeps the next occurrence a handler schedules for its own key", async () => {
    await schedule("recurring", t.clock.now());
    const nextDue = addMs(t.clock.now(), HOUR);
    await new Scheduler(t, {
      [kind]: (trx, job) => scheduleJob(trx, { ...ref(job.key), dueAt: nextDue }, t.clock.now()),
    }).runDueJobs();
    expect((await findJob(t.db, ref("recurring")))?.dueAt).toEqual(nextDue);
  });

  it("runs each job once when two schedulers share one store", async () => {
    for (let i = 0; i < 20; i++) await schedule(`job-${i}`, t.clock.now());
    const handlers = { [kind]: effectHandler };
    const results = await Promise.all([
      new Scheduler(t, handlers).runDueJobs(),
      new Scheduler(t, handlers).runDueJobs(),
    ]);
    expect(results.reduce((sum, r) => sum + r.ran, 0)).toBe(20);
    expect(results.reduce((sum, r) => sum + r.failed, 0)).toBe(0);
    expect(await effects(t.db)).toHaveLength(20);
  });
});
