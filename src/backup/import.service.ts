import { createHash, randomBytes } from "node:crypto";
import { recordAudit } from "../audit/index.js";
import { createTenant, updateUser } from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { blocked, invalid } from "../shared/app-error.js";
import { type ArchiveInput, forEachArchiveEntry, readBody } from "./archive-reader.js";
import { BACKUP_ERROR, type ImportSummary, rewriteDomain } from "./backup.js";
import { EntryFingerprints } from "./entry-fingerprints.js";
import { ImportPlanner } from "./import-plan.js";
import { TenantImporter } from "./tenant-importer.js";
import { inspectArchive } from "./verify-archive.js";

/**
 * Opens the archive afresh each time it is called: the import reads it twice (verify, then
 * apply), e.g. `() => fs.createReadStream(file)`.
 */
export type ArchiveSource = () => ArchiveInput;

export interface ImportTenantExportOptions {
  /** The new organization's initial domain (the archive's cannot be reused, SPEC §1). */
  domain: string;
  /** Default: the archived organization's display name. */
  displayName?: string | undefined;
}

const OPERATOR: Actor = { type: "operator" };

/**
 * Restores an export into a NEW organization (SPEC §6), as the operator:
 *
 * 1. Verifies the whole archive first and plans; an invalid archive (EXPORT_INVALID, Blocked, the
 *    problems in `details.info`) or one without a live Global Administrator (IMPORT_NO_ADMIN)
 *    is refused and nothing is changed.
 * 2. Creates the organization through the directory's tenant creation (its audit log starts
 *    with `tenant.create`), handed to the archive's oldest live Global Administrator with a
 *    one-time temporary password that must be changed at the first sign-in. DOMAIN_TAKEN when
 *    the domain is or was used.
 * 3. Reads the archive again and applies it entry by entry (TenantImporter): every other user
 *    is created WITHOUT a password and must change it at first sign-in
 *    (`forceChangePasswordNextSignIn`), so nobody signs in until an administrator sets one; UPNs
 *    and mail move from the archive's domains to the new one. Each entry is checked against what
 *    the verification read in its place (EntryFingerprints) before use: an archive changed in
 *    between stops the import with EXPORT_CHANGED, leaving the new organization as far as it got.
 *
 * Memory: one entry at a time, plus what grows with the archive: 16 bytes per entry (the
 * fingerprints) and maps of the archive's user and group ids to the new ones.
 */
export async function importTenantExport(
  ctx: AppContext,
  source: ArchiveSource,
  options: ImportTenantExportOptions,
): Promise<ImportSummary> {
  const domain = options.domain.trim().toLowerCase();
  const planner = new ImportPlanner();
  const fingerprints = new EntryFingerprints();
  const verification = await inspectArchive(source(), {
    peek: (path) => planner.wants(path),
    onPeek: (path, data) => planner.read(path, data),
    onHashed: (path, sha256) => fingerprints.record(path, sha256),
  });
  if (!verification.valid || !verification.manifest) {
    throw blocked(
      BACKUP_ERROR.EXPORT_INVALID,
      `The archive is not a valid Tenantry export: ${verification.problems.join(" ")}`,
      { info: verification },
    );
  }
  const { manifest } = verification;
  const archivedAdmin = planner.admin;
  if (!archivedAdmin) {
    throw invalid(
      BACKUP_ERROR.IMPORT_NO_ADMIN,
      "The archive has no enabled Global Administrator outside the recycle bin to hand the new organization to.",
    );
  }

  const temporaryPassword = randomBytes(18).toString("base64url");
  const { tenant, admin } = await createTenant(ctx, OPERATOR, {
    displayName: options.displayName ?? manifest.tenant.displayName,
    domain,
    admin: {
      userPrincipalName: rewriteDomain(
        archivedAdmin.userPrincipalName,
        planner.sourceDomains,
        domain,
      ),
      displayName: archivedAdmin.displayName,
      password: temporaryPassword,
    },
  });
  await updateUser(ctx, OPERATOR, tenant.id, admin.id, { forceChangePasswordNextSignIn: true });

  const importer = new TenantImporter(ctx, {
    tenantId: tenant.id,
    domain: tenant.initialDomain,
    sourceDomains: planner.sourceDomains,
    admin: { archiveId: archivedAdmin.id, id: admin.id },
  });
  let index = 0;
  await forEachArchiveEntry(source(), async (header, body) => {
    const data = await readBody(body);
    const sha256 = createHash("sha256").update(data).digest("hex");
    if (!fingerprints.matches(index, header.path, sha256)) {
      throw blocked(
        BACKUP_ERROR.EXPORT_CHANGED,
        `${header.path} changed since the archive was verified; the import stopped there.`,
        { tenantId: tenant.id },
      );
    }
    index += 1;
    await importer.apply(header.path, data);
  });
  if (index !== fingerprints.length) {
    throw blocked(
      BACKUP_ERROR.EXPORT_CHANGED,
      `The archive ends after ${index} of the ${fingerprints.length} entries it had when verified; the import stopped there.`,
      { tenantId: tenant.id },
    );
  }
  await importer.applyRoles();

  const summary: ImportSummary = {
    tenantId: tenant.id,
    domain: tenant.initialDomain,
    admin: { id: admin.id, userPrincipalName: admin.userPrincipalName, temporaryPassword },
    counts: importer.counts,
    skipped: importer.skipped,
    failures: importer.failures,
  };
  await ctx.db.transaction().execute((trx) =>
    recordAudit(ctx, trx, {
      tenantId: tenant.id,
      actor: OPERATOR,
      action: "tenant.import",
      target: { type: "tenant", id: tenant.id },
      details: {
        sourceTenantId: manifest.tenant.id,
        sourceInitialDomain: manifest.tenant.initialDomain,
        archiveCreatedDateTime: manifest.createdDateTime,
        counts: summary.counts,
        skipped: summary.skipped,
        failures: summary.failures.length,
      },
    }),
  );
  return summary;
}
