import crypto from "node:crypto";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AppContext } from "../shared/app-context.js";
import { AppError } from "../shared/app-error.js";

/** Probes and the API reference are never limited. */
const UNLIMITED = ["/healthz", "/readyz", "/docs", "/openapi.json"];

/**
 * SPEC §2: a per-token rate limit, `TENANTRY_RATE_LIMIT` requests per minute (default 6,000),
 * answered with 429 `TooManyRequests` and `Retry-After` in Graph's error shape. Requests without a
 * token are counted per source address. Counters live in each process's memory: with several
 * processes behind a load balancer a token gets the limit once per process.
 */
export async function registerRateLimit(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    max: ctx.config.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: rateLimitKey,
    allowList: (request) => UNLIMITED.some((path) => request.url.startsWith(path)),
    errorResponseBuilder: (_request, context) =>
      new AppError(
        "TooManyRequests",
        "TooManyRequests",
        `Too many requests: at most ${context.max} per minute per token. Retry after ${Math.ceil(context.ttl / 1000)} s.`,
        { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      ),
  });
}

function rateLimitKey(request: FastifyRequest): string {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
  return token
    ? `token:${crypto.createHash("sha256").update(token).digest("hex")}`
    : `address:${request.ip}`;
}
