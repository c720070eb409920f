import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { addMs, HOUR } from "../shared/clock.js";
import type { JobHandler, ScheduledJob } from "./scheduled-job.js";
import { findJob, scheduleJob } from "./scheduled-job.service.js";
import { Scheduler } from "./scheduler.js";

/** A handler that resolves `ran(key)` once the job with that key has been handled. */
function signallingHandler(): { handler: JobHandler; ran(key: string): Promise<ScheduledJob> } {
  const waiters = new Map<string, (job: ScheduledJob) => void>();
  const done = new Map<string, ScheduledJob>();
  return {
    handler: async (_trx, job) => {
      done.set(job.key, job);
      waiters.get(job.key)?.(job);
    },
    ran: (key) => {
      const seen = done.get(key);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.set(key, resolve));
    },
  };
}

describe.each(TEST_ENGINES)("scheduler polling on %s", (engine) => {
  let t: TestContext;
  let scheduler: Scheduler | undefined;
  const kind = "test.signal";
  const ref = (key: string) => ({ tenantId: "t-1", kind, key });
  const schedule = (key: string, dueAt: Date) =>
    scheduleJob(t.db, { ...ref(key), dueAt }, t.clock.now());

  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.db.deleteFrom("scheduled_job").execute();
  });
  afterEach(async () => {
    await scheduler?.stop();
  });

  it("runs work that fell due during downtime as soon as it starts", async () => {
    await schedule("missed", addMs(t.clock.now(), HOUR));
    t.clock.advance(2 * HOUR);
    const signal = signallingHandler();
    scheduler = new Scheduler(t, { [kind]: signal.handler }, { pollMs: 60_000 });
    scheduler.start();
    await signal.ran("missed");
    await scheduler.stop();
    expect(await findJob(t.db, ref("missed"))).toBeUndefined();
  });

  it("picks up a job scheduled after start at a later poll", async () => {
    const signal = signallingHandler();
    scheduler = new Scheduler(t, { [kind]: signal.handler }, { pollMs: 20 });
    scheduler.start();
    await schedule("new", t.clock.now());
    await expect(signal.ran("new")).resolves.toMatchObject({ key: "new" });
  });

  it("picks up a job that falls due while it polls", async () => {
    const signal = signallingHandler();
    scheduler = new Scheduler(t, { [kind]: signal.handler }, { pollMs: 20 });
    await schedule("soon", addMs(t.clock.now(), HOUR));
    scheduler.start();
    t.clock.advance(HOUR);
    await expect(signal.ran("soon")).resolves.toMatchObject({ key: "soon" });
  });

  it("runs a job at once when woken, without waiting for the next poll", async () => {
    const signal = signallingHandler();
    await schedule("first", t.clock.now());
    scheduler = new Scheduler(t, { [kind]: signal.handler }, { pollMs: 60 * 60_000 });
    scheduler.start();
    await signal.ran("first");
    await schedule("woken", t.clock.now());
    scheduler.wake();
    await expect(signal.ran("woken")).resolves.toMatchObject({ key: "woken" });
  });

  it("waits for the job in flight to commit when stopped", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = () => {};
    const started = new Promise<void>((resolve) => {
      entered = resolve;
    });
    await schedule("slow", t.clock.now());
    scheduler = new Scheduler(t, {
      [kind]: async () => {
        entered();
        await gate;
      },
    });
    scheduler.start();
    await started;
    const stopped = scheduler.stop();
    release();
    await stopped;
    expect(await findJob(t.db, ref("slow"))).toBeUndefined();
  });

  it("leaves due jobs it has not started for later when stopped", async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered = () => {};
    const started = new Promise<void>((resolve) => {
      entered = resolve;
    });
    await schedule("a-first", addMs(t.clock.now(), -HOUR));
    await schedule("b-second", t.clock.now());
    scheduler = new Scheduler(t, {
      [kind]: async () => {
        entered();
        await gate;
      },
    });
    scheduler.start();
    await started;
    const stopped = scheduler.stop();
    release();
    await stopped;
    expect(await findJob(t.db, ref("a-first"))).toBeUndefined();
    expect(await findJob(t.db, ref("b-second"))).toBeDefined();
  });

  it("runs nothing after it has been stopped", async () => {
    const signal = signallingHandler();
    scheduler = new Scheduler(t, { [kind]: signal.handler }, { pollMs: 20 });
    scheduler.start();
    await scheduler.stop();
    await schedule("after-stop", t.clock.now());
    scheduler.wake();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await findJob(t.db, ref("after-stop"))).toBeDefined();
  });
});
