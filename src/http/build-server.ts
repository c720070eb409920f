import Fastify, {
  type FastifyBaseLogger,
  type FastifyHttpOptions,
  type FastifyInstance,
  type RawServerDefault,
} from "fastify";
import type { AppContext } from "../shared/app-context.js";
import { registerApiRoutes } from "./api-routes.js";
import { redactCardNumbersInUrl, registerCardNumberGuard } from "./card-number-guard.js";
import { registerErrorHandling } from "./error-handler.js";
import { healthRoutes } from "./health.routes.js";
import { signingKeysRoutes } from "./signing-keys.routes.js";
import { registerOpenApi } from "./openapi.js";
import { registerRateLimit } from "./rate-limit.js";
import { resolveRequestId } from "./request-id.js";
import { registerValidation } from "./validation.js";

export interface BuildServerOptions {
  /**
   * Fastify's logger: omitted, requests are logged through `ctx.log` (stderr, the configured
   * level); `false` silences them; `true` or Fastify/pino logger options make a logger of its own.
   */
  logger?: boolean | object;
}

/**
 * The HTTP application, not yet listening (tests call `app.inject()`; `startServer` listens).
 * Every response carries the request id in `request-id` and `client-request-id`, and every failure
 * has Microsoft Graph's error shape (see error-handler.ts). Routes come from one `*.routes.ts`
 * plugin per area; add an area's plugin below.
 */
export async function buildServer(
  ctx: AppContext,
  options: BuildServerOptions = {},
): Promise<FastifyInstance> {
  const common: FastifyHttpOptions<RawServerDefault> = {
    // Our own id resolution honours both Graph headers; Fastify's reads just one.
    requestIdHeader: false as const,
    trustProxy: ctx.config.trustProxy,
    genReqId: (req) => resolveRequestId(req.headers),
    // Before routing and logging: a card number never reaches a log line (card-number-guard.ts).
    rewriteUrl: redactCardNumbersInUrl,
  };
  // Typed as Fastify's logger so the instance has the plain `FastifyInstance` type.
  const loggerInstance: FastifyBaseLogger = ctx.log;
  const app: FastifyInstance =
    options.logger === undefined
      ? Fastify({ ...common, loggerInstance })
      : Fastify({ ...common, logger: options.logger });

  app.addHook("onRequest", async (request, reply) => {
    reply.header("request-id", request.id);
    reply.header("client-request-id", request.id);
  });
  app.decorateRequest("auth", null);
  app.decorateRequest("closedTenantReader", null);
  registerCardNumberGuard(app);
  registerErrorHandling(app, ctx.clock);
  registerValidation(app);
  await registerRateLimit(app, ctx);

  // First: the OpenAPI document collects the routes registered after it.
  await registerOpenApi(app);
  await app.register(healthRoutes(ctx));
  await app.register(signingKeysRoutes(ctx));
  await registerApiRoutes(app, ctx);
  return app;
}
