import type { AppContext } from "../shared/app-context.js";
import { type Session, stepUpBlocker } from "./session.js";
import { hasActiveTotpMethod } from "./totp-method.repository.js";

/**
 * Throws 403 `StepUpRequired` unless the session may do something destructive now (purge, tenant
 * deletion, closure; SPEC §2): a full session whose password was checked within the last 10
 * minutes and, when its user has an active MFA method, whose second factor was too. Call it
 * before the destructive work, with the request's session.
 */
export async function assertStepUp(
  ctx: Pick<AppContext, "db" | "clock">,
  session: Session,
): Promise<void> {
  const hasMethod =
    session.subjectType === "user" &&
    (await hasActiveTotpMethod(ctx.db, session.tenantId, session.subjectId));
  const blocker = stepUpBlocker(session, ctx.clock.now(), hasMethod);
  if (blocker) throw blocker;
}
