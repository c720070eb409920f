import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenantRow } from "../../../test/directory-fixtures.js";
import { createTestDatabase, TEST_ENGINES, type TestDatabase } from "../../../test/test-context.js";
import { migrateToLatest, migrateUpTo } from "../migrate.js";
import { openStore, type Store } from "../open-store.js";

/** Users a database already holds get their document when it is upgraded. */
describe.each(TEST_ENGINES)("migration 0009-user-document on %s", (engine) => {
  let database: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    store = openStore(database.storeOptions);
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it("writes the document of every user already there, as JSON.stringify would", async () => {
    await migrateUpTo(store.db, engine, "0008-closure");
    const now = "2026-03-04T05:06:07.089Z";
    await store.db.insertInto("tenant").values(tenantRow("t-upgrade")).execute();
    const user = (n: number, displayName: string) => ({
      tenant_id: "t-upgrade",
      id: `u${n}`,
      user_principal_name: `u${n}@upgrade.example`,
      upn_key: `u${n}@upgrade.example`,
      display_name: displayName,
      mail: n === 1 ? null : `u${n}@mail.example`,
      mail_nickname: `u${n}`,
      account_enabled: n === 1,
      password_hash: null,
      force_change_password: false,
      external_id: n === 2 ? 'ext "2"' : null,
      on_premises_sync_enabled: n === 2 ? true : null,
      per_user_mfa_state: "disabled",
      created_at: now,
      updated_at: now,
      deleted_at: n === 2 ? now : null,
    });
    // Written as 0008 knew the table: without the document column.
    await store.db
      .insertInto("app_user")
      .values([user(1, "Plain"), user(2, 'Quoted "name" \\ 😀\n')])
      .execute();

    expect((await migrateToLatest(store.db, engine)).applied).toContain("0009-user-document");

    const rows = await store.db
      .selectFrom("app_user")
      .select(["id", "deleted_at", "document_head"])
      .where("tenant_id", "=", "t-upgrade")
      .orderBy("id")
      .execute();
    const graphUser = (u: ReturnType<typeof user>) => ({
      id: u.id,
      businessPhones: [],
      displayName: u.display_name,
      givenName: null,
      jobTitle: null,
      mail: u.mail,
      mobilePhone: null,
      officeLocation: null,
      preferredLanguage: null,
      surname: null,
      userPrincipalName: u.user_principal_name,
      accountEnabled: u.account_enabled,
      mailNickname: u.mail_nickname,
      externalId: u.external_id,
      onPremisesSyncEnabled: u.on_premises_sync_enabled,
      createdDateTime: u.created_at,
      deletedDateTime: u.deleted_at,
    });
    // The head is the document up to deletedDateTime, which readers append with the brace.
    const documents = rows.map(
      (row) => `${row.document_head},"deletedDateTime":${JSON.stringify(row.deleted_at)}}`,
    );
    expect(documents).toEqual([
      JSON.stringify(graphUser(user(1, "Plain"))),
      JSON.stringify(graphUser(user(2, 'Quoted "name" \\ 😀\n'))),
    ]);
  });

  it("refuses a migration name it does not know", async () => {
    await expect(migrateUpTo(store.db, engine, "0099-unknown")).rejects.toThrow(
      "No migration is named 0099-unknown.",
    );
  });
});
