import type {
  Application,
  DirectoryRoleMember,
  NewPasswordCredential,
  PasswordCredential,
  RoleDefinition,
} from "../directory/index.js";

/**
 * The application's path key: its object id, or the client id from Graph's alternate key
 * `applications(appId='…')` (the quotes stripped).
 */
export function applicationKey(id: string): string {
  return /^'.*'$/.test(id) ? id.slice(1, -1) : id;
}

/** Graph's `passwordCredential`; `secretText` only in the answer to addPassword. */
export function toGraphPasswordCredential(credential: PasswordCredential | NewPasswordCredential) {
  return {
    customKeyIdentifier: null,
    displayName: credential.displayName,
    endDateTime: credential.endDateTime.toISOString(),
    hint: credential.hint,
    keyId: credential.keyId,
    secretText: "secretText" in credential ? credential.secretText : null,
    startDateTime: credential.startDateTime.toISOString(),
  };
}

/** Graph's `application`. */
export function toGraphApplication(application: Application) {
  return {
    id: application.id,
    appId: application.appId,
    displayName: application.displayName,
    createdDateTime: application.createdDateTime.toISOString(),
    deletedDateTime: null,
    signInAudience: "AzureADMyOrg",
    passwordCredentials: application.passwordCredentials.map(toGraphPasswordCredential),
  };
}

/** Graph's `directoryRole`; Tenantry's roles are activated everywhere, so id = template id. */
export function toGraphDirectoryRole(role: RoleDefinition) {
  return {
    id: role.roleTemplateId,
    deletedDateTime: null,
    description: role.description,
    displayName: role.displayName,
    roleTemplateId: role.roleTemplateId,
  };
}

/**
 * A role member as a Graph `directoryObject`: users as `user`, applications as the
 * `servicePrincipal` through which Graph shows an application acting in a tenant (here the
 * application's own object id).
 */
export function toGraphDirectoryObject(member: DirectoryRoleMember) {
  if (member.type === "user") {
    const { user } = member;
    return {
      "@odata.type": "#microsoft.graph.user",
      id: user.id,
      displayName: user.displayName,
      mail: user.mail,
      userPrincipalName: user.userPrincipalName,
    };
  }
  const { application } = member;
  return {
    "@odata.type": "#microsoft.graph.servicePrincipal",
    id: application.id,
    appId: application.appId,
    displayName: application.displayName,
    servicePrincipalType: "Application",
  };
}
