import type { FastifyInstance } from "fastify";
import type { AppContext } from "../shared/app-context.js";
import { type BuildServerOptions, buildServer } from "./build-server.js";

export interface StartServerOptions extends BuildServerOptions {
  /** TCP port; 0 lets the system choose (read it back with `serverUrl`). */
  port: number;
  host: string;
}

/**
 * Builds the application and listens. The caller owns the instance: `await app.close()` stops
 * accepting connections and waits for requests in flight (new ones get 503 meanwhile); it does not
 * close the store, which the caller opened.
 */
export async function startServer(
  ctx: AppContext,
  options: StartServerOptions,
): Promise<FastifyInstance> {
  const { port, host, ...buildOptions } = options;
  const app = await buildServer(ctx, buildOptions);
  try {
    await app.listen({ port, host });
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}

/** The base URL the server listens on, e.g. `http://127.0.0.1:8080`. */
export function serverUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (address === null || typeof address === "string") return String(address);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
