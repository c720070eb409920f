import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../store/database.js";
import { PreparedQuery } from "../store/prepared-query.js";
import type { AuthSessionTable } from "./security.table.js";

export type SessionRow = Selectable<AuthSessionTable>;

export async function insertSession(
  db: Executor,
  row: Insertable<AuthSessionTable>,
): Promise<void> {
  await db.insertInto("auth_session").values(row).execute();
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

/**
 * A session by its token's hash together with everything that decides whether it still works —
 * its tenant's state and its user's (or application's) — and the user's roles, in one round trip,
 * since every authenticated request asks (and most then check a role).
 */
export async function findSessionWithSubjectState(db: Executor, tokenHash: string) {
  const rows = await sessionWithSubjectState.execute(db, { tokenHash });
  const first = rows[0];
  if (!first) return undefined;
  const { user_role_template_id: _, ...session } = first;
  return {
    ...session,
    user_role_template_ids: rows.flatMap((r) =>
      r.user_role_template_id === null ? [] : [r.user_role_template_id],
    ),
  };
}

const sessionWithSubjectState = new PreparedQuery((db: Executor, args: { tokenHash: string }) =>
  db
    .selectFrom("auth_session as s")
    .innerJoin("tenant as t", "t.id", "s.tenant_id")
    .leftJoin("app_user as u", (join) =>
      join
        .onRef("u.tenant_id", "=", "s.tenant_id")
        .onRef("u.id", "=", "s.subject_id")
        .on("s.subject_type", "=", "user"),
    )
    .leftJoin("role_assignment as ra", (join) =>
      join.onRef("ra.tenant_id", "=", "u.tenant_id").onRef("ra.user_id", "=", "u.id"),
    )
    .leftJoin("application as a", (join) =>
      join
        .onRef("a.tenant_id", "=", "s.tenant_id")
        .onRef("a.id", "=", "s.subject_id")
        .on("s.subject_type", "=", "application"),
    )
    .selectAll("s")
    .select([
      "t.state as tenant_state",
      "u.id as user_id",
      "u.account_enabled as user_account_enabled",
      "u.deleted_at as user_deleted_at",
      "u.security_epoch as user_security_epoch",
      "a.id as application_id",
      "ra.role_template_id as user_role_template_id",
    ])
    .where("s.token_hash", "=", args.tokenHash)
    .orderBy("ra.role_template_id"),
);
