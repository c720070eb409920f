import formbody from "@fastify/formbody";
import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync } from "fastify";
import { issueClientCredentialsToken, OAUTH_ERROR } from "../security/index.js";
import type { AppContext } from "../shared/app-context.js";
import { isAppError } from "../shared/app-error.js";
import { readTokenRequest, usesBasicAuthentication } from "./oauth-token-request.js";

/** Form fields are strings; a repeated one (an array) is refused as RFC 6749 §3.2 requires. */
const TokenBody = Type.Object({
  grant_type: Type.Optional(Type.String({ maxLength: 64 })),
  client_id: Type.Optional(Type.String({ maxLength: 256 })),
  client_secret: Type.Optional(Type.String({ maxLength: 1024 })),
  scope: Type.Optional(Type.String({ maxLength: 1024 })),
});

const OAUTH_CODES: ReadonlySet<string> = new Set(Object.values(OAUTH_ERROR));

/**
 * The OAuth 2.0 client-credentials token endpoint, POST /oauth2/v2.0/token (Entra's path).
 * Failures have OAuth's shape `{"error", "error_description"}` (RFC 6749 §5.2), not Graph's:
 * 400, or 401 with `WWW-Authenticate: Basic` for `invalid_client` when the client used HTTP Basic.
 * The form parser and this error handler apply to this plugin only.
 */
export function oauthRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    await app.register(formbody);

    app.setErrorHandler((error: unknown, request, reply) => {
      reply.header("cache-control", "no-store").header("pragma", "no-cache");
      if (isAppError(error) && OAUTH_CODES.has(error.code)) {
        const basic = usesBasicAuthentication(request.headers.authorization);
        const unauthorized = error.code === OAUTH_ERROR.INVALID_CLIENT && basic;
        if (unauthorized) reply.header("www-authenticate", 'Basic realm="tenantry"');
        return reply
          .status(unauthorized ? 401 : 400)
          .send({ error: error.code, error_description: error.message });
      }
      const status = (error as { statusCode?: unknown }).statusCode;
      if (typeof status === "number" && status >= 400 && status < 500) {
        return reply.status(400).send({
          error: OAUTH_ERROR.INVALID_REQUEST,
          error_description: (error as Error).message,
        });
      }
      request.log.error({ err: error }, "unexpected error at the token endpoint");
      return reply.status(500).send({
        error: "server_error",
        error_description: `An unexpected error occurred. Quote request id ${request.id} when reporting it.`,
      });
    });

    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    api.post("/oauth2/v2.0/token", { schema: { body: TokenBody } }, async (request, reply) => {
      const { clientId, clientSecret } = readTokenRequest({
        contentType: request.headers["content-type"],
        authorization: request.headers.authorization,
        body: request.body,
      });
      const token = await issueClientCredentialsToken(ctx, {
        clientId,
        clientSecret,
        requestId: request.id,
      });
      // RFC 6749 §5.1: token responses are never cached.
      return reply.header("cache-control", "no-store").header("pragma", "no-cache").send(token);
    });
  };
}
