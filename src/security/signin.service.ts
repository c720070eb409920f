import crypto from "node:crypto";
import { recordAudit } from "../audit/index.js";
import {
  findUserRowById,
  findUserRowByUpnKey,
  type UserRow,
} from "../directory/user.repository.js";
import { ROLES } from "../directory/role.js";
import { findRoleTemplateIdsOfUsers } from "../directory/role.repository.js";
import type { Actor } from "../shared/actor.js";
import { blocked } from "../shared/app-error.js";
import type { AppContext } from "../shared/app-context.js";
import type { Executor } from "../store/database.js";
import { insertMfaChallenge } from "./mfa-challenge.repository.js";
import { type HashCost, hashPassword, verifyPassword } from "./password-hash.js";
import type { Session } from "./session.js";
import { revokeSessionRow } from "./session.repository.js";
import { issueSession } from "./session.service.js";
import {
  invalidCredentials,
  MFA_CHALLENGE_TTL_MS,
  nextSignInStep,
  type SignInResult,
} from "./signin.js";
import { findTenantOfDomain } from "./signin.repository.js";
import { signInThrottleKeys, type ThrottleKey } from "./signin-throttle.js";
import {
  assertSignInNotThrottled,
  clearSignInFailures,
  recordSignInFailure,
} from "./signin-throttle.service.js";
import { hasActiveTotpMethod } from "./totp-method.repository.js";

export interface SignInInput {
  userPrincipalName: string;
  password: string;
  /** The caller's IP address, for per-address throttling. */
  sourceAddress: string;
  requestId?: string | undefined;
}

/**
 * Password sign-in (SPEC §2). The organization is the one owning the UPN's domain. Any failure is
 * the same 401 `InvalidCredentials`, and an unknown UPN still costs one password hash, so neither
 * the answer nor its timing tells whether an account exists. Throttled per account and address
 * (signin-throttle.ts); every attempt of a known organization is audited.
 */
export async function signIn(ctx: AppContext, input: SignInInput): Promise<SignInResult> {
  const keys = signInThrottleKeys(input.userPrincipalName, input.sourceAddress);
  await assertSignInNotThrottled(ctx, [keys.account, keys.address]);
  const upn = input.userPrincipalName.trim().toLowerCase();
  const tenant = await findTenantOfDomain(ctx.db, upn.slice(upn.lastIndexOf("@") + 1));
  const found = tenant ? await findUserRowByUpnKey(ctx.db, tenant.tenant_id, upn) : undefined;
  const user = found && found.deleted_at === null ? found : undefined;
  const stored = user?.password_hash ?? (await dummyHash(ctx.config.hashCost));
  const passwordOk = await verifyPassword(input.password, stored);
  const usable = (row: UserRow | undefined): row is UserRow =>
    row !== undefined && isSignInEligible(row, tenant?.state);

  if (!passwordOk || !user?.password_hash || !usable(user)) {
    const reason = !user ? "unknownUser" : passwordOk ? "accountDisabled" : "wrongPassword";
    await recordRefusedSignIn(ctx, input, { keys, tenant, userId: user?.id ?? null, reason });
    throw invalidCredentials();
  }

  return ctx.db.transaction().execute(async (trx) => {
    // Read again inside the transaction: the session must carry the current security epoch, and
    // a password changed or an account disabled since the check above wins.
    const row = await findUserRowById(trx, user.tenant_id, user.id);
    if (!usable(row) || row.password_hash !== user.password_hash) throw invalidCredentials();
    if (tenant?.state === "closing") await assertMaySignInWhileClosing(trx, row);
    return continueSignIn(ctx, trx, row, {
      sourceAddress: input.sourceAddress,
      requestId: input.requestId,
      accountKey: keys.account,
    });
  });
}

/**
 * Counts a refused sign-in against the throttles and audits it in the organization that owns the
 * domain (actor `system`: nobody was identified). Without a live organization there is no log to
 * write to; the refusal is logged instead.
 */
async function recordRefusedSignIn(
  ctx: AppContext,
  input: SignInInput,
  facts: {
    keys: ReturnType<typeof signInThrottleKeys>;
    tenant: { tenant_id: string; state: string } | undefined;
    userId: string | null;
    reason: string;
  },
): Promise<void> {
  const { keys, tenant, userId, reason } = facts;
  const { requestId, sourceAddress } = input;
  await ctx.db.transaction().execute(async (trx) => {
    await recordSignInFailure(ctx, trx, [keys.account, keys.address]);
    if (tenant && tenant.state !== "deleted") {
      await recordAudit(ctx, trx, {
        tenantId: tenant.tenant_id,
        actor: { type: "system", requestId },
        action: "signIn",
        outcome: "failure",
        target: { type: "user", id: userId },
        details: { userPrincipalName: input.userPrincipalName, sourceAddress, reason },
      });
    } else {
      ctx.log.info(
        { requestId, sourceAddress, reason: "unknownOrganization" },
        "sign-in refused: no live organization owns the domain",
      );
    }
  });
}

export interface ContinueSignInOptions {
  sourceAddress: string;
  requestId?: string | undefined;
  accountKey: ThrottleKey;
}

/**
 * The steps after a correct password, in the caller's transaction: a password-change session, an
 * MFA challenge, an MFA-registration session or a full session (signin.ts `nextSignInStep`).
 */
export async function continueSignIn(
  ctx: AppContext,
  trx: Executor,
  row: UserRow,
  options: ContinueSignInOptions,
): Promise<SignInResult> {
  const now = ctx.clock.now();
  const step = nextSignInStep({
    forceChangePassword: Boolean(row.force_change_password),
    perUserMfaState: row.per_user_mfa_state,
    hasActiveMethod: await hasActiveTotpMethod(trx, row.tenant_id, row.id),
  });
  const session = {
    tenantId: row.tenant_id,
    subjectType: "user" as const,
    subjectId: row.id,
    userEpoch: Number(row.security_epoch),
    authenticatedAt: now,
  };
  let result: SignInResult;
  if (step === "mfaChallenge") {
    const challengeId = crypto.randomUUID();
    await insertMfaChallenge(trx, {
      tenant_id: row.tenant_id,
      id: challengeId,
      user_id: row.id,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + MFA_CHALLENGE_TTL_MS).toISOString(),
      used_at: null,
      failed_attempts: 0,
      user_epoch: Number(row.security_epoch),
    });
    result = { kind: "mfaRequired", challengeId, expiresIn: MFA_CHALLENGE_TTL_MS / 1000 };
  } else {
    // The password was right and no second factor is due: this attempt succeeded.
    await clearSignInFailures(trx, options.accountKey);
    const issued = await issueSession(ctx, trx, { ...session, kind: step });
    result =
      step === "passwordChange"
        ? {
            kind: "passwordChangeRequired",
            changeToken: issued.accessToken,
            expiresIn: issued.expiresIn,
          }
        : {
            kind: step === "full" ? "signedIn" : "mfaRegistrationRequired",
            accessToken: issued.accessToken,
            expiresIn: issued.expiresIn,
          };
  }
  await recordAudit(ctx, trx, {
    tenantId: row.tenant_id,
    actor: userActor(row, options.requestId),
    action: "signIn",
    target: { type: "user", id: row.id },
    details: {
      userPrincipalName: row.user_principal_name,
      sourceAddress: options.sourceAddress,
      next: result.kind,
    },
  });
  return result;
}

/** Ends the session of the request (sign-out), audited. */
export async function signOut(
  ctx: AppContext,
  session: Session,
  requestId?: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await revokeSessionRow(trx, session.tenantId, session.id, ctx.clock.now().toISOString());
    const actor: Actor =
      session.subjectType === "user"
        ? { type: "user", tenantId: session.tenantId, userId: session.subjectId, requestId }
        : {
            type: "application",
            tenantId: session.tenantId,
            applicationId: session.subjectId,
            requestId,
          };
    await recordAudit(ctx, trx, {
      tenantId: session.tenantId,
      actor,
      action: "signOut",
      target: { type: session.subjectType, id: session.subjectId },
    });
  });
}

/**
 * While the guided closure runs the organization is frozen and only its Global Administrators may
 * sign in (to follow or cancel the closure); everyone else is told why (SPEC §6). The password was
 * right, so the refusal reveals nothing the caller did not know.
 */
async function assertMaySignInWhileClosing(trx: Executor, row: UserRow): Promise<void> {
  const roles = await findRoleTemplateIdsOfUsers(trx, row.tenant_id, [row.id]);
  if (roles.get(row.id)?.includes(ROLES.globalAdministrator.roleTemplateId)) return;
  throw blocked(
    "TENANT_CLOSING",
    "This organization is being closed: only its Global Administrators can sign in until the closure is cancelled.",
  );
}

/** Who may sign in: an enabled user in the directory (not the recycle bin) of a live organization. */
export function isSignInEligible(row: UserRow, tenantState: string | undefined): boolean {
  return (
    row.deleted_at === null &&
    Boolean(row.account_enabled) &&
    row.password_hash !== null &&
    tenantState !== undefined &&
    tenantState !== "deleted"
  );
}

export function userActor(row: Pick<UserRow, "tenant_id" | "id">, requestId?: string): Actor {
  return { type: "user", tenantId: row.tenant_id, userId: row.id, requestId };
}

const dummyHashes = new Map<HashCost, Promise<string>>();

/** A hash of the configured cost to verify against when the UPN is unknown (equal timing). */
function dummyHash(cost: HashCost): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = hashPassword(crypto.randomBytes(18).toString("base64"), cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}
