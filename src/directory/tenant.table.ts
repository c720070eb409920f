import type { SqlBool } from "kysely";

/** One organization. Its `id` is the `tenant_id` of every row it owns. */
export interface TenantTable {
  id: string;
  display_name: string;
  initial_domain: string;
  state: string;
  /** null: never synced; true: syncing; false: was synced (SPEC §1). */
  on_premises_sync_enabled: SqlBool | null;
  /** Set while turning sync off is in progress; the scheduler completes it at this time. */
  sync_off_completes_at: string | null;
  sync_off_started_at: string | null;
  /** Turning sync back on is refused until this time (72 h after turning it off completed). */
  sync_reenable_after: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/**
 * Global registry of domain names. A name is never reused, so its row outlives the tenant
 * (in a sharded deployment this is a reference table).
 */
export interface TenantDomainTable {
  name: string;
  tenant_id: string;
  is_initial: SqlBool;
  created_at: string;
}
