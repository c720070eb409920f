import { recordAudit } from "../audit/index.js";
import { findTenantRow } from "../directory/tenant.repository.js";
import { findUserRowById } from "../directory/user.repository.js";
import type { AppContext } from "../shared/app-context.js";
import { isUuid } from "../shared/ids.js";
import {
  findMfaChallenge,
  incrementMfaChallengeFailures,
  useMfaChallenge,
} from "./mfa-challenge.repository.js";
import { consumeSecondFactor } from "./second-factor.service.js";
import { issueSession } from "./session.service.js";
import {
  invalidMfaChallenge,
  invalidMfaCode,
  MFA_CHALLENGE_MAX_ATTEMPTS,
  type SignInResult,
} from "./signin.js";
import { isSignInEligible, userActor } from "./signin.service.js";
import { signInThrottleKeys } from "./signin-throttle.js";
import {
  assertSignInNotThrottled,
  clearSignInFailures,
  recordSignInFailure,
} from "./signin-throttle.service.js";

export interface CompleteMfaSignInInput {
  challengeId: string;
  /** A TOTP code or an unused recovery code. */
  code: string;
  sourceAddress: string;
  requestId?: string | undefined;
}

/**
 * The second sign-in step: a challenge from `signIn` (5 minutes, 5 tries, used once) and a code.
 * A wrong code counts against the account and address throttles like a wrong password, so a
 * stolen password does not give unlimited guesses. Success gives a full session whose
 * password time is the challenge's and whose MFA time is now (step-up, SPEC §2).
 */
export async function completeMfaSignIn(
  ctx: AppContext,
  input: CompleteMfaSignInInput,
): Promise<SignInResult> {
  const now = ctx.clock.now();
  const challenge = isUuid(input.challengeId)
    ? await findMfaChallenge(ctx.db, input.challengeId)
    : undefined;
  if (
    !challenge ||
    challenge.used_at !== null ||
    challenge.expires_at <= now.toISOString() ||
    challenge.failed_attempts >= MFA_CHALLENGE_MAX_ATTEMPTS
  ) {
    throw invalidMfaChallenge();
  }
  const { tenant_id: tenantId, user_id: userId } = challenge;
  const tenant = await findTenantRow(ctx.db, tenantId);
  const user = await findUserRowById(ctx.db, tenantId, userId);
  if (
    !user ||
    !isSignInEligible(user, tenant?.state) ||
    Number(user.security_epoch) !== Number(challenge.user_epoch)
  ) {
    throw invalidMfaChallenge();
  }
  const keys = signInThrottleKeys(user.user_principal_name, input.sourceAddress);
  await assertSignInNotThrottled(ctx, [keys.account, keys.address]);

  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const actor = userActor(user, input.requestId);
    const method = await consumeSecondFactor(ctx, trx, { tenantId, userId }, input.code);
    if (method === null) {
      await incrementMfaChallengeFailures(trx, tenantId, challenge.id);
      await recordSignInFailure(ctx, trx, [keys.account, keys.address]);
      await recordAudit(ctx, trx, {
        tenantId,
        actor,
        action: "signIn.mfa",
        outcome: "failure",
        target: { type: "user", id: userId },
        details: {
          userPrincipalName: user.user_principal_name,
          sourceAddress: input.sourceAddress,
        },
      });
      return {
        ok: false as const,
        attemptsLeft: MFA_CHALLENGE_MAX_ATTEMPTS - challenge.failed_attempts - 1,
      };
    }
    if (!(await useMfaChallenge(trx, tenantId, challenge.id, now.toISOString()))) {
      throw invalidMfaChallenge(); // a twin request won: roll back this one's use of the code
    }
    const current = await findUserRowById(trx, tenantId, userId);
    if (
      !current ||
      !isSignInEligible(current, tenant?.state) ||
      Number(current.security_epoch) !== Number(challenge.user_epoch)
    ) {
      throw invalidMfaChallenge();
    }
    await clearSignInFailures(trx, keys.account);
    const issued = await issueSession(ctx, trx, {
      tenantId,
      subjectType: "user",
      subjectId: userId,
      kind: "full",
      userEpoch: Number(current.security_epoch),
      authenticatedAt: new Date(challenge.created_at),
      mfaAt: now,
    });
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "signIn.mfa",
      target: { type: "user", id: userId },
      details: {
        userPrincipalName: user.user_principal_name,
        sourceAddress: input.sourceAddress,
        method,
      },
    });
    return {
      ok: true as const,
      result: {
        kind: "signedIn" as const,
        accessToken: issued.accessToken,
        expiresIn: issued.expiresIn,
      },
    };
  });
  if (!outcome.ok) throw invalidMfaCode(Math.max(0, outcome.attemptsLeft));
  return outcome.result;
}
