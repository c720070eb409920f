export {
  AUDIT_ERROR,
  type AuditBreak,
  type AuditEntry,
  type AuditEntryInput,
  type AuditOutcome,
  type AuditVerifyResult,
  canonicalAuditRecord,
  computeAuditHash,
  GENESIS_HASH,
} from "./audit.js";
export {
  auditChainHead,
  type ListAuditEntriesOptions,
  listAuditEntries,
  recordAudit,
  shredTenantAuditKey,
  verifyAuditChain,
} from "./audit.service.js";
export { type AuditLogPage, readAuditLog } from "./audit-read.service.js";
export { type AuditEventClass, BILLING_EVENTS } from "./billing-events.js";
export type { AuditChainHeadTable, AuditKeyTable, AuditLogTable } from "./audit.table.js";
