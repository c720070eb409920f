import crypto from "node:crypto";
import { openWithKey, sealWithKey } from "../security/secret-box.js";
import type { AppContext } from "../shared/app-context.js";
import { blocked } from "../shared/app-error.js";
import type { Executor } from "../store/database.js";
import { AUDIT_ERROR } from "./audit.js";
import { findAuditKey, insertAuditKeyIfAbsent } from "./audit.repository.js";

/**
 * The per-tenant data key that encrypts audit details (SPEC §5): 32 random bytes, stored wrapped
 * with the installation's master key. Destroying it (shredding) leaves the ciphertexts, and so the
 * hash chain, intact while making them unreadable.
 */

const DATA_KEY_BYTES = 32;

/**
 * The tenant's key, created on first use inside `trx`. Race-safe: concurrent creators all insert
 * with "on conflict do nothing" and then use whichever key was stored first.
 * Throws AUDIT_KEY_SHREDDED (Blocked) once the key was destroyed.
 */
export async function obtainTenantAuditKey(
  ctx: Pick<AppContext, "secrets" | "clock">,
  trx: Executor,
  tenantId: string,
): Promise<Buffer> {
  let row = await findAuditKey(trx, tenantId);
  if (row === undefined) {
    const wrapped = ctx.secrets.seal(crypto.randomBytes(DATA_KEY_BYTES));
    const createdAt = ctx.clock.now().toISOString();
    await insertAuditKeyIfAbsent(trx, {
      tenant_id: tenantId,
      wrapped_key: wrapped,
      created_at: createdAt,
    });
    row = await findAuditKey(trx, tenantId);
  }
  if (row?.wrapped_key == null) {
    throw blocked(
      AUDIT_ERROR.KEY_SHREDDED,
      "This tenant's audit key was destroyed: entries with personal details can no longer be written.",
      { tenantId },
    );
  }
  return unwrap(ctx, tenantId, row.wrapped_key);
}

/** The tenant's key for reading, or null when it was shredded or never created. */
export async function readTenantAuditKey(
  ctx: Pick<AppContext, "secrets">,
  executor: Executor,
  tenantId: string,
): Promise<Buffer | null> {
  const row = await findAuditKey(executor, tenantId);
  return row?.wrapped_key == null ? null : unwrap(ctx, tenantId, row.wrapped_key);
}

export function sealAuditDetails(key: Buffer, details: Record<string, unknown>): string {
  return sealWithKey(key, JSON.stringify(details));
}

export function openAuditDetails(key: Buffer, ciphertext: string): Record<string, unknown> {
  return JSON.parse(openWithKey(key, ciphertext).toString("utf8")) as Record<string, unknown>;
}

function unwrap(ctx: Pick<AppContext, "secrets">, tenantId: string, wrapped: string): Buffer {
  try {
    return ctx.secrets.open(wrapped);
  } catch (error) {
    // Not an AppError: no caller can fix this; the operator must restore the right master key.
    throw new Error(
      `The audit key of tenant ${tenantId} cannot be unwrapped: is the master key (TENANTRY_SECRET_KEY or secret.key) the one this store was created with?`,
      { cause: error },
    );
  }
}
