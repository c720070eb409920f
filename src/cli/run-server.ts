import cluster, { type Worker } from "node:cluster";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
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
  /**
   * HTTP server processes. One (the default) serves in this process. More fork that many worker
   * processes sharing the port (node:cluster), while this process keeps the store migrated, runs
   * the background work and replaces a worker that dies.
   */
  workers?: number | undefined;
}

/** A worker that dies is replaced after this pause, so a crash loop does not spin the CPU. */
const RESPAWN_DELAY_MS = 1000;

/**
 * Serves until SIGINT/SIGTERM: opens and migrates the store, optionally seeds the demo, listens,
 * starts background work. Shutdown runs in reverse — the server stops taking requests and drains
 * those in flight, background work stops, the store closes — and then this resolves, so the
 * process exits 0. A failure during start-up undoes what was started and rejects.
 */
export async function runServer(options: RunServerOptions): Promise<void> {
  if (cluster.isWorker) return runWorker(options);
  const workers = options.workers ?? 1;
  const ctx = await openAppContext(loadConfig(), { migrate: true });
  let app: FastifyInstance | undefined;
  let background: BackgroundWork | undefined;
  let pool: WorkerPool | undefined;
  try {
    if (options.seedDemo) await seedDemoIfEmpty(ctx);
    let url: string;
    if (workers > 1) {
      pool = new WorkerPool(ctx.log, workers, options.tls !== undefined);
      url = await pool.start();
    } else {
      app = await startServer(ctx, { port: options.port, host: options.host, tls: options.tls });
      url = serverUrl(app);
    }
    background = await startBackgroundWork(ctx);
    ctx.log.info(
      { url, engine: ctx.engine, store: ctx.store.location, workers },
      `tenantry is serving on ${url}`,
    );
    const signal = await waitForShutdownSignal(ctx.log);
    ctx.log.info({ signal }, "shutting down");
  } finally {
    await app?.close();
    await pool?.stop();
    await background?.stop();
    await ctx.close();
  }
  ctx.log.info("stopped");
}

/**
 * A forked HTTP process: the primary already migrated the store and runs the background work, so
 * a worker only serves. It stops like a single server, on SIGTERM from the primary or a signal
 * from the terminal.
 */
async function runWorker(options: RunServerOptions): Promise<void> {
  const ctx = await openAppContext(loadConfig());
  let app: FastifyInstance | undefined;
  try {
    app = await startServer(ctx, { port: options.port, host: options.host, tls: options.tls });
    ctx.log.info({ worker: cluster.worker?.id }, "server worker listening");
    await waitForShutdownSignal(ctx.log);
  } finally {
    await app?.close();
    await ctx.close();
    // The channel to the primary would keep this process alive.
    cluster.worker?.disconnect();
  }
}

/** The worker processes of `--workers N`: forked, replaced when they die, stopped in order. */
class WorkerPool {
  readonly #log: Logger;
  readonly #size: number;
  readonly #secure: boolean;
  #stopping = false;

  constructor(log: Logger, size: number, secure: boolean) {
    this.#log = log;
    this.#size = size;
    this.#secure = secure;
  }

  /** Forks every worker and resolves with the URL once all of them listen. */
  async start(): Promise<string> {
    cluster.on("exit", (worker, code, signal) => {
      // Decided after the pause: on Ctrl-C the workers may see the signal before this process.
      setTimeout(() => {
        if (this.#stopping) return;
        this.#log.error(
          { pid: worker.process.pid, code, signal },
          "a server worker died; starting another",
        );
        cluster.fork();
      }, RESPAWN_DELAY_MS).unref();
    });
    const started = Array.from({ length: this.#size }, () =>
      listening(cluster.fork(), this.#secure),
    );
    const urls = await Promise.all(started);
    return urls[0] as string;
  }

  /** Asks every worker to drain and stop, and waits until all have exited. */
  async stop(): Promise<void> {
    this.#stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter(
      (worker): worker is Worker => worker !== undefined && !worker.isDead(),
    );
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once("exit", () => resolve());
            worker.process.kill("SIGTERM");
          }),
      ),
    );
  }
}

/** Resolves with the worker's URL when it listens; rejects when it exits before that. */
function listening(worker: Worker, secure: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`a server worker exited with ${code} before it listened`));
    worker.once("exit", onExit);
    worker.once("listening", (address) => {
      worker.off("exit", onExit);
      const host = address.address?.includes(":") ? `[${address.address}]` : address.address;
      resolve(`${secure ? "https" : "http"}://${host}:${address.port}`);
    });
  });
}
