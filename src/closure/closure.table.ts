/** Rows of the guided closure (migration 0008) and the installation's signing keys. */

export interface ClosureOperationTable {
  tenant_id: string;
  id: string;
  /** `running | waiting | coolingOff | completed | cancelled | failed`. */
  state: string;
  /** The step being worked on (or waited for), null before the first and after the last. */
  step: string | null;
  /** The Global Administrator who started it. */
  requested_by: string;
  reason: string;
  /** Free text; cleared when the tenant is erased (it may name people). */
  feedback: string | null;
  export_requested: number;
  /** A durable timer: nothing is done before this time (sync-off, deprovisioning). */
  wait_until: string | null;
  /** What the wait is for (`syncOff`, `deprovisioning`), shown in the status. */
  waiting_for: string | null;
  /** Set on entering the cooling-off period: the irreversible phase starts at this time. */
  cooling_off_until: string | null;
  /** The process working on it, and until when its claim holds. */
  lease_owner: string | null;
  lease_expires_at: string | null;
  /** JSON array of `{code, message}`: what the operation waits on that only a person can fix. */
  blockers: string;
  error: string | null;
  export_sha256: string | null;
  export_bytes: number | null;
  /** The signed deletion certificate (JSON), once completed. */
  certificate: string | null;
  cancelled_by: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface ClosureStepProgressTable {
  tenant_id: string;
  operation_id: string;
  step: string;
  /** The step's place in the order (0-based). */
  position: number;
  done: number;
  total: number;
  /** Where the next batch starts (the last id handled), or null. */
  cursor: string | null;
  /** JSON object: counts per kind handled by this step (e.g. erased rows per table). */
  counts: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface ClosureExportChunkTable {
  tenant_id: string;
  operation_id: string;
  seq: number;
  data: Buffer;
}

export interface ClosureReaderTokenTable {
  tenant_id: string;
  token_hash: string;
  operation_id: string;
  user_id: string;
  expires_at: string;
}

export interface SigningKeyTable {
  /** The key id (`keyId` in certificates and at /.well-known/tenantry-signing-keys). */
  id: string;
  /** `Ed25519`. */
  algorithm: string;
  /** Raw 32-byte public key, base64url. */
  public_key: string;
  /** PKCS#8 DER private key sealed with the master key (SecretBox). */
  private_key_sealed: string;
  created_at: string;
  retired_at: string | null;
}

export interface ClosureTables {
  closure_operation: ClosureOperationTable;
  closure_step_progress: ClosureStepProgressTable;
  closure_export_chunk: ClosureExportChunkTable;
  closure_reader_token: ClosureReaderTokenTable;
  signing_key: SigningKeyTable;
}
