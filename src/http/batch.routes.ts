import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type {
  FastifyPluginAsync,
  FastifyRequest,
  HTTPMethods,
  LightMyRequestResponse,
} from "fastify";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";
import { batchRequestPath, isNestedBatch, MAX_BATCH_REQUESTS, planBatch } from "./batch-plan.js";
import type { GraphErrorBody } from "./error-handler.js";

const Id = Type.String({ minLength: 1, maxLength: 64 });
const BatchRequestItem = Type.Object({
  id: Id,
  method: Type.String({ pattern: "^(?:GET|POST|PUT|PATCH|DELETE|get|post|put|patch|delete)$" }),
  url: Type.String({ minLength: 1, maxLength: 4096 }),
  headers: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 8192 }))),
  body: Type.Optional(Type.Unknown()),
  dependsOn: Type.Optional(Type.Array(Id, { maxItems: MAX_BATCH_REQUESTS })),
});
const BatchBody = Type.Object({
  requests: Type.Array(BatchRequestItem, { minItems: 1, maxItems: MAX_BATCH_REQUESTS }),
});
type BatchItem = (typeof BatchBody.static)["requests"][number];

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Request headers a sub-request never takes from its item: the batch's own apply. */
const BATCH_OWNED_HEADERS = new Set(["authorization", "host", "content-length", "connection"]);
/** Response headers that describe the in-process exchange, not the sub-response. */
const EXCHANGE_HEADERS = new Set(["content-length", "connection", "keep-alive", "date"]);

/**
 * Graph's JSON batching: `POST /v1.0/$batch` with up to 20 requests, each run in-process through
 * the same routes (`app.inject`) with the batch's `Authorization` and its own headers, one after
 * another in an order that respects `dependsOn` (see planBatch). A request whose dependency
 * answered ≥ 400 is not run and answers 424. Each response carries its own status, headers (the
 * media type under the exact key `Content-Type`, which Graph's SDKs read) and body (parsed JSON,
 * else text; none for 204). The batch itself answers 200 once it is valid, whatever the items do.
 */
export function batchRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { preHandler: authenticate(ctx) };

    app.post("/v1.0/$batch", { ...auth, schema: { body: BatchBody } }, async (request) => {
      requireAuth(request);
      const answered = new Map<string, BatchResponse>();
      for (const item of planBatch(request.body.requests)) {
        const failed = item.dependsOn?.find((id) => (answered.get(id)?.status ?? 0) >= 400);
        const response =
          failed === undefined
            ? await runBatchItem(request, item)
            : errorResponse(ctx, request, item.id, 424, {
                code: "FailedDependency",
                message: `Not run: request "${failed}", which this one depends on, failed.`,
              });
        answered.set(item.id, response);
      }
      return { responses: request.body.requests.map((item) => answered.get(item.id)) };
    });

    async function runBatchItem(request: FastifyRequest, item: BatchItem) {
      const path = batchRequestPath(item.url);
      if (path === undefined || isNestedBatch(path)) {
        return errorResponse(ctx, request, item.id, 400, {
          code: "Request_BadRequest",
          message:
            path === undefined
              ? `Request "${item.id}": a batch request's url must be relative, e.g. /users.`
              : `Request "${item.id}": a batch cannot contain another batch.`,
        });
      }
      const response = await request.server.inject({
        method: item.method.toUpperCase() as HTTPMethods,
        url: path,
        headers: subRequestHeaders(request, item),
        ...payloadOf(item),
        remoteAddress: request.ip,
      });
      return toBatchResponse(request, item.id, response);
    }
  };
}

function subRequestHeaders(request: FastifyRequest, item: BatchItem): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(item.headers ?? {})) {
    if (!BATCH_OWNED_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
  }
  headers.authorization = request.headers.authorization ?? "";
  if (request.headers.host) headers.host = request.headers.host;
  if (item.body !== undefined && headers["content-type"] === undefined) {
    headers["content-type"] = "application/json";
  }
  return headers;
}

/** JSON bodies are sent as JSON; a string body with another media type is sent as it is. */
function payloadOf(item: BatchItem): { payload?: string } {
  if (item.body === undefined) return {};
  const type = item.headers
    ? Object.entries(item.headers).find(([name]) => name.toLowerCase() === "content-type")?.[1]
    : undefined;
  const asText = typeof item.body === "string" && type !== undefined && !isJson(type);
  return { payload: asText ? String(item.body) : JSON.stringify(item.body) };
}

function toBatchResponse(
  request: FastifyRequest,
  id: string,
  response: LightMyRequestResponse,
): BatchResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined || EXCHANGE_HEADERS.has(name)) continue;
    headers[name === "content-type" ? "Content-Type" : name] = String(value);
  }
  const answer: BatchResponse = { id, status: response.statusCode, headers };
  if (response.statusCode === 204 || response.payload === "") return answer;
  const type = headers["Content-Type"] ?? "";
  answer.body = isJson(type)
    ? withBatchScheme(request, parseJson(response.payload))
    : response.payload;
  return answer;
}

/**
 * Sub-requests run without a TLS socket, so their absolute links say `http:`; behind HTTPS they
 * are given the batch's own scheme (only the OData links at the top of the body).
 */
function withBatchScheme(request: FastifyRequest, body: unknown): unknown {
  if (request.protocol === "http" || typeof body !== "object" || body === null) return body;
  const from = `http://${request.host}/`;
  const to = `${request.protocol}://${request.host}/`;
  const fixed: Record<string, unknown> = { ...body };
  for (const key of ["@odata.context", "@odata.nextLink"]) {
    const value = fixed[key];
    if (typeof value === "string" && value.startsWith(from))
      fixed[key] = to + value.slice(from.length);
  }
  return fixed;
}

function errorResponse(
  ctx: AppContext,
  request: FastifyRequest,
  id: string,
  status: number,
  error: { code: string; message: string },
): BatchResponse {
  const body: GraphErrorBody = {
    error: {
      ...error,
      innerError: {
        date: `${ctx.clock.now().toISOString().slice(0, 19)}Z`,
        "request-id": request.id,
        "client-request-id": request.id,
      },
    },
  };
  return { id, status, headers: { "Content-Type": "application/json; charset=utf-8" }, body };
}

function isJson(mediaType: string): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(mediaType.trim());
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
