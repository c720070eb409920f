import type { AppContext } from "../shared/app-context.js";
import { notFound } from "../shared/app-error.js";
import { type ArchiveSink, ArchiveWriter } from "./archive-writer.js";
import { BACKUP_ERROR, type ExportSummary } from "./backup.js";
import { writeCommerceEntries } from "./export-commerce.js";
import { writeAuditEntries, writeContentEntries } from "./export-content.js";
import { writeDirectoryEntries } from "./export-directory.js";
import { findTenantForExport, listTenantDomainsForExport } from "./export-directory.repository.js";
import { nullableBool } from "./export-rows.js";

export interface WriteTenantExportOptions {
  /** Called after each entry is written (progress). */
  onEntry?: (path: string) => void;
}

/**
 * Streams the backup archive of one tenant (SPEC §6 "Backup export"): a tar.gz of
 * `organization.json`, JSON Lines parts of role assignments, users, groups, group members,
 * applications, subscriptions, license assignments, payment methods, invoices (with lines),
 * payments, credits and the audit log, every user's messages and files, with the manifest in
 * two levels (backup.ts, layout): `manifest/part-NNNNN.jsonl` after every 1,000 entries, listing
 * their size and SHA-256, and last `manifest.json` listing the parts.
 *
 * Contract:
 * - Never a secret: no password hashes, TOTP secrets, recovery codes, session or reader tokens,
 *   application secrets (nor their hints), payment processor tokens or audit keys.
 * - Memory stays flat: rows are read in keyset pages of ~1,000, every entry is bounded
 *   (backup.ts PART_MAX_ROWS/PART_MAX_BYTES, one file's bytes), each gzip chunk is awaited
 *   through `sink` before more is read, and the manifest is written as the archive goes (one
 *   open part of 1,000 lines; one small record per part). bench/export-memory.ts measures it.
 * - Reads without a long transaction: the caller keeps the tenant frozen (the closure does) or
 *   accepts a backup of a tenant that changes meanwhile.
 * - `sha256`/`bytes` describe the archive exactly as `sink` received it.
 */
export async function writeTenantExport(
  ctx: AppContext,
  tenantId: string,
  sink: ArchiveSink,
  options: WriteTenantExportOptions = {},
): Promise<ExportSummary> {
  const tenant = await findTenantForExport(ctx.db, tenantId);
  if (!tenant) {
    throw notFound(BACKUP_ERROR.TENANT_NOT_FOUND, `No organization with id ${tenantId}.`);
  }
  const now = ctx.clock.now();
  const writer = new ArchiveWriter(sink, now, options.onEntry);
  const add = (path: string, data: Buffer) => writer.add(path, data);
  const counts: Record<string, number> = {};
  try {
    const domains = await listTenantDomainsForExport(ctx.db, tenantId);
    const organization = {
      id: tenant.id,
      displayName: tenant.display_name,
      initialDomain: tenant.initial_domain,
      state: tenant.state,
      onPremisesSyncEnabled: nullableBool(tenant.on_premises_sync_enabled),
      createdDateTime: tenant.created_at,
      deletedDateTime: tenant.deleted_at,
      domains: domains.map((d) => ({
        name: d.name,
        isInitial: Boolean(d.is_initial),
        createdDateTime: d.created_at,
      })),
    };
    await add("organization.json", Buffer.from(`${JSON.stringify(organization, null, 2)}\n`));
    await writeDirectoryEntries(ctx.db, tenantId, add, counts);
    await writeCommerceEntries(ctx.db, tenantId, add, counts);
    await writeAuditEntries(ctx, tenantId, add, counts);
    await writeContentEntries(ctx.db, tenantId, add, counts);
    return await writer.finish({
      tenant: {
        id: tenant.id,
        displayName: tenant.display_name,
        initialDomain: tenant.initial_domain,
      },
      createdDateTime: now.toISOString(),
      counts,
    });
  } catch (error) {
    writer.abort(error);
    throw error;
  }
}
