import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ArchiveEntry, entriesOf, packArchive } from "../../test/archive-fixtures.js";
import {
  createTenantWithAdmin,
  type TenantFixture,
  uniqueDomain,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { newId } from "../shared/ids.js";
import { importTenantExport, verifyExportArchive, writeTenantExport } from "./index.js";

/**
 * Issue 7 ("memory stays flat however large the tenant"): the manifest is written in parts as the
 * archive goes, each listing the 1,000 entries before it, and manifest.json lists the parts.
 */

const FILES = 1200;

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const described = (e: ArchiveEntry) => ({
  path: e.path,
  bytes: e.data.length,
  sha256: sha256(e.data),
});
const lines = (data: Buffer) =>
  data
    .toString("utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));

/** FILES small files of the administrator, inserted in one statement (the services are slow for a fixture this size). */
async function insertFiles(t: TestContext, org: TenantFixture): Promise<void> {
  const now = new Date().toISOString();
  const rows = Array.from({ length: FILES }, (_, n) => {
    const content = Buffer.from(`file ${n}\n`);
    const name = `file-${String(n).padStart(4, "0")}.txt`;
    return {
      tenant_id: org.tenantId,
      id: newId(),
      user_id: org.admin.id,
      path: name,
      path_key: name,
      name,
      content,
      size_bytes: content.length,
      sha256: sha256(content),
      content_type: "text/plain",
      created_at: now,
      updated_at: now,
    };
  });
  for (let i = 0; i < rows.length; i += 400) {
    await t.db
      .insertInto("drive_item")
      .values(rows.slice(i, i + 400))
      .execute();
  }
}

describe.each(TEST_ENGINES)("export manifest in parts on %s", (engine) => {
  let t: TestContext;
  let org: TenantFixture;
  let archive: Buffer;
  let entries: ArchiveEntry[];

  beforeAll(async () => {
    t = await createTestContext(engine);
    org = await createTenantWithAdmin(t);
    await insertFiles(t, org);
    const chunks: Buffer[] = [];
    await writeTenantExport(t, org.tenantId, async (chunk) => {
      chunks.push(chunk);
    });
    archive = Buffer.concat(chunks);
    entries = await entriesOf(archive);
  });
  afterAll(async () => {
    await t.close();
  });

  it("writes a manifest part after every 1,000 entries listing them, and manifest.json lists the parts", async () => {
    const paths = entries.map((e) => e.path);
    const first = paths.indexOf("manifest/part-00001.jsonl");
    const second = paths.indexOf("manifest/part-00002.jsonl");
    expect(first).toBe(1000);
    expect(second).toBe(entries.length - 2);
    expect(paths.at(-1)).toBe("manifest.json");
    const [one, two] = [entries[first], entries[second]] as [ArchiveEntry, ArchiveEntry];
    expect(lines(one.data)).toEqual(entries.slice(0, first).map(described));
    expect(lines(two.data)).toEqual(entries.slice(first + 1, second).map(described));
    const manifest = JSON.parse(entries.at(-1)?.data.toString("utf8") ?? "");
    expect(manifest.parts).toEqual([
      { ...described(one), entries: 1000 },
      { ...described(two), entries: second - first - 1 },
    ]);
    expect(manifest.entries).toBe(entries.length - 3);
    expect(manifest.counts.driveItems).toBe(FILES);
  });

  it("verifies an archive of several manifest parts", async () => {
    const result = await verifyExportArchive(Readable.from([archive]));
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ valid: true, entries: entries.length });
  });

  it("names a manifest part whose listing was changed, and the entry it no longer matches", async () => {
    const part = "manifest/part-00001.jsonl";
    const edited = entries.map((e) => {
      if (e.path !== part) return e;
      const text = e.data.toString("utf8");
      const at = text.indexOf('"sha256":"') + '"sha256":"'.length;
      const digit = text[at] === "0" ? "1" : "0";
      return { path: e.path, data: Buffer.from(text.slice(0, at) + digit + text.slice(at + 1)) };
    });
    const result = await verifyExportArchive(Readable.from([await packArchive(edited)]));
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([
      "organization.json: SHA-256 differs from the manifest (the entry was changed).",
      `${part}: SHA-256 differs from the manifest (the entry was changed).`,
    ]);
  });

  it("calls the entries of a removed manifest part unlisted and the part missing", async () => {
    const part = "manifest/part-00001.jsonl";
    const edited = entries.filter((e) => e.path !== part);
    const result = await verifyExportArchive(Readable.from([await packArchive(edited)]));
    expect(result.valid).toBe(false);
    expect(result.problems).toHaveLength(1001);
    expect(result.problems[0]).toBe("organization.json: in the archive but not in the manifest.");
    expect(result.problems.at(-1)).toBe(
      `${part}: listed in the manifest but missing from the archive.`,
    );
  });

  it("imports an archive of several manifest parts, every file included", async () => {
    const summary = await importTenantExport(t, () => Readable.from([archive]), {
      domain: uniqueDomain("restored"),
    });
    expect(summary.failures).toEqual([]);
    expect(summary.counts.driveItems).toBe(FILES);
    expect(summary.skipped.unknownEntries).toBeUndefined();
  }, 120_000); // 1,200 uploads through the content service, one transaction each
});
