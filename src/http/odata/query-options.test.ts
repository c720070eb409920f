import { describe, expect, it } from "vitest";
import { type AppError, isAppError } from "../../shared/app-error.js";
import {
  parseCount,
  parseOrderBy,
  parseSelect,
  parseTop,
  type QueryOption,
  readQueryOptions,
} from "./query-options.js";

const LIST: QueryOption[] = ["top", "skiptoken", "filter", "select", "orderby", "count"];

function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("reading OData query options", () => {
  it("reads $-options case-insensitively and Graph's dollar-less aliases", () => {
    expect(
      readQueryOptions({ $Filter: "f", $TOP: "5", select: "id", orderby: "displayName" }, LIST),
    ).toEqual({ filter: "f", top: "5", select: "id", orderby: "displayName" });
  });

  it("ignores parameters that are not OData's, including aliases in other cases", () => {
    expect(readQueryOptions({ foo: "bar", "api-version": "1", Filter: "x" }, LIST)).toEqual({});
  });

  it.each([
    [{ $foo: "1" }, "$foo", "not a query option OData knows"],
    [{ $expand: "manager" }, "$expand", "not supported on this resource"],
    [{ search: "x" }, "$search", "not supported on this resource"],
    [{ $top: "1", top: "2" }, "$top", "more than once"],
    [{ $top: "1", $Top: "2" }, "$top", "more than once"],
    [{ $top: ["1", "2"] }, "$top", "more than once"],
  ])("refuses %j", (query, field, message) => {
    const error = failure(() => readQueryOptions(query, LIST));
    expect(error).toMatchObject({ kind: "Invalid", code: "ODATA_QUERY_INVALID" });
    expect(error.details.field).toBe(field);
    expect(error.message).toContain(message);
  });

  it("refuses an option the resource does not support, naming those it does", () => {
    const error = failure(() => readQueryOptions({ $top: "1" }, ["select"]));
    expect(error.message).toContain("supported: $select");
  });
});

describe("$top", () => {
  it("defaults, and accepts 1 to the maximum", () => {
    expect(parseTop(undefined, 100, 999)).toBe(100);
    expect(parseTop("1", 100, 999)).toBe(1);
    expect(parseTop("999", 100, 999)).toBe(999);
    expect(parseTop("007", 100, 999)).toBe(7);
  });

  it.each(["0", "1000", "-1", "1.5", "abc", "", "1e2", "99999999999999999999"])(
    "refuses %j",
    (value) => {
      expect(failure(() => parseTop(value, 100, 999))).toMatchObject({
        code: "ODATA_QUERY_INVALID",
        details: { field: "$top" },
      });
    },
  );
});

describe("$select", () => {
  const properties = ["id", "displayName", "mail"];

  it("returns the resource's spelling without duplicates", () => {
    expect(parseSelect("DISPLAYNAME, mail,displayName", properties)).toEqual([
      "displayName",
      "mail",
    ]);
    expect(parseSelect(undefined, properties)).toBeUndefined();
  });

  it.each(["jobTitles", "", "displayName,", "displayName,,mail", "*"])("refuses %j", (value) => {
    expect(failure(() => parseSelect(value, properties))).toMatchObject({
      code: "ODATA_QUERY_INVALID",
      details: { field: "$select" },
    });
  });
});

describe("$orderby", () => {
  const sortable = ["displayName", "userPrincipalName"] as const;

  it.each([
    ["displayName", { property: "displayName", direction: "asc" }],
    ["displayName asc", { property: "displayName", direction: "asc" }],
    ["userPrincipalName DESC", { property: "userPrincipalName", direction: "desc" }],
    [" displayname  desc ", { property: "displayName", direction: "desc" }],
  ])("reads %j", (value, expected) => {
    expect(parseOrderBy(value, sortable)).toEqual(expected);
  });

  it.each(["mail", "displayName up", "displayName,userPrincipalName", "", "displayName asc desc"])(
    "refuses %j",
    (value) => {
      expect(failure(() => parseOrderBy(value, sortable))).toMatchObject({
        code: "ODATA_QUERY_INVALID",
        details: { field: "$orderby" },
      });
    },
  );
});

describe("$count", () => {
  it("reads true and false in any case", () => {
    expect(parseCount("true")).toBe(true);
    expect(parseCount("TRUE")).toBe(true);
    expect(parseCount("false")).toBe(false);
    expect(parseCount(undefined)).toBe(false);
  });

  it("refuses anything else", () => {
    expect(failure(() => parseCount("yes"))).toMatchObject({ code: "ODATA_QUERY_INVALID" });
  });
});
