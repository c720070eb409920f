import { requirePermission } from "../directory/directory-access.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { isAppError } from "../shared/app-error.js";
import type { AuditEntry } from "./audit.js";
import { listAuditEntries } from "./audit.service.js";
import { BILLING_EVENTS } from "./billing-events.js";

export interface AuditLogPage {
  /** The entries of the page the caller may read, in chain order. */
  entries: AuditEntry[];
  /** Where the next page starts (`afterSeq`), or null at the end of the log. */
  nextAfterSeq: number | null;
}

/**
 * A page of the organization's audit log as the caller may read it (SPEC §1): a Global
 * Administrator or Global Reader every entry, a Billing Administrator the billing events only
 * (selected by the store, so each page is full until the last); anyone else is refused
 * (INSUFFICIENT_ROLE), another tenant is TENANT_NOT_FOUND.
 */
export async function readAuditLog(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  options: { afterSeq: number; limit: number },
): Promise<AuditLogPage> {
  const scope = await readableScope(ctx, actor, tenantId);
  const only = scope === "billing" ? BILLING_EVENTS : undefined;
  const page = await listAuditEntries(ctx, ctx.db, tenantId, { ...options, only });
  const last = page.at(-1);
  return {
    entries: page,
    nextAfterSeq: page.length === options.limit && last ? last.seq : null,
  };
}

async function readableScope(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<"all" | "billing"> {
  try {
    await requirePermission(ctx.db, actor, tenantId, "audit.read");
    return "all";
  } catch (error) {
    if (!isAppError(error) || error.code !== "INSUFFICIENT_ROLE") throw error;
    await requirePermission(ctx.db, actor, tenantId, "audit.read", { billingOnly: true });
    return "billing";
  }
}
