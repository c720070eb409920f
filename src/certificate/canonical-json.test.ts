import { describe, expect, it } from "vitest";
import { AppError } from "../shared/app-error.js";
import { canonicalJson } from "./canonical-json.js";

function refusal(value: unknown): AppError {
  try {
    canonicalJson(value);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("canonicalJson accepted the value");
}

describe("canonicalJson", () => {
  it("sorts object members by key at every depth and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it("keeps arrays in their order", () => {
    expect(canonicalJson(["b", "a", 2, 1])).toBe('["b","a",2,1]');
  });

  it("orders keys by UTF-16 code units, as RFC 8785 does", () => {
    // RFC 8785 §3.2.3's example: "😀" (U+1F600) is a surrogate pair, so it sorts before "ﬂ"
    // (U+FB02); JavaScript enumerates "1" first (an integer-like key), canonical JSON does not.
    const value = { ﬂ: 7, "😀": 6, "€": 5, ö: 4, "\u0080": 3, "1": 2, "\r": 1 };
    expect(canonicalJson(value)).toBe('{"\\r":1,"1":2,"\u0080":3,"ö":4,"€":5,"😀":6,"ﬂ":7}');
  });

  it("escapes strings as JSON does and keeps other characters as they are", () => {
    expect(canonicalJson({ s: 'quote " backslash \\ tab \t nul \u0000 迁移' })).toBe(
      '{"s":"quote \\" backslash \\\\ tab \\t nul \\u0000 迁移"}',
    );
  });

  it("writes numbers in ECMAScript's shortest form, -0 as 0", () => {
    expect(canonicalJson([1, -0, 1.5, 1e21, 482113, -7])).toBe("[1,0,1.5,1e+21,482113,-7]");
  });

  it("writes booleans and null as literals", () => {
    expect(canonicalJson({ t: true, f: false, n: null })).toBe('{"f":false,"n":null,"t":true}');
  });

  it("leaves out members whose value is undefined, as a JSON round trip does", () => {
    const value = { a: 1, gone: undefined };
    expect(canonicalJson(value)).toBe('{"a":1}');
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });

  it("gives the same text for equal documents built in any member order", () => {
    const one = { tenantId: "t", steps: [{ name: "export", done: 1 }], export: null };
    const two = { export: null, steps: [{ done: 1, name: "export" }], tenantId: "t" };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it.each([
    ["Infinity", { bytes: Number.POSITIVE_INFINITY }, "$.bytes"],
    ["NaN", { steps: [{ done: Number.NaN }] }, "$.steps[0].done"],
    ["undefined in an array", { steps: [undefined] }, "$.steps[0]"],
    ["a Date", { when: new Date(0) }, "$.when"],
    ["a bigint", { count: 1n }, "$.count"],
    ["a lone surrogate", { reason: "broken \ud800 text" }, "$.reason"],
  ])("refuses %s as Invalid CERTIFICATE_NOT_CANONICAL, naming where it is", (_, value, path) => {
    const error = refusal(value);
    expect(error.kind).toBe("Invalid");
    expect(error.code).toBe("CERTIFICATE_NOT_CANONICAL");
    expect(error.message).toContain(path);
    expect(error.details).toEqual({ field: path });
  });

  it("refuses undefined on its own", () => {
    expect(refusal(undefined).code).toBe("CERTIFICATE_NOT_CANONICAL");
  });
});
