import { assignLicense, commerceJobHandlers } from "../src/commerce/index.js";
import { createMessage, uploadFile } from "../src/content/index.js";
import {
  deleteUser,
  directoryJobHandlers,
  setPerUserMfaState,
  turnOnSync,
  type User,
} from "../src/directory/index.js";
import { Scheduler } from "../src/scheduler/index.js";
import { listTableNames } from "../src/store/engine.js";
import { type ApplicationFixture, createApplicationWithSecret } from "./application-fixtures.js";
import { addCard } from "./billing-payment-fixtures.js";
import { buy } from "./commerce-fixtures.js";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  OPERATOR,
  type TenantFixture,
  userActor,
} from "./directory-fixtures.js";
import { BUSINESS_STANDARD } from "./license-fixtures.js";
import type { TestContext } from "./test-context.js";

/**
 * A tenant with one of everything the closure deals with (SPEC §6), built through the areas'
 * services: users with content, licences, a role, MFA, one in the recycle bin, an application and
 * an active subscription paid by card.
 */
export interface ClosureTenant {
  org: TenantFixture;
  /** Owns 2 messages and 1 file (see CONTENT below). */
  plain: User;
  /** Holds a Business Standard licence. */
  licensed: User;
  /** A Global Reader (an admin target). */
  reader: User;
  /** Per-user MFA enforced. */
  mfa: User;
  /** In the recycle bin, owning 1 file. */
  binned: User;
  /** Present when built with `synced: true` (sync then stays on). */
  synced: User | null;
  app: ApplicationFixture;
  subscriptionId: string;
}

/** The content a closure tenant's users own. */
export const CONTENT = {
  plainMessages: ["Quarterly numbers", "Lunch"],
  plainFile: Buffer.from("budget 2026\n"),
  binnedFile: Buffer.from("old notes"),
};

export async function createClosureTenant(
  t: TestContext,
  options: { synced?: boolean } = {},
): Promise<ClosureTenant> {
  const org = await createTenantWithAdmin(t);
  const { tenantId } = org;
  await addCard(t, tenantId);
  const { subscription } = await buy(t, tenantId);
  const { user: plain } = await createUserWithRoles(t, org, "plain");
  const { user: licensed } = await createUserWithRoles(t, org, "licensed");
  const { user: reader } = await createUserWithRoles(t, org, "reader", ["globalReader"]);
  const { user: mfa } = await createUserWithRoles(t, org, "mfa");
  const { user: binned } = await createUserWithRoles(t, org, "binned");
  await assignLicense(t, OPERATOR, tenantId, licensed.id, {
    addLicenses: [{ skuId: BUSINESS_STANDARD.skuId }],
    removeLicenses: [],
  });
  await setPerUserMfaState(t, OPERATOR, tenantId, mfa.id, "enforced");
  for (const subject of CONTENT.plainMessages) {
    await createMessage(t, userActor(tenantId, plain.id), tenantId, "me", {
      subject,
      body: { contentType: "text", content: `About ${subject}` },
    });
  }
  await uploadFile(t, userActor(tenantId, plain.id), tenantId, "me", {
    path: "budget.txt",
    content: CONTENT.plainFile,
  });
  await uploadFile(t, userActor(tenantId, binned.id), tenantId, "me", {
    path: "notes.txt",
    content: CONTENT.binnedFile,
  });
  await deleteUser(t, OPERATOR, tenantId, binned.id);
  const app = await createApplicationWithSecret(t, org, "Payroll sync");
  let synced: User | null = null;
  if (options.synced) {
    await turnOnSync(t, org.adminActor, tenantId);
    synced = (await createUserWithRoles(t, org, "onprem", [], { onPremisesSyncEnabled: true }))
      .user;
  }
  return {
    org,
    plain,
    licensed,
    reader,
    mfa,
    binned,
    synced,
    app,
    subscriptionId: subscription.id,
  };
}

/** The scheduler with the directory's and commerce's jobs (purge, sync off, lifecycle). */
export function closureScheduler(t: TestContext): Scheduler {
  return new Scheduler(t, { ...directoryJobHandlers(t), ...commerceJobHandlers(t) });
}

/** Every row of every table, in a stable order: equal snapshots mean nothing changed. */
export async function snapshotAllTables(t: TestContext): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const table of await listTableNames(t.db, t.engine)) {
    const rows = await t.db
      .selectFrom(table as "tenant")
      .selectAll()
      .execute();
    snapshot[table] = rows
      .map((row) => JSON.stringify(row, (_, v) => (Buffer.isBuffer(v) ? v.toString("hex") : v)))
      .sort();
  }
  return snapshot;
}

/** Rows per table of one tenant (tables with a `tenant_id` column; `tenant` by its id). */
export async function tenantRowCounts(
  t: TestContext,
  tenantId: string,
  tables: readonly string[],
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const column = table === "tenant" ? "id" : "tenant_id";
    const row = await t.db
      .selectFrom(table as "app_user")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where(column as "tenant_id", "=", tenantId)
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}
