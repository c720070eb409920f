import { invalid } from "../shared/app-error.js";
import { CERTIFICATE_ERROR } from "./certificate.js";

/**
 * The one byte sequence a JSON value signs as (RFC 8785, JSON Canonicalization Scheme, for the
 * values certificates carry): object members sorted by key (UTF-16 code units, as RFC 8785 and
 * JavaScript's default sort compare), no whitespace, arrays in order, strings and numbers as
 * ECMAScript's JSON.stringify writes them (RFC 8785 adopts that serialization).
 *
 * Members whose value is `undefined` are left out, exactly as JSON.stringify leaves them out, so a
 * document signed in memory verifies after a round trip through JSON. Anything JSON cannot carry
 * faithfully is refused with CERTIFICATE_NOT_CANONICAL (Invalid), naming where it is: non-finite
 * numbers, `undefined` in an array or alone, functions, symbols, bigints, objects that are not
 * plain (Date, Buffer, Map…) and strings with a lone surrogate (not Unicode).
 */
export function canonicalJson(value: unknown): string {
  return serialize(value, "$");
}

function serialize(value: unknown, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw notCanonical(path, `is ${value}, not a finite number`);
      return JSON.stringify(value);
    case "string":
      return serializeString(value, path);
    case "object":
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => serialize(item, `${path}[${i}]`)).join(",")}]`;
      }
      if (!isPlainObject(value)) throw notCanonical(path, "is not a plain JSON object");
      return serializeObject(value, path);
    default:
      throw notCanonical(path, `is ${typeof value}, which JSON cannot carry`);
  }
}

function serializeObject(value: Record<string, unknown>, path: string): string {
  const members = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
    .map((key) => `${serializeString(key, path)}:${serialize(value[key], `${path}.${key}`)}`);
  return `{${members.join(",")}}`;
}

/** Half a UTF-16 pair on its own (a `u` regular expression reads a whole pair as one character). */
const LONE_SURROGATE = /\p{Cs}/u;

function serializeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw notCanonical(path, "holds a lone surrogate (not Unicode)");
  return JSON.stringify(value);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function notCanonical(path: string, problem: string) {
  return invalid(CERTIFICATE_ERROR.NOT_CANONICAL, `${path} ${problem}.`, { field: path });
}
