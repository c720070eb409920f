import { type Kysely, type Migration, type MigrationResultSet, Migrator } from "kysely";
import type { Database } from "./database.js";
import type { Engine } from "./engine.js";
import { directoryMigration } from "./migrations/0001-directory.js";
import { auditMigration } from "./migrations/0002-audit.js";
import { schedulerMigration } from "./migrations/0003-scheduler.js";
import { securityMigration } from "./migrations/0004-security.js";
import { commerceMigration } from "./migrations/0005-commerce.js";
import { catalogMigration } from "./migrations/0006-catalog.js";
import { contentMigration } from "./migrations/0007-content.js";
import { closureMigration } from "./migrations/0008-closure.js";
import { userDocumentMigration } from "./migrations/0009-user-document.js";

/** Migrations live in the code (not read from disk), so the built CLI carries them. Append only. */
function migrations(engine: Engine): Record<string, Migration> {
  return {
    "0001-directory": directoryMigration(engine),
    "0002-audit": auditMigration(engine),
    "0003-scheduler": schedulerMigration(engine),
    "0004-security": securityMigration(engine),
    "0005-commerce": commerceMigration(engine),
    "0006-catalog": catalogMigration(engine),
    "0007-content": contentMigration(engine),
    "0008-closure": closureMigration(engine),
    "0009-user-document": userDocumentMigration(engine),
  };
}

export interface MigrateResult {
  applied: string[];
}

/** Brings the schema up to date; safe to run from several processes (Kysely takes a lock). */
export async function migrateToLatest(
  db: Kysely<Database>,
  engine: Engine,
): Promise<MigrateResult> {
  return migrate(db, engine, (migrator) => migrator.migrateToLatest());
}

/**
 * Brings the schema up to the named migration and no further: a database as an older release
 * left it, for tests of a migration against the data it finds.
 */
export async function migrateUpTo(
  db: Kysely<Database>,
  engine: Engine,
  name: string,
): Promise<MigrateResult> {
  if (!(name in migrations(engine))) throw new Error(`No migration is named ${name}.`);
  return migrate(db, engine, (migrator) => migrator.migrateTo(name));
}

async function migrate(
  db: Kysely<Database>,
  engine: Engine,
  run: (migrator: Migrator) => Promise<MigrationResultSet>,
): Promise<MigrateResult> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(engine) },
    migrationTableName: "schema_migration",
    migrationLockTableName: "schema_migration_lock",
  });
  const { error, results } = await run(migrator);
  if (error) throw error;
  return { applied: appliedNames(results) };
}

function appliedNames(results: MigrationResultSet["results"]): string[] {
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
