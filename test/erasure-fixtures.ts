import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import { promisify } from "node:util";
import { sql } from "kysely";
import {
  runCancelSubscriptionsStep,
  runDeleteDisabledSubscriptionsStep,
  runDeleteTenantStep,
  runDeleteUsersStep,
  runDisableMfaStep,
} from "../src/closure/index.js";
import { assignLicense } from "../src/commerce/index.js";
import { createMessage, uploadFile } from "../src/content/index.js";
import {
  addGroupMember,
  createGroup,
  createTenant,
  deleteApplication,
  deleteUser,
  setPerUserMfaState,
} from "../src/directory/index.js";
import { signIn } from "../src/security/index.js";
import { listTableNames } from "../src/store/engine.js";
import { type ApplicationFixture, createApplicationWithSecret } from "./application-fixtures.js";
import { addCard } from "./billing-payment-fixtures.js";
import { closureScheduler } from "./closure-fixtures.js";
import { buy } from "./commerce-fixtures.js";
import {
  createUserWithRoles,
  errorOf,
  OPERATOR,
  PASSWORD,
  type TenantFixture,
  uniqueDomain,
  userActor,
} from "./directory-fixtures.js";
import { BUSINESS_STANDARD } from "./license-fixtures.js";
import type { TestContext } from "./test-context.js";

/**
 * Issue 7, "erasure that holds up": a tenant whose personal data all carry one marker string, and
 * searches for that marker in the places erased data could survive — live rows, the planner's
 * statistics, the SQLite database and `-wal` files, a `pg_dump` of the PostgreSQL database.
 */

/** A string that occurs nowhere unless planted: `ZZMARKER-<12 hex digits>`. */
export function newMarker(): string {
  return `ZZMARKER-${crypto.randomBytes(6).toString("hex").toUpperCase()}`;
}

export interface MarkedTenant {
  org: TenantFixture;
  marker: string;
  subscriptionId: string;
  app: ApplicationFixture;
}

/**
 * A tenant built through the areas' services whose admin and users carry `marker` in their UPNs
 * and display names, with mail (subject, body, sender, recipients), drive files (name and bytes),
 * a group, an application, a licence, per-user MFA, a user in the recycle bin, a failed sign-in
 * and a paid subscription. The domain and the organization's name stay unmarked: the tenant row
 * and its domains are kept by design (KEPT_AFTER_DELETION).
 */
export async function createMarkedTenant(t: TestContext, marker: string): Promise<MarkedTenant> {
  const domain = uniqueDomain("erasure");
  const adminUpn = `admin.${marker}@${domain}`;
  const { tenant, admin } = await createTenant(t, OPERATOR, {
    displayName: `Org ${domain}`,
    domain,
    admin: { userPrincipalName: adminUpn, displayName: `Admin ${marker}`, password: PASSWORD },
  });
  const tenantId = tenant.id;
  const org = { tenantId, domain, admin, adminActor: userActor(tenantId, admin.id) };
  await signIn(t, { userPrincipalName: adminUpn, password: PASSWORD, sourceAddress: "10.9.0.1" });
  await addCard(t, tenantId);
  const { subscription } = await buy(t, tenantId);

  const marked = (alias: string) =>
    createUserWithRoles(t, org, `${alias}.${marker}`, [], { displayName: `${alias} ${marker}` });
  const { user: alice } = await marked("alice");
  const { user: bob } = await marked("bob");
  const { user: binned } = await marked("binned");
  await assignLicense(t, OPERATOR, tenantId, alice.id, {
    addLicenses: [{ skuId: BUSINESS_STANDARD.skuId }],
    removeLicenses: [],
  });
  await setPerUserMfaState(t, OPERATOR, tenantId, bob.id, "enforced");
  const group = await createGroup(t, OPERATOR, tenantId, { displayName: `Team ${marker}` });
  await addGroupMember(t, OPERATOR, tenantId, group.id, alice.id);
  // Leaves a sign-in throttle row (installation-level, kept) keyed by the UPN.
  await errorOf(
    signIn(t, {
      userPrincipalName: alice.userPrincipalName,
      password: "not the password",
      sourceAddress: "10.9.0.2",
    }),
  );

  for (const owner of [alice, bob, binned]) {
    await createMessage(t, userActor(tenantId, owner.id), tenantId, "me", {
      subject: `Budget ${marker}`,
      body: { contentType: "text", content: `The numbers of ${marker}, in confidence.` },
      from: { emailAddress: { address: `boss.${marker}@elsewhere.example`, name: marker } },
      toRecipients: [{ emailAddress: { address: owner.userPrincipalName, name: marker } }],
    });
    await uploadFile(t, userActor(tenantId, owner.id), tenantId, "me", {
      path: `${marker}/notes-${marker}.txt`,
      content: Buffer.from(`private notes ${marker}\n`),
    });
  }
  await deleteUser(t, OPERATOR, tenantId, binned.id);
  const app = await createApplicationWithSecret(t, org, `Payroll ${marker}`);
  return { org, marker, subscriptionId: subscription.id, app };
}

/**
 * Deletes the tenant with the part-1 steps in the seed's order (SPEC §6): users (purged), cancel
 * and delete the subscriptions, wait out deprovisioning, MFA off, remove the application, delete.
 */
export async function eraseWithClosureSteps(t: TestContext, tenant: MarkedTenant): Promise<void> {
  const { adminActor, tenantId, domain } = tenant.org;
  await runDeleteUsersStep(t, adminActor, tenantId, { purge: true });
  await runCancelSubscriptionsStep(t, adminActor, tenantId, {
    reason: "other",
    feedback: `Closing, says ${tenant.marker}`,
  });
  await runDeleteDisabledSubscriptionsStep(t, adminActor, tenantId);
  t.clock.advance(t.config.deprovisionDelayMs + 3_600_000);
  await closureScheduler(t).runDueJobs();
  await runDisableMfaStep(t, adminActor, tenantId);
  await deleteApplication(t, adminActor, tenantId, tenant.app.application.id);
  await runDeleteTenantStep(t, adminActor, tenantId, { confirmDomain: domain });
}

/** The marker as stored: as typed, and lower-cased (UPN keys, path keys, mail nicknames). */
function markerForms(marker: string): string[] {
  return [marker, marker.toLowerCase()];
}

/** Where the marker is in live rows, as `row of <table>` (any column, bytes read as text). */
export async function findMarkerInRows(t: TestContext, marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const table of await listTableNames(t.db, t.engine)) {
    const rows = await t.db
      .selectFrom(table as "tenant")
      .selectAll()
      .execute();
    const text = rows
      .flatMap((row) => Object.values(row))
      .map((v) => (Buffer.isBuffer(v) ? v.toString("latin1") : String(v)))
      .join("\n");
    if (markerForms(marker).some((m) => text.includes(m))) found.push(`row of ${table}`);
  }
  return found;
}

/**
 * Where the marker is in the planner's statistics: SQLite's index samples (`sqlite_stat4`, when
 * it exists) or PostgreSQL's `pg_stats` (most common values, histogram bounds).
 */
export async function findMarkerInStatistics(t: TestContext, marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const form of markerForms(marker)) {
    const rows =
      t.engine === "postgres"
        ? await sql<{ place: string }>`select tablename || '.' || attname as place from pg_stats
            where schemaname = current_schema()
              and (most_common_vals::text like ${`%${form}%`}
                or histogram_bounds::text like ${`%${form}%`})`.execute(t.db)
        : (await hasSqliteStat4(t))
          ? await sql<{ place: string }>`select tbl || '.' || idx as place from sqlite_stat4
              where instr(sample, cast(${form} as blob)) > 0`.execute(t.db)
          : { rows: [] };
    found.push(...rows.rows.map((r) => `statistics of ${r.place}`));
  }
  return [...new Set(found)];
}

async function hasSqliteStat4(t: TestContext): Promise<boolean> {
  const { rows } = await sql`select 1 from sqlite_master where name = 'sqlite_stat4'`.execute(t.db);
  return rows.length > 0;
}

/**
 * Where the marker's UTF-8 bytes are in the SQLite database file and its `-wal` and `-shm` files,
 * as `file@offset`. The files are read as they are on disk, connection open.
 */
export function findMarkerInSqliteFiles(file: string, marker: string): string[] {
  const found: string[] = [];
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (!fs.existsSync(path)) continue;
    const bytes = fs.readFileSync(path);
    for (const form of markerForms(marker)) {
      const needle = Buffer.from(form, "utf8");
      for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) {
        found.push(`${path.slice(path.lastIndexOf("/") + 1)}@${at}`);
      }
    }
  }
  return found;
}

/** `pg_dump` on the PATH, else the newest under /usr/lib/postgresql/<version>/bin. */
export function findPgDump(): string {
  const onPath = (process.env.PATH ?? "")
    .split(":")
    .map((dir) => `${dir}/pg_dump`)
    .find((candidate) => fs.existsSync(candidate));
  if (onPath) return onPath;
  const versions = fs.existsSync("/usr/lib/postgresql")
    ? fs
        .readdirSync("/usr/lib/postgresql")
        .filter((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/pg_dump`))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined) throw new Error("pg_dump is not installed");
  return `/usr/lib/postgresql/${versions[0]}/bin/pg_dump`;
}

/** Where the marker is in a plain `pg_dump` of the database, as `dump of <section>` per line. */
export async function findMarkerInPgDump(databaseUrl: string, marker: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(findPgDump(), ["--no-owner", databaseUrl], {
    maxBuffer: 512 * 1024 * 1024,
  });
  const found: string[] = [];
  let section = "schema";
  for (const line of stdout.split("\n")) {
    const copy = /^COPY (\S+)/.exec(line);
    if (copy?.[1]) section = copy[1];
    if (markerForms(marker).some((m) => line.includes(m))) found.push(`dump of ${section}`);
  }
  return [...new Set(found)];
}

/** Every place the marker is found, on the context's engine; empty when it is gone. */
export async function findMarker(t: TestContext, marker: string): Promise<string[]> {
  const files =
    t.engine === "postgres"
      ? await findMarkerInPgDump(t.location, marker)
      : findMarkerInSqliteFiles(t.location, marker);
  return [
    ...(await findMarkerInRows(t, marker)),
    ...(await findMarkerInStatistics(t, marker)),
    ...files,
  ];
}
