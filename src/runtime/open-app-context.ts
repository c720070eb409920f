import { type Logger, pino } from "pino";
import { createSecretBox, loadMasterKey } from "../security/secret-box.js";
import type { AppContext } from "../shared/app-context.js";
import { type Clock, systemClock } from "../shared/clock.js";
import type { Config } from "../shared/config.js";
import { migrateToLatest } from "../store/migrate.js";
import { openStore, type Store } from "../store/open-store.js";

export interface OpenedApp extends AppContext {
  readonly store: Store;
  close(): Promise<void>;
}

export interface OpenAppOptions {
  clock?: Clock;
  log?: Logger;
  /** Apply pending migrations first (the server and operator commands do). */
  migrate?: boolean;
}

/** Wires the store, master key, clock and logger from the configuration. */
export async function openAppContext(
  config: Config,
  options: OpenAppOptions = {},
): Promise<OpenedApp> {
  // Logs go to stderr so that commands can print their results on stdout.
  const log = options.log ?? pino({ level: config.logLevel }, pino.destination(2));
  if (config.hashCost === "low") {
    log.warn(
      "TENANTRY_HASH_COST=low: passwords are hashed with cheap parameters (tests and demos only)",
    );
  }
  const store = openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    // The message and code only: pg attaches the whole client (its settings, its prepared
    // statements) to the error.
    onConnectionError: (error) =>
      log.warn(
        { code: (error as { code?: unknown }).code, reason: error.message },
        "an idle database connection failed; it will be replaced",
      ),
  });
  try {
    if (options.migrate !== false) {
      const { applied } = await migrateToLatest(store.db, store.engine);
      if (applied.length > 0) log.info({ applied }, "applied migrations");
    }
    const secrets = createSecretBox(
      loadMasterKey({ secretKey: config.secretKey, dataDir: config.dataDir }),
    );
    return {
      db: store.db,
      engine: store.engine,
      store,
      clock: options.clock ?? systemClock,
      config,
      secrets,
      log,
      close: () => store.close(),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
