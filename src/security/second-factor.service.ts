import type { AppContext } from "../shared/app-context.js";
import type { Executor } from "../store/database.js";
import { hashRecoveryCode } from "./recovery-code.js";
import { useRecoveryCode } from "./recovery-code.repository.js";
import { looksLikeTotpCode, matchTotpCode } from "./totp.js";
import { claimTotpStep, listTotpMethodRows } from "./totp-method.repository.js";

export type SecondFactor = "totp" | "recoveryCode";

/**
 * Checks a second factor and uses it up, in the caller's transaction: a TOTP code of one of the
 * user's active methods (its step is recorded, so the same code never works twice), or one of the
 * user's unused recovery codes (marked used). Null when the code is neither.
 */
export async function consumeSecondFactor(
  ctx: Pick<AppContext, "clock" | "secrets">,
  trx: Executor,
  user: { tenantId: string; userId: string },
  code: string,
): Promise<SecondFactor | null> {
  const now = ctx.clock.now();
  if (looksLikeTotpCode(code)) {
    const methods = await listTotpMethodRows(trx, user.tenantId, user.userId, "active");
    for (const method of methods) {
      const secret = ctx.secrets.open(method.secret_ciphertext).toString("utf8");
      const lastUsed = method.last_used_step === null ? null : Number(method.last_used_step);
      const step = matchTotpCode(secret, code, now, lastUsed);
      if (step !== null && (await claimTotpStep(trx, user.tenantId, method.id, step))) {
        return "totp";
      }
    }
    return null;
  }
  const used = await useRecoveryCode(
    trx,
    user.tenantId,
    user.userId,
    hashRecoveryCode(code),
    now.toISOString(),
  );
  return used ? "recoveryCode" : null;
}
