import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type ClosureEndState,
  CRASH_CASES,
  type CrashScene,
  closureEndState,
  crashAt,
  crashCasesFor,
  createCrashTemplate,
  LEASE_MS,
  occurrenceIn,
  openCrashScene,
  tenantFingerprint,
} from "../../test/closure-crash-fixtures.js";
import { closureScheduler } from "../../test/closure-fixtures.js";
import { closureWorker, driveClosure, latestStatus } from "../../test/guided-closure-fixtures.js";
import { userActor } from "../../test/directory-fixtures.js";
import { bearerFor, buildTestServer } from "../../test/http-fixtures.js";
import { TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { uploadFile } from "../content/index.js";
import { SimulatedCrash } from "./index.js";

/**
 * Issue 7, "crash tests": the guided closure is crashed at every batch boundary and inside every
 * batch's transaction, then finished by a new worker (a restarted process) once the dead one's
 * lease expired. Each batch commits with its progress, so the end state must equal an
 * uninterrupted run's — same items handled, same rows erased, same audit entries — and the
 * bystander tenant must be untouched.
 */

/** The erasure's last batch: it shreds the audit key and marks the tenant deleted. */
const LAST_ERASURE = { point: "deleteTenant:before", occurrence: "last" } as const;

describe.each(TEST_ENGINES)("a guided closure interrupted by crashes on %s", (engine) => {
  let template: CrashScene;
  /** The same closure run without a crash, passing `passed` in order and ending in `reference`. */
  let uninterrupted: CrashScene;
  let reference: ClosureEndState;
  const passed: string[] = [];
  let scene: CrashScene | undefined;

  beforeAll(async () => {
    template = await createCrashTemplate(engine);
    uninterrupted = await openCrashScene(template);
    const worker = closureWorker(uninterrupted.t, { faultPoint: (point) => passed.push(point) });
    await driveClosure(uninterrupted.t, uninterrupted.closing.org, { worker });
    reference = await closureEndState(uninterrupted.t, uninterrupted.closing.org.tenantId);
  });
  afterEach(async () => {
    await scene?.t.close();
    scene = undefined;
  });
  afterAll(async () => {
    await uninterrupted?.t.close();
    await template?.t.close();
  });

  it("passes every listed fault point when uninterrupted, and erases only the closed tenant", async () => {
    expect(new Set(passed)).toEqual(new Set(CRASH_CASES.map((c) => c.point)));
    for (const crash of CRASH_CASES) {
      const times = passed.filter((p) => p === crash.point).length;
      expect(times, crash.point).toBeGreaterThanOrEqual(occurrenceIn(passed, crash));
    }
    expect(reference).toMatchObject({
      state: "completed",
      certificateValid: true,
      auditChainValid: true,
      rowsLeft: {},
      // The five users besides the closing admin (one synced), each handled once.
      done: { deleteUsers: 5 },
      counts: { deleteUsers: { deleted: 5, failed: 0 } },
    });
    const { t, bystander, bystanderBefore } = uninterrupted;
    expect(await tenantFingerprint(t, bystander.org.tenantId)).toEqual(bystanderBefore);
  });

  // A crash while the archive is written leaves a partial one, which the restarted export discards
  // before making it again: the step's `done` is recorded with the finished archive only, and the
  // erasure finds one archive's chunks, as in the uninterrupted run.
  it.each(crashCasesFor(engine))(
    "crashed at $point (#$occurrence), finishes after a restart exactly as if never interrupted",
    async (crash) => {
      scene = await openCrashScene(template);
      const { t, closing, bystander, bystanderBefore } = scene;
      const faultPoint = crashAt(crash.point, occurrenceIn(passed, crash));
      const crashing = closureWorker(t, { faultPoint });
      await expect(driveClosure(t, closing.org, { worker: crashing })).rejects.toBeInstanceOf(
        SimulatedCrash,
      );

      // The restarted process: a new worker, once the dead one's lease has run out.
      t.clock.advance(LEASE_MS);
      const final = await driveClosure(t, closing.org, { worker: closureWorker(t) });

      expect(final.state).toBe("completed");
      expect(await closureEndState(t, closing.org.tenantId)).toEqual(reference);
      expect(await tenantFingerprint(t, bystander.org.tenantId)).toEqual(bystanderBefore);
    },
  );

  it("keeps other workers off a crashed worker's operation until its lease runs out", async () => {
    scene = await openCrashScene(template);
    const { t, closing } = scene;
    const tenantId = closing.org.tenantId;
    const dead = closureWorker(t, { owner: "dead", faultPoint: crashAt("deleteUsers:after") });
    await expect(driveClosure(t, closing.org, { worker: dead })).rejects.toBeInstanceOf(
      SimulatedCrash,
    );
    const crashed = await storedClosure(t, tenantId, "deleteUsers");
    expect(crashed.operation.lease_owner).toBe("dead");

    const seen: string[] = [];
    const successor = closureWorker(t, {
      owner: "successor",
      faultPoint: (point) => seen.push(point),
    });
    t.clock.advance(LEASE_MS - 1);
    await successor.runUntilIdle();
    expect(seen).toEqual([]);
    expect(await storedClosure(t, tenantId, "deleteUsers")).toEqual(crashed);

    t.clock.advance(1);
    await successor.runUntilIdle();
    expect(seen[0]).toBe("deleteUsers:before");
    expect((await storedClosure(t, tenantId, "deleteUsers")).done).toBeGreaterThan(crashed.done);
    const final = await driveClosure(t, closing.org, { worker: successor });
    expect(final.state).toBe("completed");
    expect(await closureEndState(t, tenantId)).toEqual(reference);
  });

  it("stops a worker whose lease ran out and was taken over before its next batch", async () => {
    scene = await openCrashScene(template);
    const { t, closing } = scene;
    const tenantId = closing.org.tenantId;
    const operationId = (await latestStatus(t, tenantId)).id;
    const seen: string[] = [];
    let takenOverAt = -1;
    const stalled = closureWorker(t, {
      owner: "stalled",
      faultPoint: (point) => {
        seen.push(point);
        if (point !== "deleteUsers:after" || takenOverAt >= 0) return;
        // After its first batch the process stalls past its lease, and another one claims the
        // operation meanwhile.
        takenOverAt = seen.length;
        t.clock.advance(LEASE_MS);
        const expiresAt = new Date(t.clock.now().getTime() + LEASE_MS);
        takeOverLease(t, { operationId, owner: "successor", expiresAt });
      },
    });
    await stalled.runUntilIdle();
    const waiting = await latestStatus(t, tenantId);
    expect(waiting.waitingFor).toBe("syncOff");
    t.clock.set(waiting.waitUntil ?? "");
    await closureScheduler(t).runDueJobs();
    await stalled.runUntilIdle();

    // It reached its next batch, found the claim gone, and did no work.
    expect(seen.slice(takenOverAt)).toEqual(["deleteUsers:before"]);
    const after = await storedClosure(t, tenantId, "deleteUsers");
    expect(after.operation.lease_owner).toBe("successor");
    expect(after.done).toBe(2);

    t.clock.advance(LEASE_MS);
    const final = await driveClosure(t, closing.org);
    expect(final.state).toBe("completed");
    expect(await closureEndState(t, tenantId)).toEqual(reference);
  });

  it("lets the closing admin read the status while a crash holds up the erasure", async () => {
    scene = await openCrashScene(template);
    const { t, closing } = scene;
    const app = await buildTestServer(t);
    try {
      // Stopped just before the erasure, days after the start (the waits): the admin signs in.
      const beforeErasure = closureWorker(t, { faultPoint: crashAt("deleteTenant:before") });
      await expect(driveClosure(t, closing.org, { worker: beforeErasure })).rejects.toThrow();
      const headers = await bearerFor(t, closing.org.tenantId, closing.org.admin.id);
      const status = () =>
        app.inject({ method: "GET", url: "/v1.0/organization/closure", headers });
      // Then crashed before the erasure's last batch: every row erased (the admin's session and
      // roles too), the tenant not yet marked deleted.
      t.clock.advance(LEASE_MS);
      const faultPoint = crashAt("deleteTenant:before", occurrenceIn(passed, LAST_ERASURE));
      await expect(
        driveClosure(t, closing.org, { worker: closureWorker(t, { faultPoint }) }),
      ).rejects.toBeInstanceOf(SimulatedCrash);
      const during = await status();
      expect(during.statusCode, during.body).toBe(200);
      expect(during.json()).toMatchObject({ state: "running", step: "deleteTenant" });

      t.clock.advance(LEASE_MS);
      await driveClosure(t, closing.org);
      const after = await status();
      expect(after.statusCode, after.body).toBe(200);
      expect(after.json()).toMatchObject({ state: "completed" });
    } finally {
      await app.close();
    }
  });

  it("stops a worker that lost its claim in the middle of the export before it stores another chunk", async () => {
    scene = await openCrashScene(template);
    const { t, closing } = scene;
    const tenantId = closing.org.tenantId;
    // An archive of three one-megabyte chunks: the claim is lost after the first.
    await uploadFile(t, userActor(tenantId, closing.plain.id), tenantId, "me", {
      path: "scan.bin",
      content: crypto.randomBytes(3_000_000),
    });
    const operationId = (await latestStatus(t, tenantId)).id;
    const seen: string[] = [];
    const stalled = closureWorker(t, {
      owner: "stalled",
      faultPoint: (point) => {
        seen.push(point);
        if (point !== "export:chunk" || seen.length > 2) return;
        t.clock.advance(LEASE_MS);
        const expiresAt = new Date(t.clock.now().getTime() + LEASE_MS);
        takeOverLease(t, { operationId, owner: "successor", expiresAt });
      },
    });
    await stalled.runUntilIdle();
    expect(seen).toEqual(["export:before", "export:chunk"]);
    expect((await storedClosure(t, tenantId, "export")).operation.lease_owner).toBe("successor");
    // A chunk stored after the claim was lost would land among the new owner's.
    const chunks = await t.db
      .selectFrom("closure_export_chunk")
      .select("seq")
      .where("operation_id", "=", operationId)
      .execute();
    expect(chunks.map((c) => Number(c.seq))).toEqual([0]);

    t.clock.advance(LEASE_MS);
    const final = await driveClosure(t, closing.org);
    expect(final.state).toBe("completed");
  });
});

const DIST = new URL("../../dist/", import.meta.url).href;

/** Sets the operation's lease from another process, through the built store (dist/). */
const TAKE_OVER_SCRIPT = `
const { openStore } = await import(new URL("store/open-store.js", process.env.DIST).href);
const location = process.env.LOCATION;
const store = openStore(
  location.startsWith("postgres") ? { databaseUrl: location } : { sqliteFile: location },
);
await store.db
  .updateTable("closure_operation")
  .set({ lease_owner: process.env.OWNER, lease_expires_at: process.env.EXPIRES })
  .where("id", "=", process.env.OPERATION)
  .execute();
await store.close();
`;

/**
 * Another process claims the operation, synchronously: a worker's fault point cannot await, and a
 * claim made between two of its batches must be in the database before the next one starts.
 * test/global-setup.ts builds dist/.
 */
function takeOverLease(
  t: TestContext,
  lease: { operationId: string; owner: string; expiresAt: Date },
): void {
  execFileSync(process.execPath, ["--input-type=module", "-e", TAKE_OVER_SCRIPT], {
    env: {
      ...process.env,
      DIST,
      LOCATION: t.location,
      OPERATION: lease.operationId,
      OWNER: lease.owner,
      EXPIRES: lease.expiresAt.toISOString(),
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
}

/** The tenant's closure operation and one step's progress, as stored. */
async function storedClosure(t: TestContext, tenantId: string, step: string) {
  const operation = await t.db
    .selectFrom("closure_operation")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .executeTakeFirstOrThrow();
  const progress = await t.db
    .selectFrom("closure_step_progress")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("operation_id", "=", operation.id)
    .where("step", "=", step)
    .executeTakeFirstOrThrow();
  return { operation, done: Number(progress.done), cursor: progress.cursor };
}
