import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTenantWithAdmin,
  createUserWithRoles,
  OPERATOR,
  type TenantFixture,
} from "../../test/directory-fixtures.js";
import { createTestContext, TEST_ENGINES, type TestContext } from "../../test/test-context.js";
import {
  deleteUser,
  getUser,
  getUserDocument,
  listUserDocuments,
  listUsers,
  type User,
} from "../directory/index.js";
import { GRAPH_USER_PROPERTIES, graphUserShape, toGraphUser } from "./graph-user.js";
import { pickSelected } from "./odata.js";

/**
 * The store writes Graph's user JSON for listings and lookups (graphUserShape); other routes build
 * it with toGraphUser. Both must give the same text for every kind of value.
 */
describe.each(TEST_ENGINES)("Graph's user written by the store on %s", (engine) => {
  let t: TestContext;
  let org: TenantFixture;
  let users: User[];

  const awkwardNames = [
    'Quote " and back\\slash',
    "Tab\tnew\nline\r and \u0001 control",
    "Ünïcödé 名前 😀 and \u2028 separator",
    "</script><b>markup</b> & 'apostrophes'",
  ];

  beforeAll(async () => {
    t = await createTestContext(engine);
    org = await createTenantWithAdmin(t);
    for (const [i, displayName] of awkwardNames.entries()) {
      await createUserWithRoles(t, org, `awkward${i}`, ["userAdministrator"], {
        displayName,
        mail: i % 2 === 0 ? `awkward${i}@mail.example` : null,
        accountEnabled: i !== 1,
      });
    }
    // Synced users (true, false) and an external id: states the services reach through sync.
    await t.db
      .updateTable("app_user")
      .set({ on_premises_sync_enabled: true, external_id: 'ext-"0"' })
      .where("tenant_id", "=", org.tenantId)
      .where("upn_key", "=", `awkward0@${org.domain}`)
      .execute();
    await t.db
      .updateTable("app_user")
      .set({ on_premises_sync_enabled: false })
      .where("tenant_id", "=", org.tenantId)
      .where("upn_key", "=", `awkward1@${org.domain}`)
      .execute();
    users = (await listUsers(t, OPERATOR, org.tenantId, { limit: 999 })).users;
  });
  afterAll(async () => {
    await t.close();
  });

  it("lists every user with exactly the text JSON.stringify writes for toGraphUser", async () => {
    const page = await listUserDocuments(
      t,
      OPERATOR,
      org.tenantId,
      { limit: 999 },
      graphUserShape(undefined),
    );
    expect(page.documents).toEqual(users.map((u) => JSON.stringify(toGraphUser(u))));
    expect(users.some((u) => u.onPremisesSyncEnabled === true)).toBe(true);
    expect(users.some((u) => u.onPremisesSyncEnabled === false)).toBe(true);
    expect(users.some((u) => u.onPremisesSyncEnabled === null)).toBe(true);
  });

  it("writes a $select as pickSelected does, with annotations first", async () => {
    const select = ["mail", "accountEnabled", "displayName"];
    const shape = graphUserShape(select, { "@odata.type": "#microsoft.graph.user" });
    const page = await listUserDocuments(t, OPERATOR, org.tenantId, { limit: 999 }, shape);
    expect(page.documents).toEqual(
      users.map((u) =>
        JSON.stringify({
          "@odata.type": "#microsoft.graph.user",
          ...pickSelected(toGraphUser(u), select),
        }),
      ),
    );
  });

  it("writes every single property alone, each as toGraphUser has it", async () => {
    const user = users.find((u) => u.externalId !== null);
    if (!user) throw new Error("fixture lacks a user with an external id");
    for (const property of GRAPH_USER_PROPERTIES) {
      const document = await getUserDocument(
        t,
        OPERATOR,
        org.tenantId,
        user.id,
        graphUserShape([property]),
      );
      expect(document).toBe(JSON.stringify(pickSelected(toGraphUser(user), [property])));
    }
  });

  it("finds a user by principal name in any case, and a deleted one only in the recycle bin", async () => {
    const user = users.find((u) => u.userPrincipalName.startsWith("awkward3"));
    if (!user) throw new Error("fixture lacks awkward3");
    const byUpn = await getUserDocument(
      t,
      OPERATOR,
      org.tenantId,
      user.userPrincipalName.toUpperCase(),
      graphUserShape(undefined),
    );
    expect(byUpn).toBe(JSON.stringify(toGraphUser(user)));

    await deleteUser(t, OPERATOR, org.tenantId, user.id);
    const deleted = await getUser(t, OPERATOR, org.tenantId, user.id, "deleted");
    await expect(
      getUserDocument(t, OPERATOR, org.tenantId, user.id, graphUserShape(undefined)),
    ).rejects.toMatchObject({ code: "USER_NOT_FOUND" });
    const fromBin = await getUserDocument(
      t,
      OPERATOR,
      org.tenantId,
      user.id,
      graphUserShape(undefined),
      "deleted",
    );
    expect(fromBin).toBe(JSON.stringify(toGraphUser(deleted)));
    expect(JSON.parse(fromBin).deletedDateTime).toBe(deleted.deletedDateTime?.toISOString());
  });
});
