import Ajv, { type ErrorObject } from "ajv";
import addFormats from "ajv-formats";
import type { FastifyInstance } from "fastify";

/**
 * Request validation with two Ajv instances. Query strings and path parameters arrive as text, so
 * they are coerced to the schema's types (`$top=10` → 10), as Fastify does by default. JSON bodies
 * are NOT coerced: `{"accountEnabled": null}` or `"false"` is a 400, never a silent `false` —
 * coercion there could start an operation that cannot be undone (turning sync off).
 */
export function registerValidation(app: FastifyInstance): void {
  const common = {
    useDefaults: true,
    removeAdditional: true,
    allErrors: false,
    strict: false,
  } as const;
  const bodies = addFormats.default(new Ajv.default({ ...common, coerceTypes: false }));
  const text = addFormats.default(new Ajv.default({ ...common, coerceTypes: "array" }));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === "body" ? bodies : text).compile(schema),
  );
  app.setSchemaErrorFormatter(
    (errors, dataVar) => new Error(describeValidationErrors(errors, dataVar)),
  );
}

/**
 * One readable sentence per offending field. A choice among constants (a TypeBox union of
 * literals) fails as one `const` error per choice plus an `anyOf`: that becomes
 * "body/reason must be one of: a, b, c" instead of the same phrase repeated per choice.
 */
export function describeValidationErrors(errors: ErrorObject[], dataVar: string): string {
  const choices = new Map<string, unknown[]>();
  for (const error of errors) {
    if (error.keyword !== "const") continue;
    const allowed = choices.get(error.instancePath) ?? [];
    allowed.push((error.params as { allowedValue: unknown }).allowedValue);
    choices.set(error.instancePath, allowed);
  }
  const sentences = new Set<string>();
  for (const error of errors) {
    const where = `${dataVar}${error.instancePath}`;
    const allowed = choices.get(error.instancePath);
    if (allowed && (error.keyword === "const" || error.keyword === "anyOf")) {
      sentences.add(`${where} must be one of: ${allowed.map((v) => JSON.stringify(v)).join(", ")}`);
    } else {
      sentences.add(`${where} ${error.message ?? "is invalid"}`);
    }
  }
  return [...sentences].join(", ");
}
