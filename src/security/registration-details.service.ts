import { assertAllowed, loadTenant, resolveActor } from "../directory/directory-access.js";
import { isAllowed, type PerUserMfaState } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { invalid, notFound } from "../shared/app-error.js";
import type { RegistrationFilter, UserRegistration } from "./registration-details.js";
import { listUserRegistrationRows } from "./registration-details.repository.js";

export const MAX_REGISTRATION_PAGE = 999;

export interface UserRegistrationPage {
  registrations: UserRegistration[];
  /** Present when more users follow; pass it back as `cursor`. */
  nextCursor: string | null;
}

/**
 * Live users with their MFA registration and per-user MFA state, in id order, as the caller may
 * read them (`mfa.read`, SPEC §1): Global Administrators, Privileged Authentication Administrators
 * and Global Readers see everyone; Authentication Administrators see the users without a
 * directory role (whose MFA they manage); anyone else is refused (INSUFFICIENT_ROLE).
 */
export async function listUserRegistrations(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  options: { limit: number; cursor?: string | undefined; filter?: RegistrationFilter | undefined },
): Promise<UserRegistrationPage> {
  const { limit } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REGISTRATION_PAGE) {
    throw invalid(
      "LIMIT_INVALID",
      `The page size is a whole number from 1 to ${MAX_REGISTRATION_PAGE}.`,
      { field: "limit" },
    );
  }
  await loadTenant(ctx.db, actor, tenantId);
  const resolved = await resolveActor(ctx.db, actor, tenantId);
  const everyone = resolved.privileged || isAllowed(resolved.roles, "mfa.read", { isAdmin: true });
  if (!everyone) assertAllowed(resolved, "mfa.read", { isAdmin: false });
  const rows = await listUserRegistrationRows(ctx.db, tenantId, {
    afterId: options.cursor,
    limit: limit + 1,
    filter: options.filter ?? {},
    nonAdminsOnly: !everyone,
  });
  const page = rows.slice(0, limit);
  return {
    registrations: page.map(toUserRegistration),
    nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * One live user's registration, under the same rule per target: an Authentication Administrator
 * may read a user without a directory role only. An unknown id, a user in the recycle bin and
 * another organization's user are all USER_NOT_FOUND.
 */
export async function getUserRegistration(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  userId: string,
): Promise<UserRegistration> {
  await loadTenant(ctx.db, actor, tenantId);
  const resolved = await resolveActor(ctx.db, actor, tenantId);
  const [row] = await listUserRegistrationRows(ctx.db, tenantId, {
    afterId: undefined,
    limit: 1,
    filter: {},
    nonAdminsOnly: false,
    id: userId,
  });
  if (!row) throw notFound("USER_NOT_FOUND", `No user ${userId} in this organization.`);
  assertAllowed(resolved, "mfa.read", { isAdmin: Boolean(row.is_admin) });
  return toUserRegistration(row);
}

type UserRegistrationRow = Awaited<ReturnType<typeof listUserRegistrationRows>>[number];

function toUserRegistration(row: UserRegistrationRow): UserRegistration {
  return {
    id: row.id,
    userPrincipalName: row.user_principal_name,
    displayName: row.display_name,
    isAdmin: Boolean(row.is_admin),
    isMfaRegistered: Boolean(row.is_mfa_registered),
    perUserMfaState: row.per_user_mfa_state as PerUserMfaState,
    updatedDateTime: row.updated_at,
  };
}
