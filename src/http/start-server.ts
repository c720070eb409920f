import https from "node:https";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../shared/app-context.js";
import { type BuildServerOptions, buildServer } from "./build-server.js";

/** A PEM certificate (chain) and its private key. */
export interface TlsOptions {
  cert: Buffer;
  key: Buffer;
}

export interface StartServerOptions extends BuildServerOptions {
  /** TCP port; 0 lets the system choose (read it back with `serverUrl`). */
  port: number;
  host: string;
  /** Serve HTTPS with this certificate instead of plain HTTP. */
  tls?: TlsOptions | undefined;
}

/** The TLS server of each application started with `tls`. */
const tlsServers = new WeakMap<FastifyInstance, https.Server>();

/**
 * Builds the application and listens. The caller owns the instance: `await app.close()` stops
 * accepting connections and waits for requests in flight (new ones get 503 meanwhile); it does not
 * close the store, which the caller opened.
 */
export async function startServer(
  ctx: AppContext,
  options: StartServerOptions,
): Promise<FastifyInstance> {
  const { port, host, tls, ...buildOptions } = options;
  const app = await buildServer(ctx, buildOptions);
  try {
    if (tls) await listenTls(app, tls, port, host);
    else await app.listen({ port, host });
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}

/**
 * HTTPS without a second way of building the application: Node's TLS server hands each request
 * to Fastify's router (`app.routing`, the entry point `listen` and `inject` use as well), so
 * routes, hooks and error handling are the same. `app.close()` closes it too: Fastify first marks
 * itself closing (new requests get 503), then this hook stops accepting connections, ends idle
 * keep-alive ones and waits for requests in flight.
 */
async function listenTls(
  app: FastifyInstance,
  tls: TlsOptions,
  port: number,
  host: string,
): Promise<void> {
  const server = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) =>
    app.routing(req, res),
  );
  app.addHook("onClose", (_instance, done) => {
    server.close(() => done());
    server.closeIdleConnections();
  });
  await app.ready();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  tlsServers.set(app, server);
}

/** The base URL the server listens on, e.g. `http://127.0.0.1:8080` or `https://[::1]:8443`. */
export function serverUrl(app: FastifyInstance): string {
  const tlsServer = tlsServers.get(app);
  const address = (tlsServer ?? app.server).address();
  if (address === null || typeof address === "string") return String(address);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `${tlsServer ? "https" : "http"}://${host}:${address.port}`;
}
