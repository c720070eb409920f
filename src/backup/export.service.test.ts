import { createHash } from "node:crypto";
import zlib from "node:zlib";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ArchiveEntry, entriesOf } from "../../test/archive-fixtures.js";
import { type ClosureTenant, CONTENT, createClosureTenant } from "../../test/closure-fixtures.js";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  OPERATOR,
  PASSWORD,
  userActor,
} from "../../test/directory-fixtures.js";
import { totpCode } from "../../test/signin-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { uploadFile } from "../content/index.js";
import { addGroupMember, createGroup, importUsers } from "../directory/index.js";
import {
  activateTotpMethod,
  generateRecoveryCodes,
  signIn,
  startTotpEnrolment,
} from "../security/index.js";
import { writeTenantExport } from "./index.js";

/** Issue 7: the streamed tar.gz export of a tenant, on both engines. */

/**
 * Every column of the schema that holds a secret or a credential (grep of
 * src/store/migrations/*.ts for hashes, secrets, tokens, keys and sealed values). None of their
 * values may appear in an archive.
 */
const SECRET_COLUMNS = [
  ["app_user", "password_hash"],
  ["auth_session", "token_hash"],
  ["mfa_challenge", "id"],
  ["totp_method", "secret_ciphertext"],
  ["recovery_code", "code_hash"],
  ["application_secret", "secret_hash"],
  ["payment_method", "token"],
  ["audit_key", "wrapped_key"],
  ["closure_reader_token", "token_hash"],
  ["signing_key", "private_key_sealed"],
] as const;

async function exportToBuffer(t: TestContext, tenantId: string) {
  const chunks: Buffer[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const summary = await writeTenantExport(t, tenantId, async (chunk) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    chunks.push(chunk);
    inFlight -= 1;
  });
  return { archive: Buffer.concat(chunks), summary, maxInFlight };
}

function jsonLines(entry: ArchiveEntry | undefined): Record<string, unknown>[] {
  if (!entry) throw new Error("entry missing");
  return entry.data
    .toString("utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

describe.each(TEST_ENGINES)("tenant export on %s", (engine) => {
  let t: TestContext;
  let c: ClosureTenant;

  beforeEach(async () => {
    t = await createTestContext(engine);
    c = await createClosureTenant(t);
    const group = await createGroup(t, OPERATOR, c.org.tenantId, { displayName: "Finance" });
    await addGroupMember(t, OPERATOR, c.org.tenantId, group.id, c.plain.id);
  });
  afterEach(async () => {
    await t.close();
  });

  it("writes every kind of the tenant's data as entries the manifest lists with size and SHA-256", async () => {
    const { archive, summary } = await exportToBuffer(t, c.org.tenantId);
    const entries = await entriesOf(archive);
    const described = (e: ArchiveEntry) => ({
      path: e.path,
      bytes: e.data.length,
      sha256: createHash("sha256").update(e.data).digest("hex"),
    });
    expect(summary.sha256).toBe(createHash("sha256").update(archive).digest("hex"));
    expect(summary.bytes).toBe(archive.length);
    expect(summary.entries).toBe(entries.length);
    // A small tenant: its entries, one manifest part listing them, then manifest.json.
    expect(entries.slice(-2).map((e) => e.path)).toEqual([
      "manifest/part-00001.jsonl",
      "manifest.json",
    ]);
    const listed = entries.slice(0, -2);
    const part = entries.at(-2) as ArchiveEntry;
    expect(jsonLines(part)).toEqual(listed.map(described));
    const manifest = JSON.parse(entries.at(-1)?.data.toString("utf8") ?? "");
    expect(manifest).toMatchObject({
      format: "tenantry-export",
      version: 2,
      tenant: { id: c.org.tenantId, initialDomain: c.org.domain },
      entries: listed.length,
      bytes: listed.reduce((sum, e) => sum + e.data.length, 0),
    });
    expect(manifest.parts).toEqual([{ ...described(part), entries: listed.length }]);
    const paths = entries.map((e) => e.path);
    const plainFile = entries.find((e) => e.data.equals(CONTENT.plainFile));
    expect(plainFile?.path).toMatch(new RegExp(`^content/${c.plain.id}/files/[0-9a-f-]{36}$`));
    for (const path of [
      "organization.json",
      "roleAssignments/part-00001.jsonl",
      "users/part-00001.jsonl",
      "groups/part-00001.jsonl",
      "groupMembers/part-00001.jsonl",
      "applications/part-00001.jsonl",
      "subscriptions/part-00001.jsonl",
      "licenseAssignments/part-00001.jsonl",
      "paymentMethods/part-00001.jsonl",
      "invoices/part-00001.jsonl",
      "audit/part-00001.jsonl",
      `content/${c.plain.id}/messages/part-00001.jsonl`,
      `content/${c.plain.id}/files/part-00001.jsonl`,
      `content/${c.binned.id}/files/part-00001.jsonl`,
    ]) {
      expect(paths).toContain(path);
    }
    expect(summary.counts).toMatchObject({
      users: 6,
      groups: 1,
      groupMembers: 1,
      applications: 1,
      subscriptions: 1,
      paymentMethods: 1,
      messages: 2,
      driveItems: 2,
    });
    const users = jsonLines(entries.find((e) => e.path === "users/part-00001.jsonl"));
    expect(Object.keys(users[0] ?? {}).sort()).toEqual(
      [
        "accountEnabled",
        "createdDateTime",
        "deletedDateTime",
        "displayName",
        "externalId",
        "id",
        "mail",
        "mailNickname",
        "onPremisesSyncEnabled",
        "perUserMfaState",
        "userPrincipalName",
      ].sort(),
    );
    const mfa = users.find((u) => u.id === c.mfa.id);
    expect(mfa).toMatchObject({ perUserMfaState: "enforced", accountEnabled: true });
    const messages = jsonLines(
      entries.find((e) => e.path === `content/${c.plain.id}/messages/part-00001.jsonl`),
    );
    expect(messages.map((m) => m.subject).sort()).toEqual([...CONTENT.plainMessages].sort());
  });

  it("never writes a password hash, TOTP secret, recovery code, token or client secret", async () => {
    const mfaActor = userActor(c.org.tenantId, c.mfa.id);
    const enrolment = await startTotpEnrolment(t, mfaActor);
    await activateTotpMethod(t, mfaActor, enrolment.id, totpCode(t, enrolment.secretKey));
    const recoveryCodes = await generateRecoveryCodes(t, mfaActor);
    const session = await signIn(t, {
      userPrincipalName: c.org.admin.userPrincipalName,
      password: PASSWORD,
      sourceAddress: "10.9.9.9",
    });
    expect(session.kind).toBe("signedIn");
    const plaintexts = [
      PASSWORD,
      enrolment.secretKey,
      ...recoveryCodes,
      c.app.clientSecret,
      session.kind === "signedIn" ? session.accessToken : "",
    ];
    const stored: string[] = [];
    const kinds = new Set<string>();
    for (const [table, column] of SECRET_COLUMNS) {
      const { rows } = await sql<{ value: string | null }>`select ${sql.ref(column)} as value
        from ${sql.table(table)}`.execute(t.db);
      for (const row of rows) {
        if (row.value === null) continue;
        stored.push(String(row.value));
        kinds.add(table);
      }
    }
    // Each kind of secret exists in the store, so the check below can fail.
    expect([...kinds].sort()).toEqual(
      [
        "app_user",
        "application_secret",
        "audit_key",
        "auth_session",
        "payment_method",
        "recovery_code",
        "totp_method",
      ].sort(),
    );

    const { archive } = await exportToBuffer(t, c.org.tenantId);
    const text = zlib.gunzipSync(archive).toString("latin1");
    expect(text).toContain(c.plain.userPrincipalName);
    for (const secret of [...plaintexts, ...stored]) {
      expect(secret.length).toBeGreaterThan(5);
      expect(text.includes(secret), `archive contains a secret: ${secret}`).toBe(false);
    }
  });

  it("hands the archive to the sink one chunk at a time, each awaited", async () => {
    const { maxInFlight, archive } = await exportToBuffer(t, c.org.tenantId);
    expect(archive.length).toBeGreaterThan(0);
    expect(maxInFlight).toBe(1);
  });

  it("splits JSON Lines into parts of at most 1,000 rows", async () => {
    const many = Array.from({ length: 1001 }, (_, i) => ({
      userPrincipalName: `bulk${i}@${c.org.domain}`,
      displayName: `Bulk ${i}`,
    }));
    await importUsers(t, OPERATOR, c.org.tenantId, many);
    const { archive, summary } = await exportToBuffer(t, c.org.tenantId);
    const entries = await entriesOf(archive);
    const parts = entries.filter((e) => e.path.startsWith("users/"));
    expect(parts.map((e) => e.path)).toEqual(["users/part-00001.jsonl", "users/part-00002.jsonl"]);
    expect(parts.map((e) => jsonLines(e).length)).toEqual([1000, 7]);
    expect(summary.counts.users).toBe(1007);
  });

  it("holds nothing of another tenant", async () => {
    const other = await createTenantWithAdmin(t);
    const { user } = await createUserWithRoles(t, other, "stranger");
    await uploadFile(t, userActor(other.tenantId, user.id), other.tenantId, "me", {
      path: "secret-plan.txt",
      content: Buffer.from("the other tenant's plan"),
    });
    const { archive } = await exportToBuffer(t, c.org.tenantId);
    const text = zlib.gunzipSync(archive).toString("latin1");
    for (const foreign of [other.tenantId, other.domain, user.id, "the other tenant's plan"]) {
      expect(text.includes(foreign)).toBe(false);
    }
  });
});
