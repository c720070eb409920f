import QRCode from "qrcode";
import { recordAudit } from "../audit/index.js";
import { findUserRowById, updateUserRow } from "../directory/user.repository.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { conflict, forbidden, invalid, notFound } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import type { Executor } from "../store/database.js";
import { type TotpMethod, toTotpMethod } from "./mfa-method.js";
import { hashRecoveryCode, newRecoveryCodes } from "./recovery-code.js";
import { deleteRecoveryCodesOfUser, insertRecoveryCodes } from "./recovery-code.repository.js";
import { generateTotpSecret, matchTotpCode, totpUri } from "./totp.js";
import {
  activateTotpMethodRow,
  deleteTotpMethodRow,
  findTotpMethodRow,
  insertTotpMethod,
  listTotpMethodRows,
} from "./totp-method.repository.js";

/** Pending and active methods a user may hold at once. */
export const MAX_TOTP_METHODS = 5;

export interface TotpEnrolment {
  id: string;
  /** Base32, for typing into an authenticator app; shown once. */
  secretKey: string;
  otpauthUri: string;
  qrCodeSvg: string;
}

/** The signed-in user's software OATH (TOTP) methods, pending and active. */
export async function listTotpMethods(ctx: AppContext, actor: Actor): Promise<TotpMethod[]> {
  const self = selfOf(actor);
  const rows = await listTotpMethodRows(ctx.db, self.tenantId, self.userId);
  return rows.map(toTotpMethod);
}

/**
 * Starts enrolling a TOTP method: a new ≥ 20-byte secret, sealed with the master key (SPEC §2),
 * returned once with its `otpauth://` URI (issuer Tenantry, label the UPN) and QR code. The method
 * stays `pending` — it does not count as registered — until a code from it is verified.
 */
export async function startTotpEnrolment(
  ctx: AppContext,
  actor: Actor,
  options: { displayName?: string | undefined } = {},
): Promise<TotpEnrolment> {
  const self = selfOf(actor);
  const secretKey = generateTotpSecret();
  const id = newId();
  const upn = await ctx.db.transaction().execute(async (trx) => {
    const user = await findUserRowById(trx, self.tenantId, self.userId);
    if (!user) throw forbidden("ACTOR_INACTIVE", "Your account is disabled or deleted.");
    const existing = await listTotpMethodRows(trx, self.tenantId, self.userId);
    if (existing.length >= MAX_TOTP_METHODS) {
      throw conflict(
        "TOTP_METHOD_LIMIT",
        `You have ${MAX_TOTP_METHODS} authenticator app methods; delete one before adding another.`,
      );
    }
    const displayName = options.displayName?.trim() || "Authenticator app";
    await insertTotpMethod(trx, {
      tenant_id: self.tenantId,
      id,
      user_id: self.userId,
      display_name: displayName,
      secret_ciphertext: ctx.secrets.seal(secretKey),
      status: "pending",
      last_used_step: null,
      created_at: ctx.clock.now().toISOString(),
      activated_at: null,
    });
    await audit(ctx, trx, actor, "mfa.totpEnrol", { methodId: id, displayName });
    return user.user_principal_name;
  });
  const otpauthUri = totpUri(secretKey, upn);
  const qrCodeSvg = await QRCode.toString(otpauthUri, { type: "svg", errorCorrectionLevel: "M" });
  return { id, secretKey, otpauthUri, qrCodeSvg };
}

/**
 * Activates a pending method with a first code from it (±1 step). The accepted step is recorded,
 * so that code cannot sign in afterwards. A user whose per-user MFA is `enabled` becomes
 * `enforced` (SPEC §2). A wrong code is audited and refused with MFA_CODE_INVALID.
 */
export async function activateTotpMethod(
  ctx: AppContext,
  actor: Actor,
  methodId: string,
  code: string,
): Promise<TotpMethod> {
  const self = selfOf(actor);
  const now = ctx.clock.now();
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const row = await findTotpMethodRow(trx, self.tenantId, self.userId, methodId);
    if (!row) throw methodNotFound(methodId);
    if (row.status === "active") {
      throw conflict("TOTP_METHOD_ALREADY_ACTIVE", "This authenticator app is already verified.");
    }
    const secret = ctx.secrets.open(row.secret_ciphertext).toString("utf8");
    const step = matchTotpCode(secret, code, now, null);
    if (step === null) {
      await audit(ctx, trx, actor, "mfa.totpActivate", { methodId }, "failure");
      return null;
    }
    await activateTotpMethodRow(trx, self.tenantId, methodId, step, now.toISOString());
    const user = await findUserRowById(trx, self.tenantId, self.userId);
    const enforce = user?.per_user_mfa_state === "enabled";
    if (enforce) {
      await updateUserRow(trx, self.tenantId, self.userId, {
        per_user_mfa_state: "enforced",
        updated_at: now.toISOString(),
      });
    }
    await audit(ctx, trx, actor, "mfa.totpActivate", {
      methodId,
      ...(enforce ? { perUserMfaState: { from: "enabled", to: "enforced" } } : {}),
    });
    const activated = await findTotpMethodRow(trx, self.tenantId, self.userId, methodId);
    return activated ? toTotpMethod(activated) : null;
  });
  if (!outcome) {
    throw invalid("MFA_CODE_INVALID", "The code is not valid; enter the current code of the app.", {
      field: "code",
    });
  }
  return outcome;
}

/** Removes one of the signed-in user's methods. */
export async function deleteTotpMethod(
  ctx: AppContext,
  actor: Actor,
  methodId: string,
): Promise<void> {
  const self = selfOf(actor);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findTotpMethodRow(trx, self.tenantId, self.userId, methodId);
    if (!row) throw methodNotFound(methodId);
    await deleteTotpMethodRow(trx, self.tenantId, methodId);
    await audit(ctx, trx, actor, "mfa.totpDelete", { methodId, status: row.status });
  });
}

/**
 * A new set of 10 one-time recovery codes, replacing any earlier set. Returned once; only their
 * SHA-256 is stored.
 */
export async function generateRecoveryCodes(ctx: AppContext, actor: Actor): Promise<string[]> {
  const self = selfOf(actor);
  const codes = newRecoveryCodes();
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const replaced = await deleteRecoveryCodesOfUser(trx, self.tenantId, self.userId);
    await insertRecoveryCodes(
      trx,
      codes.map((code) => ({
        tenant_id: self.tenantId,
        id: newId(),
        user_id: self.userId,
        code_hash: hashRecoveryCode(code),
        created_at: now,
        used_at: null,
      })),
    );
    await audit(ctx, trx, actor, "mfa.recoveryCodesGenerate", {
      count: codes.length,
      replaced,
    });
  });
  return codes;
}

function selfOf(actor: Actor): { tenantId: string; userId: string } {
  if (actor.type !== "user") {
    throw forbidden("USER_ONLY", "Only a signed-in user manages their own authentication methods.");
  }
  return { tenantId: actor.tenantId, userId: actor.userId };
}

function methodNotFound(id: string) {
  return notFound("TOTP_METHOD_NOT_FOUND", `You have no authenticator app method ${id}.`);
}

async function audit(
  ctx: AppContext,
  trx: Executor,
  actor: Actor,
  action: string,
  details: Record<string, unknown>,
  outcome: "success" | "failure" = "success",
): Promise<void> {
  const self = selfOf(actor);
  await recordAudit(ctx, trx, {
    tenantId: self.tenantId,
    actor,
    action,
    outcome,
    target: { type: "user", id: self.userId },
    details,
  });
}
