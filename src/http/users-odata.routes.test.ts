import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_ENGINES } from "../../test/test-context.js";
import {
  EVENTUAL,
  expectBadRequest,
  ODATA_ALIASES,
  type ODataDirectory,
  openODataDirectory,
} from "../../test/user-odata-fixtures.js";
import { GRAPH_USER_PROPERTIES } from "./graph-user.js";

/** Issue 4: $select, $orderby, paging and $count on users. */
describe.each(TEST_ENGINES)(
  "OData $select, $orderby, paging and $count on /v1.0/users on %s",
  (engine) => {
    let d: ODataDirectory;
    const ALL: string[] = [...ODATA_ALIASES];

    beforeAll(async () => {
      d = await openODataDirectory(engine);
    });
    afterAll(async () => {
      await d.close();
    });

    describe("$select", () => {
      it("returns only the selected properties, always with id", async () => {
        const res = await d.get("/v1.0/users", { $select: "mail,DISPLAYNAME", $top: "3" });
        const body = res.json();
        expect(body["@odata.context"]).toBe(
          "http://localhost:80/v1.0/$metadata#users(mail,displayName)",
        );
        for (const user of body.value)
          expect(Object.keys(user)).toEqual(["id", "displayName", "mail"]);
      });

      it("can name every property a user has, and then returns them all", async () => {
        const full = (await d.get("/v1.0/me")).json();
        const { "@odata.context": _context, ...properties } = full;
        const selected = (
          await d.get("/v1.0/me", { $select: GRAPH_USER_PROPERTIES.join(",") })
        ).json();
        expect(Object.keys(GRAPH_USER_PROPERTIES)).toHaveLength(Object.keys(properties).length);
        expect(selected).toMatchObject(properties);
      });

      it("applies to a single user, by id and by UPN", async () => {
        const byId = (
          await d.get(`/v1.0/users/${d.ids.get("adele")}`, { $select: "accountEnabled" })
        ).json();
        expect(byId).toEqual({
          "@odata.context": "http://localhost:80/v1.0/$metadata#users(accountEnabled)/$entity",
          id: d.ids.get("adele"),
          accountEnabled: true,
        });
        const byUpn = (await d.get(`/v1.0/users/adele@${d.org.domain}`, { $select: "id" })).json();
        expect(Object.keys(byUpn)).toEqual(["@odata.context", "id"]);
      });

      it("applies to /me", async () => {
        const me = (await d.get("/v1.0/me", { $select: "userPrincipalName" })).json();
        expect(me).toMatchObject({
          id: d.org.admin.id,
          userPrincipalName: `admin@${d.org.domain}`,
        });
        expect(Object.keys(me)).toEqual(["@odata.context", "id", "userPrincipalName"]);
      });

      it("refuses an unknown property, and list-only options, on a single user", async () => {
        expectBadRequest(await d.get("/v1.0/me", { $select: "shoeSize" }), "ODATA_QUERY_INVALID");
        expectBadRequest(
          await d.get(`/v1.0/users/${d.ids.get("adele")}`, { $top: "1" }),
          "ODATA_QUERY_INVALID",
        );
      });
    });

    describe("$orderby and paging", () => {
      async function collect(query: Record<string, string>): Promise<string[]> {
        const seen: string[] = [];
        let res = await d.get("/v1.0/users", query);
        for (let page = 0; page < 20; page++) {
          expect(res.statusCode).toBe(200);
          const body = res.json();
          seen.push(...body.value.map((u: { id: string }) => u.id));
          if (!body["@odata.nextLink"]) return seen;
          res = await d.follow(body["@odata.nextLink"]);
        }
        throw new Error("paging did not end");
      }

      it.each(["displayName", "userPrincipalName"])(
        "pages by %s ascending and descending, two at a time, with no duplicate or gap",
        async (property) => {
          const ascending = await collect({ $orderby: `${property} asc`, $top: "999" });
          expect(ascending).toHaveLength(ALL.length);
          expect(await collect({ $orderby: property, $top: "2" })).toEqual(ascending);
          expect(await collect({ $orderby: `${property} desc`, $top: "3" })).toEqual(
            [...ascending].reverse(),
          );
        },
      );

      it("orders by display name as the user sees it", async () => {
        const res = (
          await d.get("/v1.0/users", { $orderby: "displayName", $select: "displayName" })
        ).json();
        const names = res.value.map((u: { displayName: string }) => u.displayName);
        expect(names.slice(0, 3)).toEqual(["100% Real", "Adele Vance", "Alex Wilber"]);
      });

      it("combines $filter with $orderby across pages", async () => {
        const ordered = await collect({
          $filter: "accountEnabled eq true",
          $orderby: "displayName desc",
          $top: "2",
        });
        const byId = new Map([...d.ids].map(([alias, id]) => [id, alias]));
        expect(ordered.map((id) => byId.get(id))).toEqual([
          "was.synced",
          "synced",
          "megan",
          "admin",
          "alex",
          "adele",
          "percent",
        ]);
      });

      it("writes an absolute nextLink on the request's own host with $top and a literal $", async () => {
        const res = await d.get("/v1.0/users", { $top: "2" }, { host: "admin.tenantry.test:8443" });
        expect(res.json()["@odata.nextLink"]).toMatch(
          /^http:\/\/admin\.tenantry\.test:8443\/v1\.0\/users\?\$top=2&\$skiptoken=[\w-]+$/,
        );
      });

      it("refuses a $skiptoken with another $filter or $orderby, and accepts the same again", async () => {
        const filter = "accountEnabled eq true";
        const first = (
          await d.get("/v1.0/users", { $filter: filter, $orderby: "displayName", $top: "2" })
        ).json();
        const token = new URL(first["@odata.nextLink"]).searchParams.get("$skiptoken") ?? "";
        expectBadRequest(
          await d.get("/v1.0/users", { $skiptoken: token, $filter: "accountEnabled eq false" }),
          "ODATA_QUERY_INVALID",
        );
        expectBadRequest(
          await d.get("/v1.0/users", { $skiptoken: token, $orderby: "displayName desc" }),
          "ODATA_QUERY_INVALID",
        );
        const same = await d.get("/v1.0/users", {
          $skiptoken: token,
          $filter: filter,
          $orderby: "displayName asc",
          $top: "2",
        });
        expect(same.statusCode).toBe(200);
      });
    });

    describe("$count", () => {
      it("adds @odata.count with ConsistencyLevel: eventual", async () => {
        const body = (await d.get("/v1.0/users", { $count: "true", $top: "2" }, EVENTUAL)).json();
        expect(body["@odata.count"]).toBe(ALL.length);
        expect(body.value).toHaveLength(2);
      });

      it("counts the filtered users, not the page", async () => {
        const body = (
          await d.get("/v1.0/users", { $count: "true", $filter: "mail eq null" }, EVENTUAL)
        ).json();
        expect(body["@odata.count"]).toBe(5);
      });

      it("$count=false needs no header and adds no count", async () => {
        const body = (await d.get("/v1.0/users", { $count: "false" })).json();
        expect(body).not.toHaveProperty("@odata.count");
      });

      it("a nextLink followed twice keeps $filter, $select and $count and never fails, with or without the header", async () => {
        const filter = "accountEnabled eq true and mail eq null";
        const first = await d.get(
          "/v1.0/users",
          { $filter: filter, $select: "displayName", $count: "true", $top: "2" },
          EVENTUAL,
        );
        const pages = [first.json()];
        const second = await d.follow(pages[0]["@odata.nextLink"]);
        expect(second.statusCode).toBe(200);
        pages.push(second.json());
        const third = await d.follow(pages[1]["@odata.nextLink"], EVENTUAL);
        expect(third.statusCode).toBe(200);
        pages.push(third.json());
        expect(pages[2]).not.toHaveProperty("@odata.nextLink");
        for (const page of pages) {
          expect(page["@odata.count"]).toBe(5);
          for (const user of page.value) expect(Object.keys(user)).toEqual(["id", "displayName"]);
        }
        expect(pages[0]["@odata.nextLink"]).toContain(
          "$select=displayName&$count=true&$skiptoken=",
        );
        const names = pages.flatMap((p) =>
          p.value.map((u: { displayName: string }) => u.displayName),
        );
        expect(names.sort()).toEqual([
          "100% Real",
          "Alex Wilber",
          "Megan O'Brien",
          "Synced One",
          "Was Synced",
        ]);
      });

      it("/users/$count answers the number as plain text", async () => {
        const res = await d.get("/v1.0/users/$count", {}, EVENTUAL);
        expect(res.statusCode).toBe(200);
        expect(res.headers["content-type"]).toMatch(/^text\/plain/);
        expect(res.body).toBe(String(ALL.length));
      });

      it("/users/$count takes a $filter, and also answers as /users/%24count", async () => {
        const res = await d.get(
          "/v1.0/users/$count",
          { $filter: "startswith(displayName,'a')" },
          EVENTUAL,
        );
        expect(res.body).toBe("3");
        const encoded = await d.get(
          "/v1.0/users/%24count",
          { $filter: "accountEnabled eq false" },
          EVENTUAL,
        );
        expect(encoded.body).toBe("1");
      });

      it("/users/$count without ConsistencyLevel is 400, as in Graph", async () => {
        expectBadRequest(await d.get("/v1.0/users/$count"), "ODATA_CONSISTENCY_LEVEL_REQUIRED");
      });

      it("/users/$count refuses a malformed filter and list options", async () => {
        expectBadRequest(
          await d.get("/v1.0/users/$count", { $filter: "mail eq" }, EVENTUAL),
          "ODATA_FILTER_INVALID",
        );
        expectBadRequest(
          await d.get("/v1.0/users/$count", { $top: "1" }, EVENTUAL),
          "ODATA_QUERY_INVALID",
        );
      });
    });
  },
);
