import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/**
 * A client's own id is echoed only when it is a plausible id (up to 128 characters of letters,
 * digits and `-_.:`), so that a header cannot inject text into logs or responses.
 */
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request id, like Microsoft Graph: the caller's `client-request-id` (or `request-id`) when it
 * sends one, else a fresh UUID. The same id is logged with every line of the request, echoed in the
 * `request-id` and `client-request-id` response headers, and written in error bodies and audit
 * entries, so that one id ties a client's report to the server's logs.
 */
export function resolveRequestId(headers: IncomingHttpHeaders): string {
  for (const name of ["client-request-id", "request-id"]) {
    const value = headers[name];
    const candidate = Array.isArray(value) ? value[0] : value;
    if (candidate !== undefined && ACCEPTABLE_ID.test(candidate)) return candidate;
  }
  return randomUUID();
}
