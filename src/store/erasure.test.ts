import fs from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  findMarkerInSqliteFiles,
  findMarkerInStatistics,
  newMarker,
} from "../../test/erasure-fixtures.js";
import {
  createTestContext,
  createTestDatabase,
  TEST_ENGINES,
  type TestContext,
} from "../../test/test-context.js";
import { compactAfterErasure } from "./erasure.js";

/**
 * Issue 7: erased rows leave nothing in the database files — SQLite with `secure_delete` from
 * creation, statistics rebuilt and the WAL truncated; PostgreSQL vacuumed and analyzed.
 */

/** A table of its own: these tests are about the store, not any area's rows. */
async function createNotes(t: TestContext): Promise<void> {
  await sql`create table erasure_note
    (id integer primary key, owner text not null, body text not null)`.execute(t.db);
  await sql`create index erasure_note_body on erasure_note (body)`.execute(t.db);
}

/** 200 notes of `owner`, each body carrying `marker`. */
async function addNotes(t: TestContext, owner: string, marker: string, from = 0): Promise<void> {
  for (let i = from; i < from + 200; i++) {
    const body = `note ${i} of ${marker}`;
    await sql`insert into erasure_note (id, owner, body) values (${i}, ${owner}, ${body})`.execute(
      t.db,
    );
  }
}

describe.each(TEST_ENGINES)("compaction after erasure on %s", (engine) => {
  let t: TestContext;
  const erased = newMarker();
  const remaining = newMarker();

  beforeEach(async () => {
    t = await createTestContext(engine);
    await createNotes(t);
    await addNotes(t, "erased", erased);
    await addNotes(t, "remaining", remaining, 1000);
    await sql`analyze erasure_note`.execute(t.db);
  });
  afterEach(async () => {
    await t.close();
  });

  it("rebuilds the statistics without samples of the erased rows, keeping the others'", async () => {
    await sql`delete from erasure_note where owner = 'erased'`.execute(t.db);
    expect(await findMarkerInStatistics(t, erased)).not.toEqual([]);

    await compactAfterErasure(t.db, t.engine, ["erasure_note"]);

    expect(await findMarkerInStatistics(t, erased)).toEqual([]);
    expect(await findMarkerInStatistics(t, remaining)).not.toEqual([]);
  });

  it("refuses to run inside a transaction, changing nothing", async () => {
    await sql`delete from erasure_note where owner = 'erased'`.execute(t.db);
    const failure = await t.db
      .transaction()
      .execute((trx) => compactAfterErasure(trx, t.engine, ["erasure_note"]))
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(String(failure)).toMatch(/after the erasure committed/);
    expect(await findMarkerInStatistics(t, erased)).not.toEqual([]);
  });

  it("does nothing for an empty list of tables", async () => {
    await expect(compactAfterErasure(t.db, t.engine, [])).resolves.toBeUndefined();
  });
});

describe.runIf(TEST_ENGINES.includes("sqlite"))("SQLite files after erasure", () => {
  let t: TestContext;
  const marker = newMarker();

  beforeEach(async () => {
    t = await createTestContext("sqlite");
    await createNotes(t);
  });
  afterEach(async () => {
    await t.close();
  });

  it("turns secure_delete on for every connection the store opens", async () => {
    const { rows } = await sql<{ secure_delete: number }>`pragma secure_delete`.execute(t.db);
    expect(rows[0]?.secure_delete).toBe(1);
  });

  it("leaves no byte of a deleted row in the database file or the WAL after compaction", async () => {
    await addNotes(t, "erased", marker);
    await sql`delete from erasure_note`.execute(t.db);

    await compactAfterErasure(t.db, t.engine, ["erasure_note"]);

    expect(findMarkerInSqliteFiles(t.location, marker)).toEqual([]);
    expect(fs.statSync(`${t.location}-wal`).size).toBe(0);
  });

  it("finds a deleted row's text without secure_delete, which is why the store turns it on", async () => {
    const database = await createTestDatabase("sqlite");
    const raw = new BetterSqlite3(database.location);
    try {
      raw.pragma("journal_mode = WAL");
      raw.pragma("secure_delete = OFF");
      raw.exec("create table note (id integer primary key, body text not null)");
      raw.prepare("insert into note (body) values (?)").run(`deleted ${marker}`);
      raw.exec("delete from note");
      raw.pragma("wal_checkpoint(TRUNCATE)");

      expect(findMarkerInSqliteFiles(database.location, marker)).not.toEqual([]);
    } finally {
      raw.close();
      await database.drop();
    }
  });
});
