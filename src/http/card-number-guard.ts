import type { IncomingMessage } from "node:http";
import { PassThrough, type Readable } from "node:stream";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { containsCardNumber, findCardNumberPath, redactCardNumbers } from "../commerce/index.js";
import { invalid } from "../shared/app-error.js";

/**
 * SPEC §3: "a full card number is rejected and never stored" — nor logged. A card number (see
 * commerce/card-number.ts) anywhere in a request to /v1.0 — path, query string, body at any depth —
 * is refused with 400 Request_BadRequest, code CARD_NUMBER_REJECTED, before any handler runs, so
 * nothing of it reaches the database or the audit log:
 *
 * - URL: `redactCardNumbersInUrl` is Fastify's `rewriteUrl`, which runs before routing and before
 *   the request is logged: the number is replaced in the URL every later step (the request log
 *   line, the not-found message) sees, and the request is marked; an `onRequest` hook refuses it.
 *   Any URL is refused so, since any URL is logged.
 * - Body: a `preParsing` hook reads the raw body (within the body limit) and refuses it before it
 *   is parsed — so no parse error can quote it into a log or an answer — and a `preValidation` hook
 *   checks the parsed values too (a number written with JSON escapes).
 */

/** Requests whose URL held a card number, with where it was (`path` or the query parameter). */
const REJECTED_URLS = new WeakMap<IncomingMessage, string>();

export const CARD_NUMBER_REJECTED = "CARD_NUMBER_REJECTED";

function cardNumberRejected(field: string) {
  return invalid(
    CARD_NUMBER_REJECTED,
    `The request contains a full card number (in ${field}). Tenantry never accepts or stores card numbers: send the card's brand, last four digits, expiry and the token your payment processor issued for it.`,
    { field },
  );
}

function decode(text: string, plusIsSpace: boolean): string {
  try {
    return decodeURIComponent(plusIsSpace ? text.replace(/\+/g, " ") : text);
  } catch {
    return text;
  }
}

/** One path segment or query value: itself, or re-encoded without its card numbers. */
function redactComponent(raw: string, plusIsSpace: boolean): string | undefined {
  const decoded = decode(raw, plusIsSpace);
  if (!containsCardNumber(decoded) && !containsCardNumber(raw)) return undefined;
  return encodeURIComponent(redactCardNumbers(containsCardNumber(decoded) ? decoded : raw));
}

/** The URL without card numbers, and where the first one was; undefined when it has none. */
export function redactUrl(url: string): { url: string; field: string } | undefined {
  if ((url.match(/\d/g)?.length ?? 0) < 13) return undefined;
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? undefined : url.slice(queryAt + 1);
  let field: string | undefined;
  const segments = path.split("/").map((segment) => {
    const redacted = redactComponent(segment, false);
    if (redacted === undefined) return segment;
    field ??= "path";
    return redacted;
  });
  const parameters = query?.split("&").map((parameter) => {
    const equals = parameter.indexOf("=");
    const name = equals === -1 ? parameter : parameter.slice(0, equals);
    const value = equals === -1 ? undefined : parameter.slice(equals + 1);
    const redactedName = redactComponent(name, true);
    const redactedValue = value === undefined ? undefined : redactComponent(value, true);
    if (redactedName === undefined && redactedValue === undefined) return parameter;
    field ??= redactedName === undefined ? `query parameter ${decode(name, true)}` : "query";
    const shownName = redactedName ?? name;
    return value === undefined ? shownName : `${shownName}=${redactedValue ?? value}`;
  });
  if (field === undefined) return undefined;
  const redactedPath = segments.join("/");
  return { url: parameters ? `${redactedPath}?${parameters.join("&")}` : redactedPath, field };
}

/**
 * Fastify's `rewriteUrl`: the request's URL with card numbers removed, before routing and logging.
 * The request is marked, and refused by the guard's `onRequest` hook.
 */
export function redactCardNumbersInUrl(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const redacted = redactUrl(url);
  if (!redacted) return url;
  REJECTED_URLS.set(req, redacted.field);
  // Fastify keeps the URL it was given as `originalUrl`: that copy must not hold the number either.
  (req as IncomingMessage & { originalUrl?: string }).originalUrl = redacted.url;
  return redacted.url;
}

function isApiRequest(request: FastifyRequest): boolean {
  return (
    request.url === "/v1.0" || request.url.startsWith("/v1.0/") || request.url.startsWith("/v1.0?")
  );
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers["content-length"];
  return (
    request.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0")
  );
}

/** Reads the body, or stops once it is larger than `limit` (the parser then refuses it: 413). */
function readBody(payload: Readable, limit: number): Promise<{ body: Buffer; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      payload.off("data", onData);
      payload.off("end", onEnd);
      payload.off("error", onError);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      chunks.push(buffer);
      size += buffer.length;
      if (size > limit) {
        done();
        payload.pause();
        resolve({ body: Buffer.concat(chunks), complete: false });
      }
    };
    const onEnd = () => {
      done();
      resolve({ body: Buffer.concat(chunks), complete: true });
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    payload.on("data", onData);
    payload.on("end", onEnd);
    payload.on("error", onError);
  });
}

/** Where in a JSON body the card number is, when the body parses; else just "the body". */
function fieldInBody(body: Buffer): string {
  try {
    const path = findCardNumberPath(JSON.parse(body.toString("utf8")));
    if (path !== null) return path === "" ? "the body" : `the body at ${path}`;
  } catch {
    // not JSON: the body as a whole
  }
  return "the body";
}

/** Installs the guard on the root instance, before any route: see the module comment. */
export function registerCardNumberGuard(app: FastifyInstance): void {
  app.addHook("onRequest", async (request) => {
    const field = REJECTED_URLS.get(request.raw);
    if (field !== undefined) throw cardNumberRejected(`the URL's ${field}`);
  });

  app.addHook("preParsing", async (request, _reply, payload) => {
    if (!isApiRequest(request) || !hasBody(request)) return payload;
    const limit = app.initialConfig.bodyLimit ?? 1_048_576;
    if (Number(request.headers["content-length"]) > limit) return payload;
    const { body, complete } = await readBody(payload, limit);
    if (!complete) {
      // Too large: the parser refuses it (413) once it reads past the limit; never parsed.
      const rest = new PassThrough();
      rest.write(body);
      payload.pipe(rest);
      payload.resume();
      return rest;
    }
    if (containsCardNumber(body.toString("latin1"))) throw cardNumberRejected(fieldInBody(body));
    const replay = Object.assign(new PassThrough(), { receivedEncodedLength: body.length });
    replay.end(body);
    return replay;
  });

  app.addHook("preValidation", async (request) => {
    if (!isApiRequest(request)) return;
    const path = findCardNumberPath(request.body);
    if (path !== null) throw cardNumberRejected(path === "" ? "the body" : `the body at ${path}`);
  });
}
