import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../test/test-context.js";
import { FifoLock } from "./fifo-sqlite-dialect.js";

describe("FifoLock", () => {
  it("serves waiters in arrival order and lets no newcomer overtake them", async () => {
    const lock = new FifoLock();
    const order: string[] = [];
    await lock.acquire();
    const waiters = ["a", "b", "c"].map((name) =>
      lock.acquire().then(() => {
        order.push(name);
        lock.release();
      }),
    );
    expect(lock.waiting).toBe(3);
    lock.release();
    // Arrives after the release but before the waiters ran: it must queue behind them.
    const late = lock.acquire().then(() => {
      order.push("late");
      lock.release();
    });
    await Promise.all([...waiters, late]);
    expect(order).toEqual(["a", "b", "c", "late"]);
    expect(lock.waiting).toBe(0);
  });

  it("is free again once the last holder releases", async () => {
    const lock = new FifoLock();
    await lock.acquire();
    lock.release();
    let acquired = false;
    void lock.acquire().then(() => {
      acquired = true;
    });
    await Promise.resolve();
    expect(acquired).toBe(true);
  });
});

describe("the SQLite store under concurrent use", () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext("sqlite");
  });
  afterAll(async () => {
    await t.close();
  });

  it("runs queries in the order they were issued, around a transaction that holds the connection", async () => {
    await sql`create table fifo_probe (n integer not null)`.execute(t.db);
    const issued: Promise<unknown>[] = [];
    issued.push(
      t.db.transaction().execute(async (trx) => {
        await sql`insert into fifo_probe (n) values (0)`.execute(trx);
        await new Promise((resolve) => setTimeout(resolve, 20));
        await sql`insert into fifo_probe (n) values (1)`.execute(trx);
      }),
    );
    for (let n = 2; n < 40; n++)
      issued.push(sql`insert into fifo_probe (n) values (${n})`.execute(t.db));
    await Promise.all(issued);
    const rows = await sql<{ n: number }>`select n from fifo_probe order by rowid`.execute(t.db);
    expect(rows.rows.map((r) => r.n)).toEqual(Array.from({ length: 40 }, (_, n) => n));
  });

  it("begins transactions with the write lock, so another process waits for it instead of failing later", async () => {
    const other = new BetterSqlite3(t.store.location, { timeout: 0 });
    try {
      await t.db.transaction().execute(async (trx) => {
        // Only a read so far: with a plain BEGIN another writer could still start here.
        await sql`select count(*) from fifo_probe`.execute(trx);
        expect(() => other.exec("begin immediate")).toThrow(/locked|busy/i);
      });
      other.exec("begin immediate");
      other.exec("rollback");
    } finally {
      other.close();
    }
  });
});
