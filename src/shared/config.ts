import path from "node:path";
import { invalid } from "./app-error.js";

/**
 * Everything an operator can set, read once from the environment at start-up.
 * Durations are in seconds in the environment and milliseconds here.
 */
export interface Config {
  /** Folder for the SQLite file and the key file; `TENANTRY_DATA_DIR`, default `./data`. */
  dataDir: string;
  /** PostgreSQL connection string; when absent the embedded SQLite store is used. */
  databaseUrl: string | undefined;
  /** `low` selects cheap password hashing for tests, demos and benchmarks (SPEC §2). */
  hashCost: "default" | "low";
  /** How long turning directory sync off takes; `TENANTRY_SYNC_OFF_DELAY` seconds, default 1 h. */
  syncOffDelayMs: number;
  /**
   * How long a deleted (marked) subscription waits before it is deprovisioned; reactivation is
   * possible until then (SPEC §3). `TENANTRY_DEPROVISION_DELAY` seconds, default 72 h as Microsoft.
   */
  deprovisionDelayMs: number;
  /** Master key (base64, 32 bytes) when several processes share one PostgreSQL; else a key file. */
  secretKey: string | undefined;
  /** How often the scheduler looks for due work; `TENANTRY_SCHEDULER_POLL_MS`, default 1000. */
  schedulerPollMs: number;
  logLevel: string;
  /**
   * Which reverse proxies to believe about the client's address (`X-Forwarded-For`), as Fastify's
   * `trustProxy`: `TENANTRY_TRUST_PROXY` = `true`, or a comma-separated list of
   * addresses/CIDRs. Default: none, so sign-in throttling by address sees the direct peer.
   */
  trustProxy: boolean | string;
  /** Requests per minute per access token (or per address without one); `TENANTRY_RATE_LIMIT`. */
  rateLimitPerMinute: number;
  /**
   * HTTP server processes for `serve`/`start` (`TENANTRY_WORKERS`, default 1; `--workers`
   * overrides). The rate limit is counted in each process.
   */
  workers: number;
  /**
   * Largest file a user may upload to their drive, in bytes (SPEC §4); `TENANTRY_MAX_FILE_BYTES`,
   * default 4 MiB. Larger uploads are refused with 413.
   */
  maxFileBytes: number;
  /**
   * How long the guided closure waits before its irreversible phase, while any Global
   * Administrator may cancel it (SPEC §6); `TENANTRY_CLOSURE_COOLING_OFF` seconds, default 24 h.
   */
  closureCoolingOffMs: number;
  /**
   * How long a process's claim on closure work holds without being renewed; a dead process's work
   * is taken over after it (SPEC §7). `TENANTRY_LEASE_SECONDS`, default 30.
   */
  leaseMs: number;
}

/** More server processes than this is a typo, not a deployment. */
export const MAX_WORKERS = 64;

/** Files are held in memory while uploaded and stored in one row: beyond this, use a file store. */
export const MAX_FILE_BYTES_LIMIT = 256 * 1024 * 1024;
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;

export const DEFAULT_SYNC_OFF_DELAY_SECONDS = 3600;
export const DEFAULT_DEPROVISION_DELAY_SECONDS = 259_200;
export const DEFAULT_CLOSURE_COOLING_OFF_SECONDS = 86_400;
export const DEFAULT_LEASE_SECONDS = 30;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    dataDir: path.resolve(env.TENANTRY_DATA_DIR || "data"),
    databaseUrl: env.DATABASE_URL || undefined,
    hashCost: parseHashCost(env.TENANTRY_HASH_COST),
    syncOffDelayMs:
      readSeconds(env, "TENANTRY_SYNC_OFF_DELAY", DEFAULT_SYNC_OFF_DELAY_SECONDS) * 1000,
    deprovisionDelayMs:
      readSeconds(env, "TENANTRY_DEPROVISION_DELAY", DEFAULT_DEPROVISION_DELAY_SECONDS) * 1000,
    secretKey: env.TENANTRY_SECRET_KEY || undefined,
    schedulerPollMs: readInteger(env, "TENANTRY_SCHEDULER_POLL_MS", 1000),
    logLevel: env.TENANTRY_LOG_LEVEL || "info",
    trustProxy: parseTrustProxy(env.TENANTRY_TRUST_PROXY),
    rateLimitPerMinute: readPositive(env, "TENANTRY_RATE_LIMIT", 6000),
    workers: readWorkers(env),
    maxFileBytes: readMaxFileBytes(env),
    closureCoolingOffMs:
      readSeconds(env, "TENANTRY_CLOSURE_COOLING_OFF", DEFAULT_CLOSURE_COOLING_OFF_SECONDS) * 1000,
    leaseMs: readPositive(env, "TENANTRY_LEASE_SECONDS", DEFAULT_LEASE_SECONDS) * 1000,
  };
}

function parseHashCost(value: string | undefined): Config["hashCost"] {
  if (value === undefined || value === "" || value === "default") return "default";
  if (value === "low") return "low";
  throw invalid("CONFIG_INVALID", `TENANTRY_HASH_COST must be "low" or "default", got "${value}".`);
}

function parseTrustProxy(value: string | undefined): Config["trustProxy"] {
  if (value === undefined || value === "" || value === "false") return false;
  if (value === "true") return true;
  if (/^[0-9a-fA-F.:/,\s]+$/.test(value)) return value;
  throw invalid(
    "CONFIG_INVALID",
    `TENANTRY_TRUST_PROXY must be true, false or a list of addresses, got "${value}".`,
  );
}

function readWorkers(env: NodeJS.ProcessEnv): number {
  const workers = readPositive(env, "TENANTRY_WORKERS", 1);
  if (workers > MAX_WORKERS) {
    throw invalid("CONFIG_INVALID", `TENANTRY_WORKERS must be at most ${MAX_WORKERS}.`);
  }
  return workers;
}

function readMaxFileBytes(env: NodeJS.ProcessEnv): number {
  const bytes = readPositive(env, "TENANTRY_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES);
  if (bytes > MAX_FILE_BYTES_LIMIT) {
    throw invalid(
      "CONFIG_INVALID",
      `TENANTRY_MAX_FILE_BYTES must be at most ${MAX_FILE_BYTES_LIMIT}, got "${env.TENANTRY_MAX_FILE_BYTES}".`,
    );
  }
  return bytes;
}

function readPositive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = readInteger(env, name, fallback);
  if (value < 1) throw invalid("CONFIG_INVALID", `${name} must be at least 1, got "${env[name]}".`);
  return value;
}

function readSeconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  return readInteger(env, name, fallback);
}

function readInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw invalid("CONFIG_INVALID", `${name} must be a whole number ≥ 0, got "${raw}".`);
  }
  return value;
}
