import { loadTenant, requirePermission } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import { forbidden, notFound } from "../shared/app-error.js";
import type { Executor } from "../store/database.js";
import { findLiveUserId } from "./content-owner.repository.js";

/** Whose content a request is about: a user by id or user principal name, or the caller (`me`). */
export type ContentOwnerRef = { idOrUpn: string } | "me";

/**
 * The owner's user id, once the actor may reach that content. SPEC §1: a user's mail and files
 * are read by that user only — no admin role, not even Global Administrator. So:
 * - a user id of another tenant, or of no user: 404 (as for any user, nothing leaks);
 * - a soft-deleted owner: 404 — its content stays until purge, but nobody reaches it;
 * - a live user of the tenant other than the caller: 403 INSUFFICIENT_ROLE;
 * - `me` for an application (no user of its own): 403 CONTENT_NEEDS_USER.
 * The operator and the system act on the store itself (the demo seeds content so).
 */
export async function authorizeContentOwner(
  db: Executor,
  actor: Actor,
  tenantId: string,
  owner: ContentOwnerRef,
): Promise<string> {
  await loadTenant(db, actor, tenantId);
  if (owner === "me" && actor.type !== "user") {
    throw forbidden("CONTENT_NEEDS_USER", "Only a signed-in user has a mailbox and a drive.");
  }
  const idOrUpn = owner === "me" ? (actor as { userId: string }).userId : owner.idOrUpn;
  const userId = await findLiveUserId(db, tenantId, idOrUpn);
  if (userId === undefined) {
    throw notFound("USER_NOT_FOUND", `No user ${idOrUpn} in this organization.`);
  }
  const isSelf = actor.type === "user" && actor.userId === userId;
  await requirePermission(db, actor, tenantId, "content.read", { isSelf });
  return userId;
}
