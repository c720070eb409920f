import type { FastifyReply } from "fastify";

/**
 * Sends a body that is already JSON text (written by the store, `listUserDocuments`). Fastify
 * passes a string with a JSON content type through unchanged, skipping the route's response
 * serializer; the route's response schema still documents it, and the tests check the text
 * against it. Typed loosely because the route's reply type is that schema's object type.
 */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type("application/json; charset=utf-8").send(json as never);
}

/**
 * `{...properties, ...object}` for an object that is JSON text already: the properties first, in
 * their order (Graph's `@odata.context` leads its payloads).
 */
export function withLeadingProperties(
  properties: Readonly<Record<string, unknown>>,
  objectJson: string,
): string {
  const head = JSON.stringify(properties);
  if (head === "{}") return objectJson;
  return objectJson === "{}" ? head : `${head.slice(0, -1)},${objectJson.slice(1)}`;
}
