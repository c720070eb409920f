import type { AppContext } from "../shared/app-context.js";
import type { Executor } from "../store/database.js";
import type { SignedCertificate } from "./certificate.js";
import { signWithKey } from "./certificate-signature.js";
import { ensureSigningKey } from "./signing-key.service.js";

/**
 * Signs a deletion certificate's body with the installation's current key (created on first use,
 * see ensureSigningKey): the body plus `algorithm`, `keyId`, `publicKey` and `signature`, which
 * `verifyCertificate` checks offline. The body is signed as given (its shape is the closure's).
 */
export async function signCertificate(
  ctx: Pick<AppContext, "engine" | "clock" | "secrets">,
  db: Executor,
  body: Record<string, unknown>,
): Promise<SignedCertificate> {
  return signWithKey(body, await ensureSigningKey(ctx, db));
}
