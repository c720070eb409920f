import Ajv from "ajv";
import { Type } from "@fastify/type-provider-typebox";
import { describe, expect, it } from "vitest";
import { describeValidationErrors } from "./validation.js";

describe("describeValidationErrors", () => {
  const ajv = new Ajv.default({ allErrors: false, strict: false });
  const validate = ajv.compile(
    Type.Object({
      reason: Type.Union([Type.Literal("unused"), Type.Literal("other")]),
      quantity: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
  );

  it("names the allowed values of a choice once, instead of one phrase per choice", () => {
    expect(validate({ reason: "bored" })).toBe(false);
    expect(describeValidationErrors(validate.errors ?? [], "body")).toBe(
      'body/reason must be one of: "unused", "other"',
    );
  });

  it("keeps Ajv's own words for every other failure", () => {
    expect(validate({ reason: "other", quantity: 0 })).toBe(false);
    expect(describeValidationErrors(validate.errors ?? [], "body")).toBe(
      "body/quantity must be >= 1",
    );
  });
});
