import type { FastifyInstance, FastifyReply } from "fastify";
import { type ErrorKind, isAppError } from "../shared/app-error.js";
import type { Clock } from "../shared/clock.js";

/**
 * The one place where failures become HTTP responses. Areas throw `AppError`s that know nothing of
 * HTTP; this module maps their kind to a status and every failure to Microsoft Graph's error body,
 * so that Graph's SDKs understand our errors (SPEC §7).
 */

/**
 * `Blocked` is 409 Conflict, like `Conflict`: the request is valid but the current state of the
 * resource forbids it (an unpaid invoice, sync still on), and the client can resubmit once the
 * blocker is fixed — what RFC 9110 §15.5.10 describes. The UPPER_SNAKE code and `info` tell the two
 * apart and name the fix.
 */
const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  Invalid: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  Blocked: 409,
  TooManyRequests: 429,
};

/**
 * Graph's codes per kind. Tenantry's own UPPER_SNAKE code (e.g. USER_UPN_TAKEN) travels in
 * `error.details[0].code`; codes that are already Graph-style (StepUpRequired,
 * InvalidAuthenticationToken, …) are sent as they are.
 */
const GRAPH_CODE_BY_KIND: Readonly<Record<ErrorKind, string>> = {
  Invalid: "Request_BadRequest",
  Unauthorized: "InvalidAuthenticationToken",
  Forbidden: "Authorization_RequestDenied",
  NotFound: "Request_ResourceNotFound",
  Conflict: "Request_Conflict",
  Blocked: "Request_Conflict",
  TooManyRequests: "TooManyRequests",
};

/** UPPER_SNAKE: one of Tenantry's own codes, which Graph clients do not know. */
const OWN_CODE = /^[A-Z0-9]+(_[A-Z0-9]+)*$/;

/** The Graph code for an AppError, and Tenantry's own code when it differs. */
export function graphCodeFor(kind: ErrorKind, code: string): { code: string; ownCode?: string } {
  return OWN_CODE.test(code) ? { code: GRAPH_CODE_BY_KIND[kind], ownCode: code } : { code };
}

/** Graph-style codes for failures that are not ours (routing, body parsing, schema validation). */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: "Request_BadRequest",
  401: "InvalidAuthenticationToken",
  403: "Authorization_RequestDenied",
  404: "Request_ResourceNotFound",
  405: "MethodNotAllowed",
  406: "NotAcceptable",
  409: "Conflict",
  413: "RequestEntityTooLarge",
  415: "UnsupportedMediaType",
  429: "TooManyRequests",
  503: "ServiceUnavailable",
};

export function statusForKind(kind: ErrorKind): number {
  return STATUS_BY_KIND[kind];
}

/**
 * Microsoft Graph's error body. `details` (Graph's array of inner errors) carries Tenantry's own
 * stable code and the offending field as `target`; `info` an AppError's machine-readable facts.
 */
export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    innerError: { date: string; "request-id": string; "client-request-id": string };
    details?: { code: string; message: string; target?: string }[];
    info?: Readonly<Record<string, unknown>>;
  };
}

/** Sends a Graph error body with the request's id; for handlers that fail without throwing. */
export function sendGraphError(
  reply: FastifyReply,
  clock: Clock,
  failure: {
    status: number;
    code: string;
    message: string;
    ownCode?: string | undefined;
    info?: Record<string, unknown>;
  },
): FastifyReply {
  const request = reply.request;
  const body: GraphErrorBody = {
    error: {
      code: failure.code,
      message: failure.message,
      innerError: {
        // Graph's format: seconds precision, UTC.
        date: `${clock.now().toISOString().slice(0, 19)}Z`,
        "request-id": request.id,
        "client-request-id": request.id,
      },
    },
  };
  if (failure.ownCode) {
    const target = failure.info?.field;
    body.error.details = [
      {
        code: failure.ownCode,
        message: failure.message,
        ...(typeof target === "string" ? { target } : {}),
      },
    ];
  }
  if (failure.info && Object.keys(failure.info).length > 0) body.error.info = failure.info;
  return reply.status(failure.status).type("application/json; charset=utf-8").send(body);
}

/**
 * Installs the error and not-found handlers on the root instance; every route, including those of
 * plugins registered later, answers failures through them.
 * - `AppError` → its kind's status, its code and message, its details as `info`;
 *   `TooManyRequests` with `details.retryAfterSeconds` sets `Retry-After`.
 * - Schema validation → 400 `BadRequest` with Fastify's description of the offending field.
 * - Fastify's own client errors (bad JSON, body too large, wrong media type) → their status.
 * - Anything else → 500 `InternalServerError`; the cause is logged, never sent.
 */
export function registerErrorHandling(app: FastifyInstance, clock: Clock): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    if (isAppError(error)) {
      if (error.kind === "Unauthorized") reply.header("www-authenticate", "Bearer");
      const retryAfter = error.details.retryAfterSeconds;
      if (error.kind === "TooManyRequests" && typeof retryAfter === "number") {
        reply.header("retry-after", String(Math.max(1, Math.ceil(retryAfter))));
      }
      return sendGraphError(reply, clock, {
        status: statusForKind(error.kind),
        ...graphCodeFor(error.kind, error.code),
        message: error.message,
        info: { ...error.details },
      });
    }
    const clientFailure = asFrameworkClientError(error);
    if (clientFailure) {
      request.log.info({ err: error }, "request refused");
      return sendGraphError(reply, clock, clientFailure);
    }
    request.log.error({ err: error }, "unexpected error while handling a request");
    return sendGraphError(reply, clock, {
      status: 500,
      code: "InternalServerError",
      message: `An unexpected error occurred. Quote request id ${request.id} when reporting it.`,
    });
  });

  app.setNotFoundHandler((request, reply) =>
    sendGraphError(reply, clock, {
      status: 404,
      code: "Request_ResourceNotFound",
      message: `No resource at ${request.method} ${request.url.split("?")[0]}.`,
    }),
  );
}

interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  validation?: unknown;
  message?: unknown;
}

/**
 * Fastify's own 4xx errors (codes `FST_…`) and schema-validation failures, whose messages describe
 * the request, not the server, and are safe to return. Other errors are not trusted with a status.
 */
function asFrameworkClientError(
  error: unknown,
): { status: number; code: string; message: string } | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as FrameworkError;
  const message = typeof e.message === "string" ? e.message : "The request is not valid.";
  if (e.validation !== undefined) return { status: 400, code: "Request_BadRequest", message };
  const status = typeof e.statusCode === "number" ? e.statusCode : 0;
  const isFastify = typeof e.code === "string" && e.code.startsWith("FST_");
  if (!isFastify || status < 400 || status > 499) return undefined;
  return { status, code: CODE_BY_STATUS[status] ?? "Request_BadRequest", message };
}
