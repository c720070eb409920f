import type { SqlBool } from "kysely";

export interface GroupTable {
  tenant_id: string;
  id: string;
  display_name: string;
  description: string | null;
  mail_nickname: string;
  security_enabled: SqlBool;
  external_id: string | null;
  on_premises_sync_enabled: SqlBool | null;
  created_at: string;
  updated_at: string;
}

export interface GroupMemberTable {
  tenant_id: string;
  group_id: string;
  user_id: string;
  created_at: string;
}
