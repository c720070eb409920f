import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { verifyAuditChain } from "../src/audit/index.js";
import { verifyCertificate } from "../src/certificate/index.js";
import { SimulatedCrash, startGuidedClosure } from "../src/closure/index.js";
import { importUsers } from "../src/directory/index.js";
import { erasableTables } from "../src/closure/closure-erase.js";
import { ManualClock } from "../src/shared/clock.js";
import { newId } from "../src/shared/ids.js";
import { type Engine, listTablesWithColumn } from "../src/store/engine.js";
import { openStore } from "../src/store/open-store.js";
import { type ClosureTenant, createClosureTenant, tenantRowCounts } from "./closure-fixtures.js";
import { OPERATOR, PASSWORD } from "./directory-fixtures.js";
import { CLOSURE_CONFIG } from "./guided-closure-fixtures.js";
import { createTestContext, TEST_PG_URL, type TestContext } from "./test-context.js";

/**
 * Issue 7's crash tests: a closing tenant beside a bystander tenant with the same kinds of data,
 * fault points that crash a worker at a chosen batch boundary, and the end state a closure must
 * reach however often it was interrupted.
 */

/** How long a crashed worker's claim keeps others off (CLOSURE_CONFIG's lease). */
export const LEASE_MS = CLOSURE_CONFIG.leaseMs ?? 30_000;

/** A closure started on `closing`; `bystander` must come through untouched. */
export interface CrashScene {
  t: TestContext;
  closing: ClosureTenant;
  /** A second tenant built the same way (users, content, recycle bin, a subscription, an app). */
  bystander: ClosureTenant;
  /** The bystander's fingerprint before the closure started. */
  bystanderBefore: TenantFingerprint;
}

/**
 * The scene built once through the services, in a database that is then closed and copied for
 * every crash (`openCrashScene`): seeding costs more than a copy, and every copy holds the same
 * ids. `t.close()` drops it.
 */
export async function createCrashTemplate(engine: Engine): Promise<CrashScene> {
  const t = await createTestContext(engine, { config: CLOSURE_CONFIG });
  try {
    const closing = await createClosureTenant(t, { synced: true });
    const bystander = await createClosureTenant(t);
    const bystanderBefore = await tenantFingerprint(t, bystander.org.tenantId);
    await startGuidedClosure(t, closing.org.adminActor, closing.org.tenantId, {
      confirmDomain: closing.org.domain,
      reason: "switched_service",
      feedback: "Crash test",
    });
    // PostgreSQL copies a database only while no one is connected to it.
    await t.store.close();
    return { t, closing, bystander, bystanderBefore };
  } catch (error) {
    await t.close();
    throw error;
  }
}

/** A fresh copy of the template's database, with the template's key, clock time and tenants. */
export async function openCrashScene(template: CrashScene): Promise<CrashScene> {
  return { ...template, t: await copyTestContext(template.t) };
}

async function copyTestContext(from: TestContext): Promise<TestContext> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tenantry-test-"));
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  let location: string;
  let drop: () => Promise<void>;
  if (from.engine === "sqlite") {
    location = path.join(dataDir, "tenantry.db");
    fs.copyFileSync(from.location, location);
    drop = async () => removeDir();
  } else {
    const url = new URL(from.location);
    const template = url.pathname.slice(1);
    const name = `tenantry_test_${crypto.randomBytes(6).toString("hex")}`;
    await adminQuery(`create database ${name} template ${template}`);
    url.pathname = `/${name}`;
    location = url.toString();
    drop = async () => {
      await adminQuery(`drop database if exists ${name} with (force)`);
      removeDir();
    };
  }
  const store = openStore(
    from.engine === "sqlite"
      ? { sqliteFile: location, dataDir }
      : { databaseUrl: location, dataDir },
  );
  return {
    db: store.db,
    engine: store.engine,
    store,
    clock: new ManualClock(from.clock.now()),
    config: { ...from.config, dataDir },
    secrets: from.secrets,
    log: from.log,
    location,
    close: async () => {
      await store.close();
      await drop();
    },
  };
}

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fault point that crashes the worker (SimulatedCrash) the `occurrence`-th time it passes `point`. */
export function crashAt(point: string, occurrence = 1): (point: string) => void {
  let seen = 0;
  return (passed) => {
    if (passed !== point) return;
    seen += 1;
    if (seen === occurrence) throw new SimulatedCrash(`crashed at ${point} #${occurrence}`);
  };
}

export interface CrashCase {
  point: string;
  /** Which time the point is passed; `last` is the step's final batch (how many depends on the schema). */
  occurrence: number | "last";
}

/**
 * Every fault point the worker passes in the crash scene (batches of 2), once each, and later
 * occurrences — the 2nd, the 3rd and the last — in the steps with several batches: the users'
 * deletion, the recycle bin's purge and the tenant's erasure. The crash test checks that the
 * worker passes exactly these names, so a new fault point fails it until it is listed here.
 */
export const CRASH_CASES: readonly CrashCase[] = [
  ...[
    "export:before",
    "export:chunk",
    "export:inside",
    "export:after",
    ...["turnOffSync", "deleteUsers", "cancelSubscriptions", "deleteDisabledSubscriptions"].flatMap(
      batchPoints,
    ),
    ...["disableMfa", "removeApplications", "coolingOff", "purgeRecycleBin"].flatMap(batchPoints),
    ...batchPoints("deleteTenant"),
    "signCertificate:before",
  ].map((point) => ({ point, occurrence: 1 })),
  ...["deleteUsers", "purgeRecycleBin", "deleteTenant"].flatMap((step) =>
    ([2, 3, "last"] as const).flatMap((occurrence) =>
      batchPoints(step).map((point) => ({ point, occurrence })),
    ),
  ),
];

/**
 * The cases run on an engine: all on SQLite; on PostgreSQL, where copying a database takes about a
 * second, every point's first occurrence and the later ones inside a transaction (the rollback is
 * what differs between engines), the 3rd aside — within the one-minute budget of a test file.
 */
export function crashCasesFor(engine: Engine): readonly CrashCase[] {
  if (engine === "sqlite") return CRASH_CASES;
  return CRASH_CASES.filter(
    (c) => c.occurrence === 1 || (c.point.endsWith(":inside") && c.occurrence !== 3),
  );
}

/** The case's occurrence as a number, given the points an uninterrupted run passed. */
export function occurrenceIn(passed: readonly string[], crash: CrashCase): number {
  if (crash.occurrence !== "last") return crash.occurrence;
  return passed.filter((p) => p === crash.point).length;
}

function batchPoints(step: string): string[] {
  return [`${step}:before`, `${step}:inside`, `${step}:after`];
}

/** Rows and a SHA-256 of their content, per table, of one tenant. */
export type TenantFingerprint = Record<string, { rows: number; sha256: string }>;

/**
 * Every row the tenant owns (tables with a `tenant_id` column, and its `tenant` row), per table:
 * the count and a checksum of the rows' full content — mail subjects and bodies, file bytes,
 * timestamps — in a stable order. Equal fingerprints mean nothing of the tenant changed.
 */
export async function tenantFingerprint(
  t: TestContext,
  tenantId: string,
): Promise<TenantFingerprint> {
  const tables = ["tenant", ...(await listTablesWithColumn(t.db, t.engine, "tenant_id"))];
  const fingerprint: TenantFingerprint = {};
  for (const table of tables.sort()) {
    const column = table === "tenant" ? "id" : "tenant_id";
    const rows = await t.db
      .selectFrom(table as "tenant")
      .selectAll()
      .where(column as "id", "=", tenantId)
      .execute();
    const lines = rows.map((row) => JSON.stringify(row)).sort();
    const sha256 = crypto.createHash("sha256").update(lines.join("\n")).digest("hex");
    fingerprint[table] = { rows: rows.length, sha256 };
  }
  return fingerprint;
}

/** What an uninterrupted closure leaves, in terms that do not depend on ids or times. */
export interface ClosureEndState {
  state: string;
  /** Items handled per step (the progress rows' `done`). */
  done: Record<string, number>;
  /** The progress rows' counts per step (deleted, failed, erased rows per table, …). */
  counts: Record<string, Record<string, number>>;
  /** The certificate's `erased` counts. */
  erased: Record<string, number>;
  /** The certificate's step names, in order. */
  certifiedSteps: string[];
  certificateValid: boolean;
  /** Audit entries per action: a batch done twice would write its entries twice. */
  auditActions: Record<string, number>;
  auditChainValid: boolean;
  /** The closed tenant's rows left in the tables the erasure empties (none expected). */
  rowsLeft: Record<string, number>;
}

export async function closureEndState(t: TestContext, tenantId: string): Promise<ClosureEndState> {
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
    .execute();
  const done: Record<string, number> = {};
  const counts: Record<string, Record<string, number>> = {};
  for (const row of progress) {
    done[row.step] = Number(row.done);
    counts[row.step] = JSON.parse(row.counts) as Record<string, number>;
  }
  const certificate = JSON.parse(operation.certificate ?? "null") as {
    erased?: Record<string, number>;
    steps?: { name: string }[];
  } | null;
  const actions = await t.db
    .selectFrom("audit_log")
    .select((eb) => ["action", eb.fn.countAll<number>().as("n")])
    .where("tenant_id", "=", tenantId)
    .groupBy("action")
    .execute();
  const left = await tenantRowCounts(t, tenantId, await erasableTables(t.db, t.engine));
  return {
    state: operation.state,
    done,
    counts,
    erased: certificate?.erased ?? {},
    certifiedSteps: certificate?.steps?.map((s) => s.name) ?? [],
    certificateValid: certificate !== null && verifyCertificate(certificate).valid,
    auditActions: Object.fromEntries(actions.map((a) => [a.action, Number(a.n)])),
    auditChainValid: (await verifyAuditChain(t, tenantId)).ok,
    rowsLeft: Object.fromEntries(Object.entries(left).filter(([, n]) => n > 0)),
  };
}

/** A closure fixture tenant with `imported` more users, each owning two messages and a file. */
export interface BusyTenant extends ClosureTenant {
  imported: number;
}

/** Users imported in bulk; their mail and files inserted directly, 200 owners per statement. */
export async function createBusyTenant(
  t: TestContext,
  users: number,
  synced: boolean,
): Promise<BusyTenant> {
  const tenant = await createClosureTenant(t, { synced });
  const { tenantId, domain } = tenant.org;
  const people = Array.from({ length: users }, (_, n) => ({
    userPrincipalName: `staff${n}@${domain}`,
    displayName: `Staff ${n}`,
  }));
  const imported = await importUsers(t, OPERATOR, tenantId, people, { initialPassword: PASSWORD });
  const ids = imported.value.flatMap((r) => (r.id ? [r.id] : []));
  const now = t.clock.now().toISOString();
  const common = { tenant_id: tenantId, created_at: now };
  for (let i = 0; i < ids.length; i += 200) {
    const owners = ids.slice(i, i + 200);
    const messages = owners.flatMap((user_id) =>
      ["Weekly report", "Team lunch"].map((subject) => {
        const body = `${subject}: ${crypto.randomBytes(48).toString("hex")}`;
        const size_bytes = Buffer.byteLength(subject) + Buffer.byteLength(body);
        const mail = { body_content_type: "text", body_content: body, to_recipients: "[]" };
        const sender = { from_address: null, from_name: null, received_at: now };
        return { ...common, ...mail, ...sender, id: newId(), user_id, subject, size_bytes };
      }),
    );
    await t.db.insertInto("mail_message").values(messages).execute();
    const files = owners.map((user_id) => {
      const content = crypto.randomBytes(1024);
      const sha256 = crypto.createHash("sha256").update(content).digest("hex");
      const path = { path: "a.bin", path_key: "a.bin", name: "a.bin", updated_at: now };
      const kind = { content_type: "application/octet-stream", size_bytes: 1024 };
      return { ...common, ...path, ...kind, id: newId(), user_id, content, sha256 };
    });
    await t.db.insertInto("drive_item").values(files).execute();
  }
  return { ...tenant, imported: ids.length };
}
