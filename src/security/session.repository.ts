import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import type { AuthSessionTable } from "./security.table.js";

export type SessionRow = Selectable<AuthSessionTable>;

export async function insertSession(
  db: Executor,
  row: Insertable<AuthSessionTable>,
): Promise<void> {
  await db.insertInto("auth_session").values(row).execute();
}

export async function findSessionByTokenHash(
  db: Executor,
  tokenHash: string,
): Promise<SessionRow | undefined> {
  return db
    .selectFrom("auth_session")
    .selectAll()
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export async function revokeSessionRow(
  db: Executor,
  tenantId: string,
  id: string,
  at: string,
): Promise<void> {
  await db
    .updateTable("auth_session")
    .set({ revoked_at: at })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .execute();
}

/** Facts about a session's user that decide whether the session still works. */
export async function findSessionUserState(
  db: Executor,
  tenantId: string,
  userId: string,
): Promise<
  | {
      account_enabled: unknown;
      deleted_at: string | null;
      security_epoch: number;
      tenant_state: string;
    }
  | undefined
> {
  return db
    .selectFrom("app_user as u")
    .innerJoin("tenant as t", "t.id", "u.tenant_id")
    .select(["u.account_enabled", "u.deleted_at", "u.security_epoch", "t.state as tenant_state"])
    .where("u.tenant_id", "=", tenantId)
    .where("u.id", "=", userId)
    .executeTakeFirst();
}

export async function findApplicationTenantState(
  db: Executor,
  tenantId: string,
  applicationId: string,
): Promise<{ tenant_state: string } | undefined> {
  return db
    .selectFrom("application as a")
    .innerJoin("tenant as t", "t.id", "a.tenant_id")
    .select(["t.state as tenant_state"])
    .where("a.tenant_id", "=", tenantId)
    .where("a.id", "=", applicationId)
    .executeTakeFirst();
}

/** Deletes sessions that expired before `before` (housekeeping). */
export async function deleteExpiredSessions(db: Executor, before: string): Promise<number> {
  const result = await db
    .deleteFrom("auth_session")
    .where("expires_at", "<", before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes MFA challenges that expired before `before`. */
export async function deleteExpiredChallenges(db: Executor, before: string): Promise<number> {
  const result = await db
    .deleteFrom("mfa_challenge")
    .where("expires_at", "<", before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes throttle counters whose last failure is older than `before`: they no longer count. */
export async function deleteStaleThrottles(db: Executor, before: string): Promise<number> {
  const result = await db
    .deleteFrom("signin_throttle")
    .where("last_failure_at", "<", before)
    .where((eb) => eb.or([eb("blocked_until", "is", null), eb("blocked_until", "<", before)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
