import { describe, expect, it } from "vitest";
import type { FilterExpression } from "../../directory/index.js";
import { isAppError } from "../../shared/app-error.js";
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter } from "./parse-filter.js";

const eq = (property: string, value: string | boolean | null): FilterExpression => ({
  kind: "compare",
  operator: "eq",
  property,
  value,
});

/** The message of the ODATA_FILTER_INVALID error the text is refused with. */
function refusal(text: string): string {
  try {
    parseFilter(text);
  } catch (error) {
    if (isAppError(error) && error.code === "ODATA_FILTER_INVALID" && error.kind === "Invalid") {
      return error.message;
    }
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe("parsing $filter", () => {
  it.each<[string, FilterExpression]>([
    ["displayName eq 'Adele'", eq("displayName", "Adele")],
    ["mail ne null", { kind: "compare", operator: "ne", property: "mail", value: null }],
    ["accountEnabled eq true", eq("accountEnabled", true)],
    ["accountEnabled eq FALSE", eq("accountEnabled", false)],
    ["displayName eq 'O''Brien'", eq("displayName", "O'Brien")],
    ["displayName eq ''''", eq("displayName", "'")],
    ["displayName eq ''", eq("displayName", "")],
    ["displayName eq 'a (b) or c'", eq("displayName", "a (b) or c")],
    ["displayName eq '李雷'", eq("displayName", "李雷")],
    ["  displayName   eq\t'x'  ", eq("displayName", "x")],
    ["displayName EQ 'x'", eq("displayName", "x")],
    ["startswith(displayName,'Ad')", { kind: "startsWith", property: "displayName", value: "Ad" }],
    [
      "startsWith( userPrincipalName , 'ad' )",
      { kind: "startsWith", property: "userPrincipalName", value: "ad" },
    ],
    ["id in ('a','b', 'c')", { kind: "in", property: "id", values: ["a", "b", "c"] }],
    ["id in ('a')", { kind: "in", property: "id", values: ["a"] }],
    ["not (mail eq null)", { kind: "not", operand: eq("mail", null) }],
    [
      "not not accountEnabled eq true",
      { kind: "not", operand: { kind: "not", operand: eq("accountEnabled", true) } },
    ],
    ["((displayName eq 'x'))", eq("displayName", "x")],
  ])("parses %s", (text, expected) => {
    expect(parseFilter(text)).toEqual(expected);
  });

  it("binds and tighter than or, and chains of one operator into one node", () => {
    expect(parseFilter("id eq 'a' or id eq 'b' and id eq 'c' or id eq 'd'")).toEqual({
      kind: "or",
      operands: [
        eq("id", "a"),
        { kind: "and", operands: [eq("id", "b"), eq("id", "c")] },
        eq("id", "d"),
      ],
    });
  });

  it("lets parentheses override precedence", () => {
    expect(parseFilter("(id eq 'a' or id eq 'b') and id eq 'c'")).toEqual({
      kind: "and",
      operands: [{ kind: "or", operands: [eq("id", "a"), eq("id", "b")] }, eq("id", "c")],
    });
  });

  it("accepts a chain of two hundred comparisons without deepening the nesting", () => {
    const text = Array.from({ length: 200 }, (_, i) => `id eq '${i}'`).join(" or ");
    const parsed = parseFilter(text);
    expect(parsed.kind === "or" && parsed.operands.length).toBe(200);
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["displayName eq 'Adele", "not closed"],
    ["displayName eq 'O''", "not closed"],
    ["(displayName eq 'a'", "expected ')'"],
    ["displayName eq 'a')", "unexpected ')'"],
    ["((displayName eq 'a')", "expected ')'"],
    [")", "found ')'"],
    ["displayName eq", "found the end of the filter"],
    ["displayName", "expected eq, ne or in"],
    ["eq 'a'", "expected a property name, 'not' or '(' but found 'eq'"],
    ["'a' eq displayName", "expected a property name"],
    ["displayName eq 'a' and", "found the end of the filter"],
    ["displayName eq 'a' displayName eq 'b'", "unexpected 'displayName'"],
    ["displayName eq 5", "numbers are not supported"],
    ["displayName eq -1", "numbers are not supported"],
    ["displayName gt 'a'", "operator 'gt' is not supported"],
    ["displayName le 'a'", "operator 'le' is not supported"],
    ["endswith(mail,'x')", "function 'endswith' is not supported"],
    ["contains(displayName,'x')", "function 'contains' is not supported"],
    ["startswith(displayName)", "expected ','"],
    ["startswith(displayName,'a'", "expected ')'"],
    ["startswith('a',displayName)", "expected a property name"],
    ["id in ()", "expected a quoted string"],
    ["id in ('a',)", "expected a quoted string"],
    ["id in 'a'", "expected '(' after 'in'"],
    ["id in ('a' 'b')", "expected ')'"],
    ['displayName eq "a"', "unexpected character '\"'"],
    ["displayName eq 'a'; drop table app_user", "unexpected character ';'"],
    ["displayName eq 'a\u0000'", "control character"],
    ["displayName eq 'a'\n\u0007", "control character"],
    ["displayName eq maybe", "expected a quoted string, true, false or null"],
    ["members/any(m:m eq 'x')", "unexpected character '/'"],
  ])("refuses %j (%s)", (text, reason) => {
    expect(refusal(text)).toContain(reason);
  });

  it("names the position of a syntax error", () => {
    expect(refusal("displayName eq 'a' or or")).toContain("position 23");
  });

  it(`refuses a filter longer than ${MAX_FILTER_LENGTH} characters before reading it`, () => {
    const text = `displayName eq '${"a".repeat(MAX_FILTER_LENGTH)}'`;
    expect(refusal(text)).toContain(`longer than ${MAX_FILTER_LENGTH}`);
    expect(parseFilter(`displayName eq '${"a".repeat(MAX_FILTER_LENGTH - 17)}'`)).toBeTruthy();
  });

  it("refuses a megabyte of input with a 400, not a crash", () => {
    expect(refusal("(".repeat(1_000_000))).toContain("longer than");
  });

  it(`refuses nesting deeper than ${MAX_FILTER_DEPTH} levels, however it nests`, () => {
    const deep = (n: number) => `${"(".repeat(n)}id eq 'a'${")".repeat(n)}`;
    expect(parseFilter(deep(MAX_FILTER_DEPTH))).toEqual(eq("id", "a"));
    expect(refusal(deep(MAX_FILTER_DEPTH + 1))).toContain("levels deep");
    expect(refusal(`${"not ".repeat(MAX_FILTER_DEPTH + 1)}id eq 'a'`)).toContain("levels deep");
    expect(refusal("(".repeat(2000))).toContain("levels deep");
  });

  it("refuses unbalanced input of every shape without throwing anything but a 400", () => {
    const fragments = ["(", ")", "'", "''", "not", "and", "or", "eq", "in", ",", "id", "x", " "];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let i = 0; i < 500; i++) {
      const text = Array.from(
        { length: 1 + (random() % 12) },
        () => fragments[random() % fragments.length],
      ).join(" ");
      try {
        parseFilter(text);
      } catch (error) {
        expect(isAppError(error) && error.code).toBe("ODATA_FILTER_INVALID");
      }
    }
  });
});
