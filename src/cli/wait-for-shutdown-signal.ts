import type { Logger } from "pino";

/**
 * Resolves on the first SIGINT or SIGTERM, so the caller can shut down in order. A second signal
 * while shutting down means the operator is out of patience: the process exits at once with 130.
 */
export function waitForShutdownSignal(log: Logger): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const forceExit = (signal: NodeJS.Signals) => {
      log.warn({ signal }, "second signal during shutdown: exiting without waiting");
      process.exit(130);
    };
    const onSignal = (signal: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.once("SIGINT", forceExit);
      process.once("SIGTERM", forceExit);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
