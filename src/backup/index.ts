// The backup area (SPEC §6 "Backup export", issue 7): the streamed tar.gz export of a tenant, its
// offline verification and its import into a new organization.
// Transport (src/http, src/cli) and other areas (closure) import from here only.
export type { ArchiveInput } from "./archive-reader.js";
export { EXPORT_UNREADABLE } from "./archive-reader.js";
export type { ArchiveSink } from "./archive-writer.js";
export {
  BACKUP_ERROR,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportManifest,
  type ExportSummary,
  type ExportVerification,
  type ImportFailure,
  type ImportSummary,
  MANIFEST_PART_PREFIX,
  MANIFEST_PATH,
  type ManifestEntry,
  type ManifestPart,
} from "./backup.js";
export { type WriteTenantExportOptions, writeTenantExport } from "./export.service.js";
export {
  type ArchiveSource,
  type ImportTenantExportOptions,
  importTenantExport,
} from "./import.service.js";
export { verifyExportArchive } from "./verify-archive.js";
