import type { Insertable } from "kysely";
import { recordAudit } from "../audit/index.js";
import { hashPassword } from "../security/password-hash.js";
import { assertPasswordAllowed } from "../security/password-policy.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { invalid, isAppError } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import { refreshStatistics } from "../store/engine.js";
import { loadTenant, requirePermission } from "./directory-access.js";
import { normalizeDisplayName } from "./tenant.js";
import { listTenantDomainNames } from "./tenant.repository.js";
import {
  normalizeExternalId,
  normalizeMail,
  normalizeMailNickname,
  parseUpn,
  upnKey,
} from "./user.js";
import { findUserRowByUpnKey, insertUsers } from "./user.repository.js";
import type { CreateUserInput } from "./user.service.js";
import type { UserTable } from "./user.table.js";
import { assertSyncChannel, tenantWriteBlocker, upnTakenError } from "./user-rules.js";

/** Imports at least this large refresh the planner's statistics afterwards. */
const BULK_LOAD_ROWS = 5000;

export type ImportUserInput = Omit<CreateUserInput, "password">;

export interface ImportUsersOptions {
  /** One initial password for every imported user, hashed once (the portal's bulk create does the same). */
  initialPassword?: string | undefined;
  forceChangePasswordNextSignIn?: boolean | undefined;
  batchSize?: number | undefined;
}

export interface ImportItemResult {
  userPrincipalName: string;
  id?: string;
  outcome: "created" | "failed";
  code?: string;
  message?: string;
}

/**
 * Creates many users quickly: every row is validated like `createUser`, rows are inserted in
 * batches of a few thousand (a long SQLite transaction would block the event loop), and each batch
 * commits with one audit entry listing its users. Invalid rows get a per-item failure; the rest go in.
 */
export async function importUsers(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  users: readonly ImportUserInput[],
  options: ImportUsersOptions = {},
): Promise<{ value: ImportItemResult[]; created: number; failed: number }> {
  const batchSize = options.batchSize ?? 2000;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) {
    throw invalid("BATCH_SIZE_INVALID", "batchSize must be between 1 and 5000.");
  }
  let passwordHash: string | null = null;
  if (options.initialPassword !== undefined) {
    // The policy's "not the user name" rule is checked against every imported UPN below.
    assertPasswordAllowed(options.initialPassword, "");
    passwordHash = await hashPassword(options.initialPassword, ctx.config.hashCost);
  }
  const results: ImportItemResult[] = [];
  for (let start = 0; start < users.length; start += batchSize) {
    const batch = users.slice(start, start + batchSize);
    const batchResults = await ctx.db.transaction().execute(async (trx) => {
      const tenant = await loadTenant(trx, actor, tenantId);
      await requirePermission(trx, actor, tenantId, "users.manage", { isAdmin: false });
      const frozen = tenantWriteBlocker(tenant);
      if (frozen) throw frozen;
      const domains = await listTenantDomainNames(trx, tenantId);
      const now = ctx.clock.now().toISOString();
      const seen = new Set<string>();
      const rows: Insertable<UserTable>[] = [];
      const itemResults: ImportItemResult[] = [];
      for (const input of batch) {
        try {
          const upn = parseUpn(input.userPrincipalName, domains);
          const key = upnKey(upn.userPrincipalName);
          if (seen.has(key)) throw upnTakenError(upn.userPrincipalName, false);
          const existing = await findUserRowByUpnKey(trx, tenantId, key);
          if (existing) throw upnTakenError(upn.userPrincipalName, existing.deleted_at !== null);
          if (input.onPremisesSyncEnabled) assertSyncChannel(actor, tenant);
          if (options.initialPassword !== undefined)
            assertPasswordAllowed(options.initialPassword, upn.userPrincipalName);
          const id = newId();
          seen.add(key);
          rows.push({
            tenant_id: tenantId,
            id,
            user_principal_name: upn.userPrincipalName,
            upn_key: key,
            display_name: normalizeDisplayName(input.displayName),
            mail: normalizeMail(input.mail),
            mail_nickname: normalizeMailNickname(input.mailNickname, upn.localPart),
            account_enabled: input.accountEnabled ?? true,
            password_hash: passwordHash,
            force_change_password:
              options.forceChangePasswordNextSignIn ?? input.forceChangePasswordNextSignIn ?? false,
            external_id: normalizeExternalId(input.externalId),
            on_premises_sync_enabled: input.onPremisesSyncEnabled ? true : null,
            per_user_mfa_state: "disabled",
            created_at: now,
            updated_at: now,
            deleted_at: null,
          });
          itemResults.push({ userPrincipalName: upn.userPrincipalName, id, outcome: "created" });
        } catch (error) {
          if (!isAppError(error)) throw error;
          itemResults.push({
            userPrincipalName: String(input.userPrincipalName),
            outcome: "failed",
            code: error.code,
            message: error.message,
          });
        }
      }
      // Multi-row inserts stay below both engines' bound-parameter limits.
      for (let i = 0; i < rows.length; i += 500) await insertUsers(trx, rows.slice(i, i + 500));
      await recordAudit(ctx, trx, {
        tenantId,
        actor,
        action: "users.import",
        target: { type: "user", id: null },
        details: {
          items: itemResults.map((r) => ({
            id: r.id,
            userPrincipalName: r.userPrincipalName,
            outcome: r.outcome,
            code: r.code,
          })),
        },
      });
      return itemResults;
    });
    results.push(...batchResults);
  }
  const created = results.filter((r) => r.outcome === "created").length;
  if (created >= BULK_LOAD_ROWS) await refreshStatistics(ctx.db, ctx.engine, "app_user");
  return { value: results, created, failed: results.length - created };
}
