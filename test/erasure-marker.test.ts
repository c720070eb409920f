import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../src/audit/index.js";
import {
  createMarkedTenant,
  eraseWithClosureSteps,
  findMarker,
  findMarkerInStatistics,
  type MarkedTenant,
  newMarker,
} from "./erasure-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "./test-context.js";

/**
 * Issue 7: "Erased means unrecoverable from the database files once the closure reports
 * `completed`" — a marker planted in the closed tenant's content and UPNs is found nowhere in the
 * SQLite files (database and WAL) or in a `pg_dump`, nor in the planner's statistics, while
 * another tenant's marker still is (so the search works) and both audit logs still verify.
 */
describe.each(TEST_ENGINES)("erasure of a closed tenant on %s", (engine) => {
  let t: TestContext;
  let closed: MarkedTenant;
  let kept: MarkedTenant;

  beforeEach(async () => {
    t = await createTestContext(engine);
    closed = await createMarkedTenant(t, newMarker());
    kept = await createMarkedTenant(t, newMarker());
    // Statistics as an operator's ANALYZE (or PRAGMA optimize, or autovacuum) would leave them:
    // sampled while the marked rows were live.
    await sql`analyze`.execute(t.db);
  });
  afterEach(async () => {
    await t.close();
  });

  it("samples both tenants' markers into the statistics before anything is erased", async () => {
    expect(await findMarkerInStatistics(t, closed.marker)).not.toEqual([]);
    expect(await findMarkerInStatistics(t, kept.marker)).not.toEqual([]);
  });

  it("finds the closed tenant's marker nowhere once step 5 has deleted it", async () => {
    await eraseWithClosureSteps(t, closed);

    expect(await findMarker(t, closed.marker)).toEqual([]);
  });

  it("still finds the other tenant's marker in its rows, statistics and files", async () => {
    await eraseWithClosureSteps(t, closed);

    const places = await findMarker(t, kept.marker);
    expect(places).toEqual(
      expect.arrayContaining(["row of app_user", "row of mail_message", "row of drive_item"]),
    );
    expect(places.some((p) => p.startsWith("statistics of"))).toBe(true);
    expect(places.some((p) => /^(tenantry\.db@|dump of public\.app_user$)/.test(p))).toBe(true);
  });

  it("keeps both audit logs verifying after the closed tenant's key is destroyed", async () => {
    await eraseWithClosureSteps(t, closed);

    expect(await verifyAuditChain(t, closed.org.tenantId)).toMatchObject({ ok: true });
    expect(await verifyAuditChain(t, kept.org.tenantId)).toMatchObject({ ok: true });
  });
});
