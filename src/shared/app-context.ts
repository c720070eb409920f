import type { Logger } from "pino";
import type { SecretBox } from "../security/secret-box.js";
import type { Db } from "../store/database.js";
import type { Engine } from "../store/engine.js";
import type { Clock } from "./clock.js";
import type { Config } from "./config.js";

/**
 * What every service needs, passed explicitly (no hidden container): the store, the clock, the
 * configuration, the master-key box and a logger.
 */
export interface AppContext {
  readonly db: Db;
  readonly engine: Engine;
  readonly clock: Clock;
  readonly config: Config;
  readonly secrets: SecretBox;
  readonly log: Logger;
}
