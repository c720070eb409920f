import { type Kysely, sql } from "kysely";
import { type Engine, type JsonProperty, jsonObjectText } from "../engine.js";

/**
 * Each user's Graph document, kept in `app_user.document` by triggers on both engines, so that a
 * page of users is read rather than built: building the JSON was most of the database's work per
 * row (PostgreSQL's `to_json` about 1.3 µs a row, SQLite's `json_object` about 0.6 µs).
 *
 * The properties are frozen here, as this migration's triggers write them. They are Graph's user
 * as `toGraphUser` (http/graph-user.ts) gives it; the store reads the column only for a shape that
 * is exactly this one, after any fixed leading properties (`user-document.repository.ts`), and
 * builds the JSON per row for every other shape. A change to Graph's user needs a new migration
 * that replaces the triggers and rewrites the column; graph-user.test.ts fails until there is one.
 */
export const STORED_USER_DOCUMENT: readonly JsonProperty[] = [
  { name: "id", source: { column: "id", type: "text" } },
  { name: "businessPhones", source: { json: "[]" } },
  { name: "displayName", source: { column: "display_name", type: "text" } },
  { name: "givenName", source: { json: "null" } },
  { name: "jobTitle", source: { json: "null" } },
  { name: "mail", source: { column: "mail", type: "text" } },
  { name: "mobilePhone", source: { json: "null" } },
  { name: "officeLocation", source: { json: "null" } },
  { name: "preferredLanguage", source: { json: "null" } },
  { name: "surname", source: { json: "null" } },
  { name: "userPrincipalName", source: { column: "user_principal_name", type: "text" } },
  { name: "accountEnabled", source: { column: "account_enabled", type: "boolean" } },
  { name: "mailNickname", source: { column: "mail_nickname", type: "text" } },
  { name: "externalId", source: { column: "external_id", type: "text" } },
  {
    name: "onPremisesSyncEnabled",
    source: { column: "on_premises_sync_enabled", type: "boolean" },
  },
  { name: "createdDateTime", source: { column: "created_at", type: "text" } },
  { name: "deletedDateTime", source: { column: "deleted_at", type: "text" } },
];

/** The columns the document is made of: only updates of these write it again. */
const SOURCE_COLUMNS = STORED_USER_DOCUMENT.flatMap(({ source }) =>
  "column" in source ? [source.column] : [],
);

export function userDocumentMigration(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("app_user").addColumn("document", "text").execute();
      const columns = sql.join(SOURCE_COLUMNS.map((column) => sql.ref(column)));
      const document = jsonObjectText(engine, STORED_USER_DOCUMENT, { inline: true });
      if (engine === "sqlite") {
        // SQLite's triggers cannot change the row being written; they write it again, by rowid.
        // The second write does not fire them again (recursive triggers are off, and `document`
        // is not one of the columns they watch).
        await sql`create trigger app_user_document_insert after insert on app_user
          begin update app_user set document = ${document} where rowid = new.rowid; end`.execute(
          db,
        );
        await sql`create trigger app_user_document_update after update of ${columns} on app_user
          begin update app_user set document = ${document} where rowid = new.rowid; end`.execute(
          db,
        );
      } else {
        const fromNewRow = STORED_USER_DOCUMENT.map(({ name, source }) => ({
          name,
          source: "column" in source ? { ...source, column: `new.${source.column}` } : source,
        }));
        const newDocument = jsonObjectText(engine, fromNewRow, { inline: true });
        await sql`create function app_user_document() returns trigger language plpgsql as $body$
          begin new.document := ${newDocument}; return new; end $body$`.execute(db);
        await sql`create trigger app_user_document before insert or update of ${columns}
          on app_user for each row execute function app_user_document()`.execute(db);
      }
      await sql`update app_user set document = ${document}`.execute(db);
    },
  };
}
