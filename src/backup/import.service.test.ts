import { Readable } from "node:stream";
import zlib from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type ClosureTenant,
  CONTENT,
  createClosureTenant,
  snapshotAllTables,
} from "../../test/closure-fixtures.js";
import {
  auditActions,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  expectAuditChainValid,
  OPERATOR,
  PASSWORD,
  type TenantFixture,
  uniqueDomain,
  userActor,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { uploadFile } from "../content/index.js";
import { addGroupMember, createGroup } from "../directory/index.js";
import { signIn } from "../security/index.js";
import { listTablesWithColumn } from "../store/engine.js";
import { importTenantExport, writeTenantExport } from "./index.js";

/** Issue 7: export → verify → import into a new organization, on both engines. */

async function exportToBuffer(t: TestContext, tenantId: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await writeTenantExport(t, tenantId, async (chunk) => {
    chunks.push(chunk);
  });
  return Buffer.concat(chunks);
}

const from = (archive: Buffer) => () => Readable.from([archive]);

/** Every row of one tenant in every tenant-owned table: equal snapshots mean it was untouched. */
async function snapshotTenant(t: TestContext, tenantId: string): Promise<string[]> {
  const rows: string[] = [];
  for (const table of await listTablesWithColumn(t.db, t.engine, "tenant_id")) {
    const found = await t.db
      .selectFrom(table as "app_user")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .execute();
    rows.push(
      ...found.map(
        (r) =>
          `${table} ${JSON.stringify(r, (_, v) => (Buffer.isBuffer(v) ? v.toString("hex") : v))}`,
      ),
    );
  }
  return rows.sort();
}

async function usersOf(t: TestContext, tenantId: string) {
  return t.db
    .selectFrom("app_user")
    .select(["id", "user_principal_name", "password_hash", "force_change_password"])
    .select(["per_user_mfa_state", "deleted_at"])
    .where("tenant_id", "=", tenantId)
    .orderBy("user_principal_name")
    .execute();
}

describe.each(TEST_ENGINES)("tenant import on %s", (engine) => {
  let t: TestContext;
  let c: ClosureTenant;
  let other: TenantFixture;

  beforeEach(async () => {
    t = await createTestContext(engine);
    c = await createClosureTenant(t);
    const group = await createGroup(t, OPERATOR, c.org.tenantId, { displayName: "Finance" });
    await addGroupMember(t, OPERATOR, c.org.tenantId, group.id, c.plain.id);
    await addGroupMember(t, OPERATOR, c.org.tenantId, group.id, c.reader.id);
    other = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, other, "bystander");
    await uploadFile(t, userActor(other.tenantId, user.id), other.tenantId, "me", {
      path: "mine.txt",
      content: Buffer.from("not yours"),
    });
  });
  afterEach(async () => {
    await t.close();
  });

  it("restores users, roles, groups, mail and files into a new organization on the new domain", async () => {
    const archive = await exportToBuffer(t, c.org.tenantId);
    const otherBefore = await snapshotTenant(t, other.tenantId);
    const domain = uniqueDomain("restored");

    const summary = await importTenantExport(t, from(archive), { domain });

    expect(summary.domain).toBe(domain);
    expect(summary.admin.userPrincipalName).toBe(`admin@${domain}`);
    expect(summary.failures).toEqual([]);
    expect(summary.counts).toEqual({
      users: 5,
      roleAssignments: 2,
      groups: 1,
      groupMembers: 2,
      messages: 2,
      driveItems: 1,
    });
    // The recycle bin's user and its file; billing, the application and the audit log are history.
    expect(summary.skipped).toMatchObject({
      deletedUsers: 1,
      driveItems: 1,
      subscriptions: 1,
      paymentMethods: 1,
      applications: 1,
    });
    expect(summary.skipped.audit).toBeGreaterThan(0);
    // The manifest's entries are checked, not imported nor counted as unknown.
    expect(summary.skipped.unknownEntries).toBeUndefined();

    const imported = await usersOf(t, summary.tenantId);
    expect(imported.map((u) => u.user_principal_name)).toEqual(
      ["admin", "licensed", "mfa", "plain", "reader"].map((alias) => `${alias}@${domain}`),
    );
    expect(
      imported.find((u) => u.user_principal_name === `mfa@${domain}`)?.per_user_mfa_state,
    ).toBe("enforced");
    const readers = await t.db
      .selectFrom("role_assignment")
      .innerJoin("app_user", (j) =>
        j
          .onRef("app_user.tenant_id", "=", "role_assignment.tenant_id")
          .onRef("app_user.id", "=", "role_assignment.user_id"),
      )
      .select(["app_user.user_principal_name", "role_assignment.role_template_id"])
      .where("role_assignment.tenant_id", "=", summary.tenantId)
      .orderBy("app_user.user_principal_name")
      .execute();
    expect(readers.map((r) => r.user_principal_name)).toEqual([
      `admin@${domain}`,
      `reader@${domain}`,
    ]);

    const files = await t.db
      .selectFrom("drive_item")
      .select(["path", "sha256", "content"])
      .where("tenant_id", "=", summary.tenantId)
      .execute();
    const source = await t.db
      .selectFrom("drive_item")
      .select(["path", "sha256"])
      .where("tenant_id", "=", c.org.tenantId)
      .where("user_id", "=", c.plain.id)
      .execute();
    expect(files.map((f) => ({ path: f.path, sha256: f.sha256 }))).toEqual(source);
    expect(Buffer.from(files[0]?.content ?? []).equals(CONTENT.plainFile)).toBe(true);
    const subjects = await t.db
      .selectFrom("mail_message")
      .select("subject")
      .where("tenant_id", "=", summary.tenantId)
      .execute();
    expect(subjects.map((s) => s.subject).sort()).toEqual([...CONTENT.plainMessages].sort());

    expect((await auditActions(t, summary.tenantId))[0]).toBe("tenant.create");
    expect((await auditActions(t, summary.tenantId)).at(-1)).toBe("tenant.import");
    await expectAuditChainValid(t, summary.tenantId);
    expect(await snapshotTenant(t, other.tenantId)).toEqual(otherBefore);
  });

  it("gives imported users no password, so they must set a new one", async () => {
    const archive = await exportToBuffer(t, c.org.tenantId);
    const domain = uniqueDomain("restored");
    const summary = await importTenantExport(t, from(archive), { domain });

    for (const user of await usersOf(t, summary.tenantId)) {
      expect(Boolean(user.force_change_password)).toBe(true);
      if (user.id !== summary.admin.id) expect(user.password_hash).toBeNull();
    }
    const attempt = (userPrincipalName: string, password: string) =>
      signIn(t, { userPrincipalName, password, sourceAddress: "10.7.7.7" });
    await expectAppError(attempt(`admin@${domain}`, PASSWORD), "InvalidCredentials");
    await expectAppError(attempt(`plain@${domain}`, PASSWORD), "InvalidCredentials");
    // The administrator's one-time password only leads to the password change.
    const first = await attempt(`admin@${domain}`, summary.admin.temporaryPassword);
    expect(first.kind).toBe("passwordChangeRequired");
  });

  it("refuses a tampered archive and changes nothing", async () => {
    const archive = zlib.gunzipSync(await exportToBuffer(t, c.org.tenantId));
    const at = archive.indexOf("Quarterly");
    archive[at] = "q".charCodeAt(0);
    const before = await snapshotAllTables(t);
    const error = await expectAppError(
      importTenantExport(t, from(zlib.gzipSync(archive)), { domain: uniqueDomain() }),
      "EXPORT_INVALID",
      "Blocked",
    );
    expect(error.message).toContain(`content/${c.plain.id}/messages/part-00001.jsonl`);
    expect(await snapshotAllTables(t)).toEqual(before);
  });

  it("refuses the archive's own domain, which is never reused, and changes nothing", async () => {
    const archive = await exportToBuffer(t, c.org.tenantId);
    const before = await snapshotAllTables(t);
    await expectAppError(
      importTenantExport(t, from(archive), { domain: c.org.domain }),
      "DOMAIN_TAKEN",
    );
    expect(await snapshotAllTables(t)).toEqual(before);
  });

  it("stops when the archive changes between verification and import", async () => {
    const archive = await exportToBuffer(t, c.org.tenantId);
    const changed = zlib.gunzipSync(archive);
    changed[changed.indexOf("Quarterly")] = "q".charCodeAt(0);
    let reads = 0;
    const source = () => Readable.from([reads++ === 0 ? archive : zlib.gzipSync(changed)]);
    await expectAppError(
      importTenantExport(t, source, { domain: uniqueDomain() }),
      "EXPORT_CHANGED",
      "Blocked",
    );
  });
});
