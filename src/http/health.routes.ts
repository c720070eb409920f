import type { FastifyPluginAsync } from "fastify";
import type { AppContext } from "../shared/app-context.js";
import { pingStore } from "../store/open-store.js";
import { sendGraphError } from "./error-handler.js";

/** How long `/readyz` waits for the store before it reports the process not ready. */
const READINESS_TIMEOUT_MS = 3000;

/**
 * Probes for load balancers and orchestrators. Neither needs authentication, and neither reveals
 * more than the engine's name.
 * - `GET /healthz`: the process is up and serving HTTP (liveness); never touches the store.
 * - `GET /readyz`: the store answers a `select 1` within 3 s (readiness); 503 otherwise.
 */
export function healthRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.get(
      "/healthz",
      {
        schema: {
          response: {
            200: { type: "object", properties: { status: { const: "ok" } } },
          },
        },
      },
      async () => ({ status: "ok" as const }),
    );

    app.get(
      "/readyz",
      {
        schema: {
          response: {
            200: {
              type: "object",
              properties: {
                status: { const: "ready" },
                engine: { enum: ["sqlite", "postgres"] },
              },
            },
          },
        },
      },
      async (request, reply) => {
        try {
          await withTimeout(pingStore(ctx.db), READINESS_TIMEOUT_MS);
          return { status: "ready" as const, engine: ctx.engine };
        } catch (error) {
          request.log.warn({ err: error }, "readiness check failed: the store does not answer");
          return sendGraphError(reply, ctx.clock, {
            status: 503,
            code: "ServiceUnavailable",
            message: `The ${ctx.engine} store does not answer; the server is not ready.`,
          });
        }
      },
    );
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
