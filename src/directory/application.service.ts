import crypto from "node:crypto";
import { recordAudit } from "../audit/index.js";
import { clientSecretHint, hashClientSecret, newClientSecret } from "../security/client-secret.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { notFound } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import {
  type AddPasswordInput,
  type Application,
  type NewPasswordCredential,
  normalizeSecretDisplayName,
  secretEndDateTime,
} from "./application.js";
import {
  deleteApplicationRows,
  deleteApplicationSecret,
  insertApplication,
  insertApplicationSecret,
  listApplicationRows,
  updateApplicationRow,
} from "./application.repository.js";
import { loadApplication, toPasswordCredential, withSecrets } from "./application-lookup.js";
import { loadTenant, requirePermission, type Trx } from "./directory-access.js";
import { normalizeDisplayName } from "./tenant.js";
import { tenantWriteBlocker } from "./user-rules.js";

export interface CreateApplicationInput {
  displayName: string;
}

export interface UpdateApplicationInput {
  displayName?: string | undefined;
}

/**
 * The preamble of every application change: the tenant and an actor allowed to register and
 * remove applications — a Global Administrator (SPEC §1). A tenant frozen by its closure refuses
 * what adds access (new apps, secrets, renames) but still lets an admin take access away (delete
 * an app, remove a secret): "no applications" is one of the closure's deletion checks (SPEC §6).
 */
async function authorizeChange(
  trx: Trx,
  actor: Actor,
  tenantId: string,
  change: "grant" | "revoke",
): Promise<void> {
  const tenant = await loadTenant(trx, actor, tenantId);
  await requirePermission(trx, actor, tenantId, "applications.manage");
  const frozen = change === "grant" ? tenantWriteBlocker(tenant) : null;
  if (frozen) throw frozen;
}

/** Registers an application with a new, installation-wide unique client id (`appId`). */
export async function createApplication(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  input: CreateApplicationInput,
): Promise<Application> {
  const displayName = normalizeDisplayName(input.displayName);
  return ctx.db.transaction().execute(async (trx) => {
    await authorizeChange(trx, actor, tenantId, "grant");
    const id = newId();
    const appId = crypto.randomUUID();
    const now = ctx.clock.now().toISOString();
    await insertApplication(trx, {
      tenant_id: tenantId,
      id,
      app_id: appId,
      display_name: displayName,
      created_at: now,
      updated_at: now,
    });
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "application.create",
      target: { type: "application", id },
      details: { displayName, appId },
    });
    return (await loadApplication(trx, tenantId, id)).application;
  });
}

/** One application, by object id or client id (`appId`). */
export async function getApplication(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  applicationRef: string,
): Promise<Application> {
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  return (await loadApplication(ctx.db, tenantId, applicationRef)).application;
}

/** The tenant's applications, oldest first. */
export async function listApplications(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
): Promise<Application[]> {
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  return withSecrets(ctx.db, tenantId, await listApplicationRows(ctx.db, tenantId));
}

export async function updateApplication(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  applicationRef: string,
  input: UpdateApplicationInput,
): Promise<Application> {
  const displayName =
    input.displayName === undefined ? undefined : normalizeDisplayName(input.displayName);
  return ctx.db.transaction().execute(async (trx) => {
    await authorizeChange(trx, actor, tenantId, "grant");
    const { application } = await loadApplication(trx, tenantId, applicationRef);
    if (displayName === undefined || displayName === application.displayName) return application;
    await updateApplicationRow(trx, tenantId, application.id, {
      display_name: displayName,
      updated_at: ctx.clock.now().toISOString(),
    });
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "application.update",
      target: { type: "application", id: application.id },
      details: { displayName, previousDisplayName: application.displayName },
    });
    return (await loadApplication(trx, tenantId, application.id)).application;
  });
}

/**
 * Deletes an application permanently (applications have no recycle bin): its secrets and role
 * assignments go with it, and its tokens stop working at once.
 */
export async function deleteApplication(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  applicationRef: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await authorizeChange(trx, actor, tenantId, "revoke");
    const { application } = await loadApplication(trx, tenantId, applicationRef);
    await deleteApplicationRows(trx, tenantId, application.id);
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "application.delete",
      target: { type: "application", id: application.id },
      details: { displayName: application.displayName, appId: application.appId },
    });
  });
}

/**
 * Adds a client secret and returns it, the only time its text is available: only its SHA-256 is
 * stored (see security/client-secret.ts) and the audit entry names the key, never the secret.
 */
export async function addApplicationPassword(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  applicationRef: string,
  input: AddPasswordInput = {},
): Promise<NewPasswordCredential> {
  const now = ctx.clock.now();
  const displayName = normalizeSecretDisplayName(input.displayName);
  const end = secretEndDateTime(now, input.endDateTime);
  return ctx.db.transaction().execute(async (trx) => {
    await authorizeChange(trx, actor, tenantId, "grant");
    const { application } = await loadApplication(trx, tenantId, applicationRef);
    const secretText = newClientSecret();
    const row = {
      tenant_id: tenantId,
      application_id: application.id,
      key_id: crypto.randomUUID(),
      display_name: displayName,
      hint: clientSecretHint(secretText),
      secret_hash: hashClientSecret(secretText),
      created_at: now.toISOString(),
      end_at: end.toISOString(),
    };
    await insertApplicationSecret(trx, row);
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "application.addPassword",
      target: { type: "application", id: application.id },
      details: { keyId: row.key_id, displayName, endDateTime: row.end_at },
    });
    return { ...toPasswordCredential(row), secretText };
  });
}

/** Removes a client secret; tokens it already obtained live on until they expire. */
export async function removeApplicationPassword(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  applicationRef: string,
  input: { keyId: string },
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await authorizeChange(trx, actor, tenantId, "revoke");
    const { application } = await loadApplication(trx, tenantId, applicationRef);
    const removed = await deleteApplicationSecret(trx, tenantId, application.id, input.keyId);
    if (removed === 0) {
      throw notFound(
        "SECRET_NOT_FOUND",
        `Application ${application.displayName} has no client secret with keyId ${input.keyId}.`,
      );
    }
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "application.removePassword",
      target: { type: "application", id: application.id },
      details: { keyId: input.keyId },
    });
  });
}
