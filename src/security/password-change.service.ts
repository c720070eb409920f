import { recordAudit } from "../audit/index.js";
import { bumpSecurityEpoch, findUserRowById, updateUserRow } from "../directory/user.repository.js";
import type { AppContext } from "../shared/app-context.js";
import { AppError, invalid } from "../shared/app-error.js";
import { hashPassword, verifyPassword } from "./password-hash.js";
import { assertPasswordAllowed } from "./password-policy.js";
import type { Session } from "./session.js";
import { revokeSessionRow } from "./session.repository.js";
import { authenticateAccessToken } from "./session.service.js";
import type { SignInResult } from "./signin.js";
import { continueSignIn, userActor } from "./signin.service.js";
import { signInThrottleKeys } from "./signin-throttle.js";

export interface ChangePasswordInput {
  /** The `passwordChange` session's token that sign-in gave. */
  changeToken: string;
  newPassword: string;
  sourceAddress: string;
  requestId?: string | undefined;
}

/**
 * Completes a required password change (`force_change_password`): the policy of SPEC §2, a
 * password different from the old one, then the new hash, the flag cleared and the user's
 * security epoch bumped (every older session ends) in one audited transaction. Answers like a
 * sign-in: a token, or the MFA step.
 */
export async function changePasswordWithToken(
  ctx: AppContext,
  input: ChangePasswordInput,
): Promise<SignInResult> {
  const session = await authenticatePasswordChange(ctx, input.changeToken);
  const user = await findUserRowById(ctx.db, session.tenantId, session.subjectId);
  if (!user) throw invalidChangeToken();
  assertPasswordAllowed(input.newPassword, user.user_principal_name);
  if (user.password_hash && (await verifyPassword(input.newPassword, user.password_hash))) {
    throw invalid("PASSWORD_UNCHANGED", "Choose a password different from the current one.", {
      field: "newPassword",
    });
  }
  const passwordHash = await hashPassword(input.newPassword, ctx.config.hashCost);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now().toISOString();
    await updateUserRow(trx, session.tenantId, user.id, {
      password_hash: passwordHash,
      force_change_password: false,
      updated_at: now,
    });
    await bumpSecurityEpoch(trx, session.tenantId, user.id);
    await revokeSessionRow(trx, session.tenantId, session.id, now);
    await recordAudit(ctx, trx, {
      tenantId: session.tenantId,
      actor: userActor(user, input.requestId),
      action: "user.passwordChange",
      target: { type: "user", id: user.id },
      details: { userPrincipalName: user.user_principal_name },
    });
    const changed = await findUserRowById(trx, session.tenantId, user.id);
    if (!changed) throw invalidChangeToken();
    return continueSignIn(ctx, trx, changed, {
      sourceAddress: input.sourceAddress,
      requestId: input.requestId,
      accountKey: signInThrottleKeys(user.user_principal_name, input.sourceAddress).account,
    });
  });
}

async function authenticatePasswordChange(ctx: AppContext, token: string): Promise<Session> {
  const session = await authenticateAccessToken(ctx, token);
  if (session.kind !== "passwordChange" || session.subjectType !== "user") {
    throw invalidChangeToken();
  }
  return session;
}

function invalidChangeToken(): AppError {
  return new AppError(
    "Unauthorized",
    "InvalidAuthenticationToken",
    "The password-change token is missing, expired or used; sign in again.",
  );
}
