import { type Kysely, sql } from "kysely";
import { type Engine, type JsonProperty, jsonObjectHeadText } from "../engine.js";

/**
 * Each user's Graph document, kept in `app_user.document_head` by triggers on both engines, so
 * that a page of users is read rather than built: building the JSON was most of the database's
 * work per row (PostgreSQL's `to_json` about 1.3 µs a row, SQLite's `json_object` about 0.6 µs).
 *
 * The column holds the object up to its last property, `deletedDateTime`, without the closing
 * brace; the reader appends that property (`null` for a live user). A soft delete or a restore,
 * which changes only that property, then leaves the column alone: deleting 100,000 users in a
 * closure writes each row once, not twice.
 *
 * The properties are frozen here, as this migration's triggers write them. They are Graph's user
 * as `toGraphUser` (http/graph-user.ts) gives it; the store reads the column only for a shape that
 * is exactly this one plus `deletedDateTime`, after any fixed leading properties
 * (`user-document.repository.ts`), and builds the JSON per row for every other shape. A change to
 * Graph's user needs a new migration that replaces the triggers and rewrites the column;
 * graph-user.test.ts fails until there is one.
 */
export const STORED_USER_DOCUMENT_HEAD: readonly JsonProperty[] = [
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
];

/** The columns the head is made of: only updates of these write it again. */
const SOURCE_COLUMNS = STORED_USER_DOCUMENT_HEAD.flatMap(({ source }) =>
  "column" in source ? [source.column] : [],
);

export function userDocumentMigration(engine: Engine) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("app_user").addColumn("document_head", "text").execute();
      const columns = sql.join(SOURCE_COLUMNS.map((column) => sql.ref(column)));
      const head = jsonObjectHeadText(engine, STORED_USER_DOCUMENT_HEAD, { inline: true });
      if (engine === "sqlite") {
        // SQLite's triggers cannot change the row being written; they write it again, by rowid.
        // The second write does not fire them again (recursive triggers are off, and
        // `document_head` is not one of the columns they watch).
        const write = sql`update app_user set document_head = ${head} where rowid = new.rowid;`;
        await sql`create trigger app_user_document_insert after insert on app_user
          begin ${write} end`.execute(db);
        await sql`create trigger app_user_document_update after update of ${columns} on app_user
          begin ${write} end`.execute(db);
      } else {
        const fromNewRow = STORED_USER_DOCUMENT_HEAD.map(({ name, source }) => ({
          name,
          source: "column" in source ? { ...source, column: `new.${source.column}` } : source,
        }));
        const newHead = jsonObjectHeadText(engine, fromNewRow, { inline: true });
        await sql`create function app_user_document() returns trigger language plpgsql as $body$
          begin new.document_head := ${newHead}; return new; end $body$`.execute(db);
        await sql`create trigger app_user_document before insert or update of ${columns}
          on app_user for each row execute function app_user_document()`.execute(db);
      }
      await sql`update app_user set document_head = ${head}`.execute(db);
    },
  };
}
