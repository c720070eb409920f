import { recordAudit } from "../audit/index.js";
import { hashPassword } from "../security/password-hash.js";
import { assertPasswordAllowed } from "../security/password-policy.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { conflict, forbidden } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import type { Executor } from "../store/database.js";
import { isUniqueViolation } from "../store/engine.js";
import { loadTenant, requirePermission } from "./directory-access.js";
import { ROLES } from "./role.js";
import { insertRoleAssignment } from "./role.repository.js";
import { normalizeDisplayName, normalizeDomain, type Tenant } from "./tenant.js";
import {
  anyTenantRowExists,
  insertDomain,
  insertTenant,
  isDomainRegistered,
  updateTenantRow,
} from "./tenant.repository.js";
import { parseUpn, type User, upnKey } from "./user.js";
import { insertUsers } from "./user.repository.js";
import { loadUser } from "./user-lookup.js";

export interface CreateTenantInput {
  displayName: string;
  /** The initial domain in full, e.g. `contoso.example`; unique and never reused. */
  domain: string;
  admin: { userPrincipalName: string; displayName?: string | undefined; password: string };
}

/**
 * Creates a tenant with its initial domain and first Global Administrator (per-user MFA disabled,
 * like every new user). Only the operator (local CLI on the store) creates tenants.
 */
export async function createTenant(
  ctx: AppContext,
  actor: Actor,
  input: CreateTenantInput,
): Promise<{ tenant: Tenant; admin: User }> {
  if (actor.type !== "operator") {
    throw forbidden("OPERATOR_ONLY", "Only the operator can create organizations.");
  }
  const displayName = normalizeDisplayName(input.displayName, "name");
  const domain = normalizeDomain(input.domain);
  const upn = parseUpn(input.admin.userPrincipalName, [domain]);
  assertPasswordAllowed(input.admin.password, upn.userPrincipalName);
  const adminDisplayName = normalizeDisplayName(
    input.admin.displayName ?? upn.localPart,
    "admin display name",
  );
  const passwordHash = await hashPassword(input.admin.password, ctx.config.hashCost);
  const taken = () =>
    conflict(
      "DOMAIN_TAKEN",
      `The domain ${domain} is or was used by an organization and cannot be reused.`,
      { field: "domain" },
    );

  return ctx.db.transaction().execute(async (trx) => {
    if (await isDomainRegistered(trx, domain)) throw taken();
    const tenantId = newId();
    const adminId = newId();
    const now = ctx.clock.now().toISOString();
    await insertTenant(trx, {
      id: tenantId,
      display_name: displayName,
      initial_domain: domain,
      state: "active",
      on_premises_sync_enabled: null,
      sync_off_started_at: null,
      sync_off_completes_at: null,
      sync_reenable_after: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
    });
    try {
      await insertDomain(trx, {
        name: domain,
        tenant_id: tenantId,
        is_initial: true,
        created_at: now,
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw taken();
      throw error;
    }
    await insertUsers(trx, [
      {
        tenant_id: tenantId,
        id: adminId,
        user_principal_name: upn.userPrincipalName,
        upn_key: upnKey(upn.userPrincipalName),
        display_name: adminDisplayName,
        mail: upn.userPrincipalName,
        mail_nickname: upn.localPart,
        account_enabled: true,
        password_hash: passwordHash,
        force_change_password: false,
        external_id: null,
        on_premises_sync_enabled: null,
        per_user_mfa_state: "disabled",
        created_at: now,
        updated_at: now,
        deleted_at: null,
      },
    ]);
    await insertRoleAssignment(trx, {
      tenant_id: tenantId,
      user_id: adminId,
      role_template_id: ROLES.globalAdministrator.roleTemplateId,
      created_at: now,
    });
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "tenant.create",
      target: { type: "tenant", id: tenantId },
      details: {
        displayName,
        domain,
        adminUserId: adminId,
        adminUserPrincipalName: upn.userPrincipalName,
      },
    });
    return {
      tenant: await loadTenant(trx, actor, tenantId),
      admin: (await loadUser(trx, tenantId, adminId)).user,
    };
  });
}

export async function getTenant(ctx: AppContext, actor: Actor, tenantId: string): Promise<Tenant> {
  const tenant = await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  return tenant;
}

export async function updateTenantDisplayName(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  displayName: string,
): Promise<Tenant> {
  return ctx.db
    .transaction()
    .execute((trx) => updateTenantDisplayNameIn(ctx, trx, actor, tenantId, displayName));
}

/** `updateTenantDisplayName` inside a transaction the caller holds. */
export async function updateTenantDisplayNameIn(
  ctx: AppContext,
  trx: Executor,
  actor: Actor,
  tenantId: string,
  displayName: string,
): Promise<Tenant> {
  const name = normalizeDisplayName(displayName);
  const before = await loadTenant(trx, actor, tenantId);
  await requirePermission(trx, actor, tenantId, "tenant.update");
  await updateTenantRow(trx, tenantId, {
    display_name: name,
    updated_at: ctx.clock.now().toISOString(),
  });
  await recordAudit(ctx, trx, {
    tenantId,
    actor,
    action: "tenant.update",
    target: { type: "tenant", id: tenantId },
    details: { displayName: name, previousDisplayName: before.displayName },
  });
  return loadTenant(trx, actor, tenantId);
}

/**
 * Whether this store ever held an organization; `tenantry start` seeds the demo only when not.
 * Operator-only: it looks across tenants.
 */
export async function storeHasHadTenants(ctx: AppContext, actor: Actor): Promise<boolean> {
  if (actor.type !== "operator") {
    throw forbidden("OPERATOR_ONLY", "Only the operator can look across organizations.");
  }
  return anyTenantRowExists(ctx.db);
}
