import Ajv from "ajv";
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
}
