import { recordAudit } from "../audit/index.js";
import { assertAllowed, loadTenant, resolveActor } from "../directory/directory-access.js";
import type { PerUserMfaState } from "../directory/index.js";
import { isAdminUser } from "../directory/user.js";
import { bumpSecurityEpoch } from "../directory/user.repository.js";
import { loadUser } from "../directory/user-lookup.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { deleteMfaChallengesOfUser } from "./mfa-challenge.repository.js";
import { deleteRecoveryCodesOfUser } from "./recovery-code.repository.js";
import { deleteTotpMethodsOfUser } from "./totp-method.repository.js";

/**
 * A user's per-user MFA state. Readable by the user themselves, by whoever may change it
 * (Authentication Administrator for non-admins, Privileged Authentication Administrator and
 * Global Administrator for all, SPEC §1) and by Global Readers (`mfa.read`).
 */
export async function getPerUserMfaState(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  userIdOrUpn: string,
): Promise<PerUserMfaState> {
  await loadTenant(ctx.db, actor, tenantId);
  const resolved = await resolveActor(ctx.db, actor, tenantId);
  const { user } = await loadUser(ctx.db, tenantId, userIdOrUpn);
  if (resolved.userId !== user.id) {
    assertAllowed(resolved, "mfa.read", { isAdmin: isAdminUser(user) });
  }
  return user.perUserMfaState;
}

/**
 * Resets a user's MFA methods (lost phone): deletes their TOTP methods, recovery codes and
 * pending sign-in challenges, and bumps their security epoch so every session they hold ends.
 * Needs `mfa.manage` on the user. Their per-user MFA state stays: when it is `enabled` or
 * `enforced`, their next sign-in gets a registration-only session.
 */
export async function resetMfaMethods(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  userIdOrUpn: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await loadTenant(trx, actor, tenantId);
    const resolved = await resolveActor(trx, actor, tenantId);
    const { user } = await loadUser(trx, tenantId, userIdOrUpn);
    assertAllowed(resolved, "mfa.manage", { isAdmin: isAdminUser(user) });
    const totpMethods = await deleteTotpMethodsOfUser(trx, tenantId, user.id);
    const recoveryCodes = await deleteRecoveryCodesOfUser(trx, tenantId, user.id);
    await deleteMfaChallengesOfUser(trx, tenantId, user.id);
    await bumpSecurityEpoch(trx, tenantId, user.id);
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "mfa.methodsReset",
      target: { type: "user", id: user.id },
      details: { userPrincipalName: user.userPrincipalName, totpMethods, recoveryCodes },
    });
  });
}
