/** First retry delay after a failed run; each further failure doubles it. */
export const BASE_BACKOFF_MS = 5_000;

/** Default cap, so that a job failing for days is still retried every hour. */
export const DEFAULT_MAX_BACKOFF_MS = 60 * 60 * 1000;

/**
 * How long to wait before retrying a job that has now failed `attempts` times (≥ 1):
 * 5 s, 10 s, 20 s, … capped at `maxMs`. Always positive, so a poison job never spins.
 */
export function backoffDelayMs(attempts: number, maxMs: number = DEFAULT_MAX_BACKOFF_MS): number {
  const exponent = Math.min(Math.max(attempts, 1) - 1, 30);
  return Math.max(1, Math.min(maxMs, BASE_BACKOFF_MS * 2 ** exponent));
}
