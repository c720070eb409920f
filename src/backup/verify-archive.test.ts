import { Readable } from "node:stream";
import zlib from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ArchiveEntry, entriesOf, packArchive } from "../../test/archive-fixtures.js";
import { type ClosureTenant, createClosureTenant } from "../../test/closure-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import { verifyExportArchive, writeTenantExport } from "./index.js";

/** Issue 7: the export's offline verification against its manifest, on both engines. */

/** Packs entries again as tar.gz, after `edit` changed them. */
async function repack(
  archive: Buffer,
  edit: (entries: ArchiveEntry[]) => ArchiveEntry[],
): Promise<Buffer> {
  return packArchive(edit(await entriesOf(archive)));
}

async function exportToBuffer(t: TestContext, tenantId: string) {
  const chunks: Buffer[] = [];
  const summary = await writeTenantExport(t, tenantId, async (chunk) => {
    chunks.push(chunk);
  });
  return { archive: Buffer.concat(chunks), summary };
}

describe.each(TEST_ENGINES)("export verification on %s", (engine) => {
  let t: TestContext;
  let c: ClosureTenant;

  beforeEach(async () => {
    t = await createTestContext(engine);
    c = await createClosureTenant(t);
  });
  afterEach(async () => {
    await t.close();
  });

  it("accepts an archive as written", async () => {
    const { archive, summary } = await exportToBuffer(t, c.org.tenantId);
    const result = await verifyExportArchive(Readable.from([archive]));
    expect(result).toMatchObject({ valid: true, problems: [], entries: summary.entries });
    expect(result.manifest?.tenant.id).toBe(c.org.tenantId);
  });

  it("names the entry in which one byte was changed", async () => {
    const { archive } = await exportToBuffer(t, c.org.tenantId);
    const messagesPath = `content/${c.plain.id}/messages/part-00001.jsonl`;
    const tampered = await repack(archive, (entries) =>
      entries.map((e) => {
        if (e.path !== messagesPath) return e;
        const data = Buffer.from(e.data);
        data[data.indexOf("Quarterly")] = "q".charCodeAt(0);
        return { path: e.path, data };
      }),
    );
    const result = await verifyExportArchive(Readable.from([tampered]));
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([
      `${messagesPath}: SHA-256 differs from the manifest (the entry was changed).`,
    ]);
  });

  it("names a missing entry, an extra entry and an archive without manifest", async () => {
    const { archive } = await exportToBuffer(t, c.org.tenantId);
    const edited = await repack(archive, (entries) => [
      ...entries.filter((e) => e.path !== "applications/part-00001.jsonl"),
      { path: "notes.txt", data: Buffer.from("added later") },
    ]);
    const result = await verifyExportArchive(Readable.from([edited]));
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([
      "applications/part-00001.jsonl: listed in the manifest but missing from the archive.",
      "notes.txt: in the archive but not in the manifest.",
    ]);
    const bare = await repack(archive, (entries) =>
      entries.filter((e) => e.path !== "manifest.json"),
    );
    const noManifest = await verifyExportArchive(Readable.from([bare]));
    expect(noManifest.valid).toBe(false);
    expect(noManifest.problems).toEqual([
      "The archive has no manifest.json, so its entries cannot be checked.",
    ]);
  });

  it("calls a truncated file and a file that is not gzip invalid", async () => {
    const { archive } = await exportToBuffer(t, c.org.tenantId);
    const truncated = await verifyExportArchive(
      Readable.from([archive.subarray(0, Math.floor(archive.length / 2))]),
    );
    expect(truncated.valid).toBe(false);
    expect(truncated.problems).toEqual([
      "The archive is truncated: it ends before its last entry is complete.",
    ]);
    const notGzip = await verifyExportArchive(Readable.from([Buffer.from("just some text")]));
    expect(notGzip.valid).toBe(false);
    expect(notGzip.problems[0]).toContain("not a gzip archive");
    const notTar = await verifyExportArchive(Readable.from([zlib.gzipSync("x".repeat(2048))]));
    expect(notTar.valid).toBe(false);
    expect(notTar.problems[0]).toContain("does not hold a valid tar archive");
  });
});
