/**
 * Who is acting. Services load an actor's roles themselves, inside their transaction, so a role
 * removed a moment ago is never trusted (plain reads may use the roles read with the request's
 * session, in the same request). A signed-in `user` or an `application` (client
 * credentials) acts within its tenant; the `operator` acts from the local CLI on the store itself
 * (e.g. `tenantry tenant create`), the `system` on behalf of the scheduler.
 */
export type Actor =
  | {
      readonly type: "user";
      readonly tenantId: string;
      readonly userId: string;
      readonly requestId?: string;
      /** The session the request came with, when it came over HTTP. */
      readonly sessionId?: string;
      /**
       * The user's role template ids, read together with the session at the start of this HTTP
       * request. Reads check permissions against them instead of reading the roles again a moment
       * later; writes still read the roles inside their transaction.
       */
      readonly sessionRoleTemplateIds?: readonly string[];
    }
  | {
      readonly type: "application";
      readonly tenantId: string;
      readonly applicationId: string;
      readonly requestId?: string;
      readonly sessionId?: string;
    }
  | { readonly type: "operator"; readonly requestId?: string }
  | { readonly type: "system"; readonly requestId?: string };

/** The id recorded as the audit entry's actor: a user's or an application's. */
export function actorId(actor: Actor): string | null {
  if (actor.type === "user") return actor.userId;
  if (actor.type === "application") return actor.applicationId;
  return null;
}

/** The tenant a user or application belongs to; operator and system act on any. */
export function actorTenantId(actor: Actor): string | null {
  return actor.type === "user" || actor.type === "application" ? actor.tenantId : null;
}
