import type { FastifyInstance } from "fastify";
import { serverUrl, startServer, type TlsOptions } from "../http/index.js";
import { openAppContext } from "../runtime/open-app-context.js";
import { loadConfig } from "../shared/config.js";
import { type BackgroundWork, startBackgroundWork } from "./background-work.js";
import { seedDemoIfEmpty } from "./demo-hook.js";
import { waitForShutdownSignal } from "./wait-for-shutdown-signal.js";

export interface RunServerOptions {
  port: number;
  host: string;
  /** Seed the demo tenant first when the store has never held a tenant (`tenantry start`). */
  seedDemo: boolean;
  /** Serve HTTPS with this certificate and key (read by the caller) instead of HTTP. */
  tls?: TlsOptions | undefined;
}

/**
 * Serves until SIGINT/SIGTERM: opens and migrates the store, optionally seeds the demo, listens,
 * starts background work. Shutdown runs in reverse — the server stops taking requests and drains
 * those in flight, background work stops, the store closes — and then this resolves, so the
 * process exits 0. A failure during start-up undoes what was started and rejects.
 */
export async function runServer(options: RunServerOptions): Promise<void> {
  const ctx = await openAppContext(loadConfig(), { migrate: true });
  let app: FastifyInstance | undefined;
  let background: BackgroundWork | undefined;
  try {
    if (options.seedDemo) await seedDemoIfEmpty(ctx);
    app = await startServer(ctx, { port: options.port, host: options.host, tls: options.tls });
    background = await startBackgroundWork(ctx);
    const url = serverUrl(app);
    ctx.log.info(
      { url, engine: ctx.engine, store: ctx.store.location },
      `tenantry is serving on ${url}`,
    );
    const signal = await waitForShutdownSignal(ctx.log);
    ctx.log.info({ signal }, "shutting down");
  } finally {
    await app?.close();
    await background?.stop();
    await ctx.close();
  }
  ctx.log.info("stopped");
}
