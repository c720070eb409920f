import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import type { MfaChallengeTable } from "./security.table.js";

export type MfaChallengeRow = Selectable<MfaChallengeTable>;

export async function insertMfaChallenge(
  db: Executor,
  row: Insertable<MfaChallengeTable>,
): Promise<void> {
  await db.insertInto("mfa_challenge").values(row).execute();
}

/** By its random id alone: the caller of the second sign-in step names no tenant. */
export async function findMfaChallenge(
  db: Executor,
  id: string,
): Promise<MfaChallengeRow | undefined> {
  return db.selectFrom("mfa_challenge").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function incrementMfaChallengeFailures(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<void> {
  await db
    .updateTable("mfa_challenge")
    .set((eb) => ({ failed_attempts: eb("failed_attempts", "+", 1) }))
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .execute();
}

/** Marks the challenge used; false when another request used it first. */
export async function useMfaChallenge(
  db: Executor,
  tenantId: string,
  id: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable("mfa_challenge")
    .set({ used_at: at })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteMfaChallengesOfUser(
  db: Executor,
  tenantId: string,
  userId: string,
): Promise<void> {
  await db
    .deleteFrom("mfa_challenge")
    .where("tenant_id", "=", tenantId)
    .where("user_id", "=", userId)
    .execute();
}
