import { type Selectable, sql } from "kysely";
import type { Executor } from "../store/database.js";
import type { SigninThrottleTable } from "./security.table.js";

export type SigninThrottleRow = Selectable<SigninThrottleTable>;

export async function findThrottleRows(
  db: Executor,
  keys: readonly string[],
): Promise<SigninThrottleRow[]> {
  if (keys.length === 0) return [];
  return db.selectFrom("signin_throttle").selectAll().where("throttle_key", "in", keys).execute();
}

/**
 * Counts one more failure for `key`, atomically (concurrent failures are all counted); a counter
 * whose last failure is older than `forgetBefore` starts again at 1. Returns the new count.
 */
export async function incrementThrottleFailures(
  db: Executor,
  key: string,
  at: string,
  forgetBefore: string,
): Promise<number> {
  const row = await db
    .insertInto("signin_throttle")
    .values({ throttle_key: key, failures: 1, last_failure_at: at, blocked_until: null })
    .onConflict((oc) =>
      oc.column("throttle_key").doUpdateSet({
        failures: sql<number>`case when signin_throttle.last_failure_at < ${forgetBefore} then 1 else signin_throttle.failures + 1 end`,
        last_failure_at: at,
      }),
    )
    .returning("failures")
    .executeTakeFirstOrThrow();
  return Number(row.failures);
}

export async function setThrottleBlockedUntil(
  db: Executor,
  key: string,
  until: string | null,
): Promise<void> {
  await db
    .updateTable("signin_throttle")
    .set({ blocked_until: until })
    .where("throttle_key", "=", key)
    .execute();
}

export async function deleteThrottleKey(db: Executor, key: string): Promise<void> {
  await db.deleteFrom("signin_throttle").where("throttle_key", "=", key).execute();
}
