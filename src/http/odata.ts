import type { FastifyRequest } from "fastify";

/** The request's own scheme and host, for absolute links (`@odata.context`, `@odata.nextLink`). */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** `<scheme>://<host>/v1.0/$metadata#<fragment>`, Graph's `@odata.context`. */
export function odataContext(request: FastifyRequest, fragment: string): string {
  return `${baseUrl(request)}/v1.0/$metadata#${fragment}`;
}
