import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { pino } from "pino";
import { createSecretBox } from "../src/security/secret-box.js";
import type { AppContext } from "../src/shared/app-context.js";
import { type Clock, ManualClock } from "../src/shared/clock.js";
import { type Config, loadConfig } from "../src/shared/config.js";
import type { Engine } from "../src/store/engine.js";
import { migrateToLatest } from "../src/store/migrate.js";
import { openStore, type Store } from "../src/store/open-store.js";

/**
 * Engines under test: `TENANTRY_TEST_ENGINES=sqlite,postgres` (the default runs both). Storage
 * tests loop over these; a PostgreSQL that cannot be reached fails them, never skips them.
 */
export const TEST_ENGINES: Engine[] = (process.env.TENANTRY_TEST_ENGINES ?? "sqlite,postgres")
  .split(",")
  .map((e) => e.trim())
  .filter((e): e is Engine => e === "sqlite" || e === "postgres");

/** Server (not database) to create throw-away databases on. */
export const TEST_PG_URL =
  process.env.TENANTRY_TEST_PG_URL ?? "postgres://root@127.0.0.1:5432/postgres";

export interface TestContext extends AppContext {
  readonly clock: ManualClock;
  readonly store: Store;
  /** Connection string of this test's own database (PostgreSQL) or SQLite file. */
  readonly location: string;
  close(): Promise<void>;
}

export interface TestContextOptions {
  clock?: ManualClock;
  config?: Partial<Config>;
}

/** A fresh, migrated database of its own (a new PostgreSQL database or SQLite file). */
export async function createTestContext(
  engine: Engine,
  options: TestContextOptions = {},
): Promise<TestContext> {
  const database = await createTestDatabase(engine);
  const store = openStore(database.storeOptions);
  await migrateToLatest(store.db, store.engine);
  const clock = options.clock ?? new ManualClock();
  const config: Config = {
    ...loadConfig({ TENANTRY_HASH_COST: "low" }),
    dataDir: database.dataDir,
    ...options.config,
  };
  return {
    db: store.db,
    engine: store.engine,
    store,
    clock,
    config,
    secrets: createSecretBox(crypto.randomBytes(32)),
    log: pino({ level: "silent" }),
    location: database.location,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

export interface TestDatabase {
  engine: Engine;
  location: string;
  dataDir: string;
  storeOptions: { databaseUrl?: string; sqliteFile?: string; dataDir: string };
  drop(): Promise<void>;
}

/** Creates an empty database that only this test uses; `drop()` removes it. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tenantry-test-"));
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (engine === "sqlite") {
    const sqliteFile = path.join(dataDir, "tenantry.db");
    return {
      engine,
      location: sqliteFile,
      dataDir,
      storeOptions: { sqliteFile, dataDir },
      drop: async () => removeDir(),
    };
  }
  const name = `tenantry_test_${crypto.randomBytes(6).toString("hex")}`;
  await withAdminClient((client) => client.query(`create database ${name}`));
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    engine,
    location: url.toString(),
    dataDir,
    storeOptions: { databaseUrl: url.toString(), dataDir },
    drop: async () => {
      await withAdminClient((client) =>
        client.query(`drop database if exists ${name} with (force)`),
      );
      removeDir();
    },
  };
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export type { Clock };
