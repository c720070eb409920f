import {
  addGroupMember,
  assignRole,
  createGroup,
  createTenant,
  type ImportUserInput,
  importUsers,
  listUsers,
  type RoleName,
  setPerUserMfaState,
  turnOnSync,
} from "../directory/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import {
  asciiAlias,
  createRandom,
  DEMO_ADMINS,
  DEMO_GROUPS,
  FIRST_NAMES,
  LAST_NAMES,
} from "./demo-people.js";

export interface DemoOptions {
  domain?: string;
  /** Password of every demo user, the admin included. */
  password?: string;
  /** Regular users besides the named admins. */
  users?: number;
}

export interface DemoSummary {
  tenantId: string;
  domain: string;
  adminUserId: string;
  signIn: { userPrincipalName: string; password: string };
  users: number;
  syncedUsers: number;
  groups: number;
}

export const DEMO_DOMAIN = "contoso.example";
export const DEMO_PASSWORD = "Contoso-Demo-2026!";

/**
 * Creates the demo organization "Contoso": a Global Administrator to sign in with, the other
 * admin roles, a few hundred users (a fifth synced from "on-premises"), groups and mixed MFA
 * states. Users are imported in bulk with one shared password hash, so this takes seconds.
 */
export async function seedDemo(ctx: AppContext, options: DemoOptions = {}): Promise<DemoSummary> {
  const operator: Actor = { type: "operator" };
  const domain = options.domain ?? DEMO_DOMAIN;
  const password = options.password ?? DEMO_PASSWORD;
  const random = createRandom(2026);
  const { tenant, admin } = await createTenant(ctx, operator, {
    displayName: "Contoso",
    domain,
    admin: { userPrincipalName: `admin@${domain}`, displayName: "Contoso Admin", password },
  });
  const tenantId = tenant.id;
  await turnOnSync(ctx, operator, tenantId);

  const people: ImportUserInput[] = DEMO_ADMINS.map((a) => ({
    userPrincipalName: `${a.alias}@${domain}`,
    displayName: a.displayName,
    mail: `${a.alias}@${domain}`,
  }));
  const taken = new Set(people.map((p) => p.userPrincipalName));
  const count = options.users ?? 300;
  let syncedUsers = 0;
  for (let i = 0; people.length < DEMO_ADMINS.length + count; i++) {
    const first = FIRST_NAMES[Math.floor(random() * FIRST_NAMES.length)] ?? "Alex";
    const last = LAST_NAMES[Math.floor(random() * LAST_NAMES.length)] ?? "Smith";
    const alias = `${asciiAlias(first)}.${asciiAlias(last)}${taken.has(`${asciiAlias(first)}.${asciiAlias(last)}@${domain}`) ? i : ""}`;
    const upn = `${alias}@${domain}`;
    if (taken.has(upn)) continue;
    taken.add(upn);
    const synced = random() < 0.2;
    if (synced) syncedUsers++;
    people.push({
      userPrincipalName: upn,
      displayName: `${first} ${last}`,
      mail: upn,
      accountEnabled: random() > 0.04,
      onPremisesSyncEnabled: synced,
      externalId: synced ? `CN=${first} ${last},OU=Staff,DC=contoso,DC=local` : null,
    });
  }
  await importUsers(ctx, operator, tenantId, people, { initialPassword: password });

  for (const a of DEMO_ADMINS)
    await assignRole(ctx, operator, tenantId, `${a.alias}@${domain}`, a.role satisfies RoleName);

  const userIds: string[] = [];
  for (let cursor: string | undefined; ; ) {
    const page = await listUsers(ctx, operator, tenantId, { limit: 999, cursor });
    userIds.push(...page.users.filter((u) => u.id !== admin.id).map((u) => u.id));
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  for (const group of DEMO_GROUPS) {
    const created = await createGroup(ctx, operator, tenantId, group);
    for (const id of userIds)
      if (random() < 0.12) await addGroupMember(ctx, operator, tenantId, created.id, id);
  }
  for (const id of userIds) {
    const draw = random();
    if (draw < 0.15) await setPerUserMfaState(ctx, operator, tenantId, id, "enforced");
    else if (draw < 0.4) await setPerUserMfaState(ctx, operator, tenantId, id, "enabled");
  }
  return {
    tenantId,
    domain,
    adminUserId: admin.id,
    signIn: { userPrincipalName: admin.userPrincipalName, password },
    users: people.length + 1,
    syncedUsers,
    groups: DEMO_GROUPS.length,
  };
}
