/**
 * The append-only, per-tenant hash-chained log (SPEC §5). No foreign key to the tenant: the log
 * outlives the tenant's erasure for its retention period.
 */
export interface AuditLogTable {
  tenant_id: string;
  /** 1, 2, 3, … per tenant without gaps; a gap means an entry was removed. */
  seq: number;
  id: string;
  occurred_at: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  request_id: string | null;
  /** Personal details (names, addresses) as AES-256-GCM ciphertext under the tenant's key. */
  details_ciphertext: string | null;
  prev_hash: string;
  hash: string;
}

/** The newest entry per tenant: appending locks this row, which orders concurrent writers. */
export interface AuditChainHeadTable {
  tenant_id: string;
  last_seq: number;
  last_hash: string;
}

/** The tenant's data key, wrapped with the installation's master key; destroyed to shred. */
export interface AuditKeyTable {
  tenant_id: string;
  wrapped_key: string | null;
  created_at: string;
  shredded_at: string | null;
}
