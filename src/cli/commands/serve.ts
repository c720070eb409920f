import { type Command, InvalidArgumentError } from "commander";
import { invalid } from "../../shared/app-error.js";
import { loadConfig, MAX_WORKERS } from "../../shared/config.js";
import { readTlsFiles } from "../tls-files.js";

const DEFAULT_PORT = 8080;
const DEFAULT_HOST = "127.0.0.1";

interface ServeFlags {
  port?: number;
  host: string;
  tlsCert?: string;
  tlsKey?: string;
  workers?: number;
}

/**
 * `tenantry serve` runs the server on the configured store; `tenantry start` (what `npm start`
 * runs) does the same but first seeds the demo tenant into a store that never held a tenant.
 * Both stop gracefully on SIGINT/SIGTERM and exit 0. With `--tls-cert` and `--tls-key` they serve
 * HTTPS; the files are read and checked before the store is opened.
 */
export function registerServeCommands(program: Command): void {
  for (const [name, seedDemo, description] of [
    ["serve", false, "run the HTTP server and background work until SIGINT/SIGTERM"],
    ["start", true, "like serve, but seed the demo tenant first when the store has no tenant"],
  ] as const) {
    program
      .command(name)
      .description(description)
      .addHelpText(
        "after",
        `\nExample:\n  tenantry ${name} --port 8080\n  DATABASE_URL=postgres://localhost/tenantry tenantry ${name} --workers 2`,
      )
      .option("--port <port>", `TCP port (default: $PORT, else ${DEFAULT_PORT})`, parsePort)
      .option("--host <host>", "interface to listen on", DEFAULT_HOST)
      .option("--tls-cert <file>", "PEM certificate (chain): serve HTTPS (needs --tls-key)")
      .option("--tls-key <file>", "PEM private key of --tls-cert")
      .option(
        "--workers <n>",
        `HTTP server processes sharing the port, 1–${MAX_WORKERS} (default: $TENANTRY_WORKERS, else 1)`,
        parseWorkers,
      )
      .action(async (flags: ServeFlags) => {
        const tls = readTlsFiles(flags.tlsCert, flags.tlsKey);
        // Loaded on use, so that commands other than serve/start do not load the HTTP server.
        const { runServer } = await import("../run-server.js");
        await runServer({
          port: flags.port ?? portFromEnv(),
          host: flags.host,
          seedDemo,
          tls,
          workers: flags.workers ?? loadConfig().workers,
        });
      });
  }
}

function parsePort(value: string): number {
  const port = toPort(value);
  if (port === undefined) throw new InvalidArgumentError("expected a port number 0–65535.");
  return port;
}

function parseWorkers(value: string): number {
  const workers = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
  if (!(workers >= 1 && workers <= MAX_WORKERS)) {
    throw new InvalidArgumentError(`expected a number of processes 1–${MAX_WORKERS}.`);
  }
  return workers;
}

function portFromEnv(): number {
  const raw = process.env.PORT;
  if (raw === undefined || raw === "") return DEFAULT_PORT;
  const port = toPort(raw);
  if (port === undefined) {
    throw invalid("CONFIG_INVALID", `PORT must be a port number 0–65535, got "${raw}".`);
  }
  return port;
}

function toPort(value: string): number | undefined {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}
