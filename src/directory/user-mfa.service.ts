import { recordAudit } from "../audit/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { assertAllowed, loadTenant, resolveActor } from "./directory-access.js";
import { isAdminUser, type PerUserMfaState, parseMfaState, type User } from "./user.js";
import { updateUserRow } from "./user.repository.js";
import { loadUser } from "./user-lookup.js";

/**
 * Sets a user's per-user MFA state (SPEC §1: Authentication Administrator for non-admins,
 * Privileged Authentication Administrator and Global Administrator for everyone).
 */
export async function setPerUserMfaState(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  userIdOrUpn: string,
  state: PerUserMfaState | string,
): Promise<User> {
  const wanted = parseMfaState(state);
  return ctx.db.transaction().execute(async (trx) => {
    await loadTenant(trx, actor, tenantId);
    const resolved = await resolveActor(trx, actor, tenantId);
    const { user } = await loadUser(trx, tenantId, userIdOrUpn);
    assertAllowed(resolved, "mfa.manage", { isAdmin: isAdminUser(user) });
    if (user.perUserMfaState === wanted) return user;
    await updateUserRow(trx, tenantId, user.id, {
      per_user_mfa_state: wanted,
      updated_at: ctx.clock.now().toISOString(),
    });
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "user.mfaStateChange",
      target: { type: "user", id: user.id },
      details: {
        userPrincipalName: user.userPrincipalName,
        from: user.perUserMfaState,
        to: wanted,
      },
    });
    return (await loadUser(trx, tenantId, user.id)).user;
  });
}
