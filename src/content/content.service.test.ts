import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  auditEntries,
  createTenantWithAdmin,
  createUserWithRoles,
  expectAppError,
  OPERATOR,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { deleteUser, purgeUser } from "../directory/index.js";
import { loadConfig } from "../shared/config.js";
import {
  contentTotals,
  createMessage,
  deleteDriveItem,
  deleteMessage,
  downloadFile,
  getMessage,
  listDriveItems,
  listMessages,
  uploadFile,
} from "./index.js";

/** Issue 6, SPEC §4: users' mail and files, read by their owner only, erased with the user. */
describe.each(TEST_ENGINES)("user content on %s", (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(engine, { config: { maxFileBytes: 1024 } });
  });
  afterAll(async () => {
    await t.close();
  });

  async function setUp() {
    const org = await createTenantWithAdmin(t);
    const ada = await createUserWithRoles(t, org, "ada");
    const bob = await createUserWithRoles(t, org, "bob");
    return { org, ada, bob };
  }

  const message = (subject: string, receivedDateTime?: string) => ({
    subject,
    body: { contentType: "text", content: `Body of ${subject}` },
    from: { emailAddress: { address: "sender@example.com", name: "Sender" } },
    toRecipients: [{ emailAddress: { address: "ada@example.com" } }],
    ...(receivedDateTime ? { receivedDateTime } : {}),
  });

  it("counts messages, files and their bytes per tenant and per set of users", async () => {
    const { org, ada, bob } = await setUp();
    const mail = await createMessage(t, ada.actor, org.tenantId, "me", message("Hello"));
    const file = await uploadFile(t, bob.actor, org.tenantId, "me", {
      path: "a.bin",
      content: Buffer.from([0, 1, 2, 255]),
    });
    expect(await contentTotals(t.db, org.tenantId)).toEqual({
      messages: 1,
      files: 1,
      bytes: mail.sizeBytes + file.item.size,
    });
    expect(await contentTotals(t.db, org.tenantId, [bob.user.id])).toEqual({
      messages: 0,
      files: 1,
      bytes: 4,
    });
    expect(await contentTotals(t.db, org.tenantId, [])).toEqual({
      messages: 0,
      files: 0,
      bytes: 0,
    });
    const other = await createTenantWithAdmin(t);
    expect(await contentTotals(t.db, other.tenantId)).toEqual({ messages: 0, files: 0, bytes: 0 });
  });

  it("lists a mailbox newest first by receivedDateTime, a page at a time", async () => {
    const { org, ada } = await setUp();
    for (const [subject, at] of [
      ["old", "2024-01-01T00:00:00Z"],
      ["new", "2024-03-01T00:00:00Z"],
      ["mid", "2024-02-01T00:00:00Z"],
      ["mid2", "2024-02-01T00:00:00Z"],
    ] as const) {
      await createMessage(t, ada.actor, org.tenantId, "me", message(subject, at));
    }
    const subjects: string[] = [];
    let after: { receivedAt: string; id: string } | undefined;
    for (;;) {
      const page = await listMessages(t, ada.actor, org.tenantId, "me", { after, limit: 2 });
      subjects.push(...page.map((m) => m.subject));
      const last = page.at(-1);
      if (page.length < 2 || !last) break;
      after = { receivedAt: last.receivedDateTime.toISOString(), id: last.id };
    }
    expect(subjects[0]).toBe("new");
    expect(subjects.slice(1, 3).sort()).toEqual(["mid", "mid2"]);
    expect(subjects[3]).toBe("old");
  });

  it("refuses another user of the tenant, even a Global Administrator (403)", async () => {
    const { org, ada } = await setUp();
    const mail = await createMessage(t, ada.actor, org.tenantId, "me", message("Private"));
    const ref = { idOrUpn: ada.user.id };
    await expectAppError(
      getMessage(t, org.adminActor, org.tenantId, ref, mail.id),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    await expectAppError(
      listMessages(
        t,
        org.adminActor,
        org.tenantId,
        { idOrUpn: ada.user.userPrincipalName },
        { limit: 10 },
      ),
      "INSUFFICIENT_ROLE",
      "Forbidden",
    );
    expect((await getMessage(t, ada.actor, org.tenantId, ref, mail.id)).subject).toBe("Private");
  });

  it("answers 404 for a user of another tenant", async () => {
    const { org } = await setUp();
    const other = await setUp();
    await expectAppError(
      listMessages(t, org.adminActor, org.tenantId, { idOrUpn: other.ada.user.id }, { limit: 10 }),
      "USER_NOT_FOUND",
      "NotFound",
    );
  });

  it("uploads, replaces and downloads a file's bytes unchanged, keeping its id", async () => {
    const { org, ada } = await setUp();
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const first = await uploadFile(t, ada.actor, org.tenantId, "me", {
      path: "/Docs/Report.bin",
      content: bytes,
      contentType: "application/x-test",
    });
    expect(first.created).toBe(true);
    expect(first.item).toMatchObject({ name: "Report.bin", path: "Docs/Report.bin", size: 256 });
    const again = await uploadFile(t, ada.actor, org.tenantId, "me", {
      path: "docs/report.bin",
      content: Buffer.from("replaced"),
    });
    expect(again).toMatchObject({ created: false, item: { id: first.item.id, size: 8 } });
    const down = await downloadFile(t, ada.actor, org.tenantId, "me", first.item.id);
    expect(down.content.equals(Buffer.from("replaced"))).toBe(true);
    expect(down.contentType).toBe("application/octet-stream");
    const list = await listDriveItems(t, ada.actor, org.tenantId, "me", { limit: 10 });
    expect(list.map((i) => i.id)).toEqual([first.item.id]);
  });

  it("refuses bad paths and files over TENANTRY_MAX_FILE_BYTES", async () => {
    const { org, ada } = await setUp();
    const upload = (path: string, size = 1) =>
      uploadFile(t, ada.actor, org.tenantId, "me", { path, content: Buffer.alloc(size) });
    for (const path of ["", "a//b", "../x", "a/./b", "a/", "x:y", "a".repeat(401)]) {
      await expectAppError(upload(path), "DRIVE_PATH_INVALID", "Invalid");
    }
    await expectAppError(upload("big.bin", 1025), "FILE_TOO_LARGE", "Invalid");
    expect(await contentTotals(t.db, org.tenantId)).toMatchObject({ files: 0 });
  });

  it("audits creates and deletes with ids and sizes, never content", async () => {
    const { org, ada } = await setUp();
    const mail = await createMessage(t, ada.actor, org.tenantId, "me", message("Secret subject"));
    const { item } = await uploadFile(t, ada.actor, org.tenantId, "me", {
      path: "secret-name.txt",
      content: Buffer.from("secret bytes"),
    });
    await deleteMessage(t, ada.actor, org.tenantId, "me", mail.id);
    await deleteDriveItem(t, ada.actor, org.tenantId, "me", item.id);
    const entries = (await auditEntries(t, org.tenantId)).filter((e) =>
      ["message.create", "message.delete", "driveItem.create", "driveItem.delete"].includes(
        e.action,
      ),
    );
    expect(entries.map((e) => e.action)).toEqual([
      "message.create",
      "driveItem.create",
      "message.delete",
      "driveItem.delete",
    ]);
    const text = JSON.stringify(entries);
    for (const secret of ["Secret subject", "secret-name", "secret bytes", "sender@example.com"]) {
      expect(text).not.toContain(secret);
    }
    expect(entries[1]?.details).toEqual({ userId: ada.user.id, sizeBytes: 12 });
    expect(await contentTotals(t.db, org.tenantId)).toEqual({ messages: 0, files: 0, bytes: 0 });
  });

  it("keeps a soft-deleted user's content out of reach, and purge erases it", async () => {
    const { org, ada } = await setUp();
    await createMessage(t, ada.actor, org.tenantId, "me", message("Kept"));
    await uploadFile(t, ada.actor, org.tenantId, "me", {
      path: "f.txt",
      content: Buffer.from("x"),
    });
    await deleteUser(t, OPERATOR, org.tenantId, ada.user.id);
    expect(await contentTotals(t.db, org.tenantId)).toMatchObject({ messages: 1, files: 1 });
    await expectAppError(
      listMessages(t, OPERATOR, org.tenantId, { idOrUpn: ada.user.id }, { limit: 10 }),
      "USER_NOT_FOUND",
      "NotFound",
    );
    await purgeUser(t, OPERATOR, org.tenantId, ada.user.id);
    for (const table of ["mail_message", "drive_item"] as const) {
      const rows = await t.db
        .selectFrom(table)
        .select("id")
        .where("user_id", "=", ada.user.id)
        .execute();
      expect(rows).toEqual([]);
    }
  });
});

describe("TENANTRY_MAX_FILE_BYTES", () => {
  it("defaults to 4 MiB and refuses zero, fractions and more than 256 MiB", () => {
    expect(loadConfig({}).maxFileBytes).toBe(4 * 1024 * 1024);
    expect(loadConfig({ TENANTRY_MAX_FILE_BYTES: "1024" }).maxFileBytes).toBe(1024);
    for (const value of ["0", "1.5", "abc", String(256 * 1024 * 1024 + 1)]) {
      expect(() => loadConfig({ TENANTRY_MAX_FILE_BYTES: value }), value).toThrow(
        /TENANTRY_MAX_FILE_BYTES/,
      );
    }
  });
});
