import { ClosureWorker, SimulatedCrash } from "../src/closure/index.js";
import { restoreUser } from "../src/directory/index.js";
import { OPERATOR } from "./directory-fixtures.js";
import { type Caller, type RouteAccess, type RouteEnv, route } from "./route-targets.js";

/**
 * Rows of the route × role table (test/route-table.ts) for the account closure (SPEC §6): a
 * Global Administrator of the tenant only. The table's tenant is shared by every call, so the
 * destructive steps are made harmless there: step 1's deletions are undone by the next row
 * (restored from the recycle bin, so the callers' sessions work again), and step 5 is refused
 * with 409 because the tenant fails its deletion checks.
 */

const GA: Caller = "globalAdministrator";
const PATH = "/v1.0/organization/closure";

/** Users live just before the Global Administrator's run of step 1. */
let liveBeforeDeleteUsers: string[] = [];

async function rememberLiveUsers({ t, org }: RouteEnv): Promise<void> {
  const rows = await t.db
    .selectFrom("app_user")
    .select("id")
    .where("tenant_id", "=", org.tenantId)
    .where("deleted_at", "is", null)
    .execute();
  liveBeforeDeleteUsers = rows.map((r) => r.id);
}

async function restoreDeletedUsers({ t, org }: RouteEnv): Promise<void> {
  const ids = liveBeforeDeleteUsers;
  liveBeforeDeleteUsers = [];
  if (ids.length === 0) return;
  const deleted = await t.db
    .selectFrom("app_user")
    .select("id")
    .where("tenant_id", "=", org.tenantId)
    .where("id", "in", ids)
    .where("deleted_at", "is not", null)
    .execute();
  for (const { id } of deleted) await restoreUser(t, OPERATOR, org.tenantId, id);
}

export const CLOSURE_ROUTES: readonly RouteAccess[] = [
  route({ method: "GET", path: `${PATH}/checks`, status: 200, allowed: [GA] }),
  route({ method: "GET", path: `${PATH}/plan`, status: 200, allowed: [GA] }),
  route({
    method: "POST",
    path: `${PATH}/steps/deleteUsers`,
    status: 200,
    allowed: [GA],
    fresh: rememberLiveUsers,
  }),
  route({
    method: "POST",
    path: `${PATH}/steps/disableMfa`,
    status: 200,
    allowed: [GA],
    // Runs right after the Global Administrator's step 1 (allowed calls run in table order).
    fresh: restoreDeletedUsers,
  }),
  route({
    method: "POST",
    path: `${PATH}/steps/cancelSubscriptions`,
    status: 200,
    allowed: [GA],
    body: () => ({ reason: "unused", feedback: "route table" }),
  }),
  route({
    method: "POST",
    path: `${PATH}/steps/deleteDisabledSubscriptions`,
    status: 200,
    allowed: [GA],
  }),
  route({
    method: "POST",
    path: `${PATH}/steps/deleteTenant`,
    status: 409,
    allowed: [GA],
    body: (_, { org }) => ({ confirmDomain: org.domain }),
  }),
  // The guided closure: started (freezing the table's tenant), read, its archive made by a worker
  // that then stops as if killed, downloaded, and cancelled again — so later rows find the tenant
  // as it was (nothing but the archive was done).
  route({
    method: "POST",
    path: PATH,
    status: 202,
    allowed: [GA],
    body: (_, { org }) => ({ confirmDomain: org.domain, reason: "other" }),
  }),
  route({ method: "GET", path: PATH, status: 200, allowed: [GA] }),
  route({
    method: "GET",
    path: `${PATH}/export`,
    status: 200,
    allowed: [GA],
    fresh: makeArchiveOnly,
  }),
  route({ method: "GET", path: `${PATH}/certificate`, status: 404, allowed: [GA] }),
  route({ method: "POST", path: `${PATH}/cancel`, status: 200, allowed: [GA] }),
];

/** Runs the open closure's first step (the export) and stops its worker before the next. */
async function makeArchiveOnly({ t }: RouteEnv): Promise<void> {
  const worker = new ClosureWorker(t, {
    faultPoint: (point) => {
      if (point === "turnOffSync:before") throw new SimulatedCrash(point);
    },
  });
  await worker.runUntilIdle().catch((error: unknown) => {
    if (!(error instanceof SimulatedCrash)) throw error;
  });
}
