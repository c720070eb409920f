/** An app registration (Graph's `application`): calls the API with roles of its own. */
export interface ApplicationTable {
  tenant_id: string;
  /** Object id. */
  id: string;
  /** Client id (`appId`), unique across the installation: the token endpoint finds the app by it. */
  app_id: string;
  display_name: string;
  created_at: string;
  updated_at: string;
}

/** A client secret (Graph's `passwordCredential`); only its hash is kept. */
export interface ApplicationSecretTable {
  tenant_id: string;
  application_id: string;
  key_id: string;
  display_name: string | null;
  /** The first three characters, to tell secrets apart (Graph's `hint`). */
  hint: string;
  secret_hash: string;
  created_at: string;
  end_at: string;
}

export interface ApplicationRoleAssignmentTable {
  tenant_id: string;
  application_id: string;
  role_template_id: string;
  created_at: string;
}
