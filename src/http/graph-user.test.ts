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
  restoreUser,
  type User,
  updateUser,
} from "../directory/index.js";
import { storedDocumentLead } from "../directory/user-document.repository.js";
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

  it("serves Graph's whole user from the document the store keeps, and every $select by building it", () => {
    // A change to toGraphUser without a migration that rewrites the stored document fails here.
    expect(storedDocumentLead(graphUserShape(undefined))).toBe("");
    expect(
      storedDocumentLead(graphUserShape(undefined, { "@odata.type": "#microsoft.graph.user" })),
    ).toBe('"@odata.type":"#microsoft.graph.user"');
    expect(storedDocumentLead(graphUserShape(["displayName"]))).toBeUndefined();
  });

  it("reads the stored document, not the columns, for Graph's whole user", async () => {
    const user = users.find((u) => u.userPrincipalName.startsWith("awkward2"));
    if (!user) throw new Error("fixture lacks awkward2");
    const marker = `{"id":${JSON.stringify(user.id)},"marker":"read from app_user.document_head"`;
    await t.db
      .updateTable("app_user")
      .set({ document_head: marker })
      .where("tenant_id", "=", org.tenantId)
      .where("id", "=", user.id)
      .execute();
    try {
      const shape = graphUserShape(undefined);
      expect(await getUserDocument(t, OPERATOR, org.tenantId, user.id, shape)).toBe(
        `${marker},"deletedDateTime":null}`,
      );
      const typed = graphUserShape(undefined, { "@odata.type": "#microsoft.graph.user" });
      const page = await listUserDocuments(t, OPERATOR, org.tenantId, { limit: 999 }, typed);
      expect(page.documents).toContain(
        `{"@odata.type":"#microsoft.graph.user",${marker.slice(1)},"deletedDateTime":null}`,
      );
    } finally {
      // Any write to a column of the document writes it again.
      await updateUser(t, OPERATOR, org.tenantId, user.id, { displayName: user.displayName });
    }
    expect(
      await getUserDocument(t, OPERATOR, org.tenantId, user.id, graphUserShape(undefined)),
    ).toBe(JSON.stringify(toGraphUser(user)));
  });

  it("keeps the stored document equal to toGraphUser through every kind of change", async () => {
    const created = await createUserWithRoles(t, org, "changing", [], { mail: null });
    const expectStoredMatches = async (id: string, bin: "live" | "deleted" = "live") => {
      const user = await getUser(t, OPERATOR, org.tenantId, id, bin);
      const document = await getUserDocument(
        t,
        OPERATOR,
        org.tenantId,
        id,
        graphUserShape(undefined),
        bin,
      );
      expect(document).toBe(JSON.stringify(toGraphUser(user)));
      return user;
    };
    const id = created.user.id;
    await expectStoredMatches(id);
    await updateUser(t, OPERATOR, org.tenantId, id, {
      displayName: 'Renamed "user" \\ 😀',
      userPrincipalName: `renamed@${org.domain}`,
      mail: "renamed@mail.example",
      mailNickname: "renamed",
      accountEnabled: false,
      externalId: "ext-renamed",
    });
    const renamed = await expectStoredMatches(id);
    expect(renamed).toMatchObject({ displayName: 'Renamed "user" \\ 😀', accountEnabled: false });
    await updateUser(t, OPERATOR, org.tenantId, id, { mail: null, externalId: null });
    await expectStoredMatches(id);
    await t.db
      .updateTable("app_user")
      .set({ on_premises_sync_enabled: true })
      .where("tenant_id", "=", org.tenantId)
      .where("id", "=", id)
      .execute();
    expect((await expectStoredMatches(id)).onPremisesSyncEnabled).toBe(true);
    await deleteUser(t, OPERATOR, org.tenantId, id);
    expect((await expectStoredMatches(id, "deleted")).deletedDateTime).not.toBeNull();
    await restoreUser(t, OPERATOR, org.tenantId, id);
    expect((await expectStoredMatches(id)).deletedDateTime).toBeNull();
  });
});
