/**
 * Who is acting. Services load a user actor's roles themselves, inside their transaction, so a
 * role removed a moment ago is never trusted. The `operator` acts from the local CLI on the
 * store itself (e.g. `tenantry tenant create`), the `system` on behalf of the scheduler.
 */
export type Actor =
  | {
      readonly type: "user";
      readonly tenantId: string;
      readonly userId: string;
      readonly requestId?: string;
    }
  | { readonly type: "operator"; readonly requestId?: string }
  | { readonly type: "system"; readonly requestId?: string };

export function actorId(actor: Actor): string | null {
  return actor.type === "user" ? actor.userId : null;
}
