import { describe, expect, it } from "vitest";
import { type AppError, isAppError } from "../shared/app-error.js";
import { type FilterExpression, toUserFilter, type UserFilter } from "./user-filter.js";

const compare = (
  property: string,
  value: string | boolean | null,
  operator: "eq" | "ne" = "eq",
): FilterExpression => ({ kind: "compare", operator, property, value });

function refusal(expression: FilterExpression): AppError {
  try {
    toUserFilter(expression);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error("expected the filter to be refused");
}

describe("checking a filter against the user's properties", () => {
  it.each<[string, FilterExpression, UserFilter]>([
    [
      "a string property compared with a string, in Graph's spelling whatever the case written",
      compare("DISPLAYNAME", "Adele"),
      { kind: "compare", operator: "eq", property: "displayName", value: "Adele" },
    ],
    [
      "a boolean compared with true or false",
      compare("accountEnabled", false, "ne"),
      { kind: "compare", operator: "ne", property: "accountEnabled", value: false },
    ],
    [
      "mail compared with null",
      compare("mail", null),
      { kind: "isNull", negated: false, property: "mail" },
    ],
    [
      "onPremisesSyncEnabled ne null",
      compare("onPremisesSyncEnabled", null, "ne"),
      { kind: "isNull", negated: true, property: "onPremisesSyncEnabled" },
    ],
    [
      "startswith on the principal name",
      { kind: "startsWith", property: "userPrincipalName", value: "ad" },
      { kind: "startsWith", property: "userPrincipalName", value: "ad" },
    ],
    [
      "in on ids",
      { kind: "in", property: "id", values: ["a", "b"] },
      { kind: "in", property: "id", values: ["a", "b"] },
    ],
    [
      "and, or and not, recursively",
      {
        kind: "or",
        operands: [{ kind: "not", operand: compare("mail", null) }, compare("id", "x")],
      },
      {
        kind: "or",
        operands: [
          { kind: "not", operand: { kind: "isNull", negated: false, property: "mail" } },
          { kind: "compare", operator: "eq", property: "id", value: "x" },
        ],
      },
    ],
  ])("accepts %s", (_name, expression, expected) => {
    expect(toUserFilter(expression)).toEqual(expected);
  });

  it.each<[string, FilterExpression, string]>([
    ["an unknown property", compare("jobTitle", "x"), "cannot be filtered by 'jobTitle'"],
    ["a boolean compared with a string", compare("accountEnabled", "true"), "is a boolean"],
    ["a string compared with a boolean", compare("displayName", true), "is a string"],
    ["null on a property that is never null", compare("displayName", null), "never null"],
    ["null on accountEnabled", compare("accountEnabled", null), "never null"],
    ["startswith on the id", { kind: "startsWith", property: "id", value: "a" }, "not on 'id'"],
    [
      "startswith on a boolean",
      { kind: "startsWith", property: "accountEnabled", value: "a" },
      "not on 'accountEnabled'",
    ],
    [
      "startswith with a boolean",
      { kind: "startsWith", property: "mail", value: true },
      "takes a quoted string",
    ],
    [
      "in on a boolean",
      { kind: "in", property: "accountEnabled", values: [true] },
      "not supported on the boolean",
    ],
    ["in with null", { kind: "in", property: "mail", values: ["a", null] }, "quoted strings only"],
    ["an empty in list", { kind: "in", property: "id", values: [] }, "at least one value"],
    ["an empty and", { kind: "and", operands: [] }, "needs operands"],
    [
      "a bad comparison deep inside",
      { kind: "not", operand: { kind: "or", operands: [compare("id", "a"), compare("x", "b")] } },
      "'x'",
    ],
  ])("refuses %s", (_name, expression, message) => {
    const error = refusal(expression);
    expect(error).toMatchObject({
      kind: "Invalid",
      code: "ODATA_FILTER_INVALID",
      details: { field: "$filter" },
    });
    expect(error.message).toContain(message);
  });
});
