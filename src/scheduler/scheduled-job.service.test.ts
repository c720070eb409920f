import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { isAppError } from "../shared/app-error.js";
import { HOUR } from "../shared/clock.js";
import { cancelJob, findJob, scheduleJob } from "./scheduled-job.service.js";

describe.each(TEST_ENGINES)("scheduled jobs on %s", (engine) => {
  let t: TestContext;
  const ref = { tenantId: "t-1", kind: "user.purge", key: "user-1" };

  beforeAll(async () => {
    t = await createTestContext(engine);
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.db.deleteFrom("scheduled_job").execute();
  });

  it("records a job with its due time, payload and no attempts", async () => {
    const dueAt = new Date(t.clock.now().getTime() + HOUR);
    await scheduleJob(t.db, { ...ref, dueAt, payload: { reason: "deleted" } }, t.clock.now());
    const job = await findJob(t.db, ref);
    expect(job).toMatchObject({ ...ref, dueAt, payload: { reason: "deleted" }, attempts: 0 });
  });

  it("stores an empty payload when none is given", async () => {
    await scheduleJob(t.db, { ...ref, dueAt: t.clock.now() }, t.clock.now());
    expect((await findJob(t.db, ref))?.payload).toEqual({});
  });

  it("scheduling the same key again replaces due time and payload and resets attempts", async () => {
    await scheduleJob(t.db, { ...ref, dueAt: t.clock.now(), payload: { v: 1 } }, t.clock.now());
    await t.db.updateTable("scheduled_job").set({ attempts: 3, last_error: "boom" }).execute();
    const later = new Date(t.clock.now().getTime() + 2 * HOUR);
    await scheduleJob(t.db, { ...ref, dueAt: later, payload: { v: 2 } }, t.clock.now());
    const rows = await t.db.selectFrom("scheduled_job").selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(await findJob(t.db, ref)).toMatchObject({
      dueAt: later,
      payload: { v: 2 },
      attempts: 0,
    });
    expect(rows[0]?.last_error).toBeNull();
  });

  it("keeps separate jobs for the same key in different tenants and kinds", async () => {
    const now = t.clock.now();
    await scheduleJob(t.db, { ...ref, dueAt: now }, now);
    await scheduleJob(t.db, { ...ref, tenantId: "t-2", dueAt: now }, now);
    await scheduleJob(t.db, { ...ref, kind: "other.kind", dueAt: now }, now);
    const rows = await t.db.selectFrom("scheduled_job").select("id").execute();
    expect(rows).toHaveLength(3);
  });

  it("cancelling removes the job", async () => {
    await scheduleJob(t.db, { ...ref, dueAt: t.clock.now() }, t.clock.now());
    await cancelJob(t.db, ref);
    expect(await findJob(t.db, ref)).toBeUndefined();
  });

  it("cancelling a job that does not exist is not an error", async () => {
    await expect(cancelJob(t.db, ref)).resolves.toBeUndefined();
  });

  it("a job scheduled in a transaction that rolls back does not exist", async () => {
    const failed = await t.db
      .transaction()
      .execute(async (trx) => {
        await scheduleJob(trx, { ...ref, dueAt: t.clock.now() }, t.clock.now());
        throw new Error("the change that needed the job failed");
      })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect(await findJob(t.db, ref)).toBeUndefined();
  });

  it("refuses a job without a key", async () => {
    const error = await scheduleJob(t.db, { ...ref, key: " ", dueAt: t.clock.now() }, t.clock.now())
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("SCHEDULED_JOB_INVALID");
  });
});
