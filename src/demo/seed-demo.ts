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
import { addMs, DAY, ManualClock } from "../shared/clock.js";
import {
  asciiAlias,
  createRandom,
  DEMO_ADMINS,
  DEMO_GROUPS,
  FIRST_NAMES,
  LAST_NAMES,
} from "./demo-people.js";
import type { ContentTotals } from "../content/index.js";
import { seedDemoContent } from "./seed-demo-content.js";
import {
  DEMO_HISTORY_DAYS,
  type DemoCommerceSummary,
  seedDemoCommerce,
} from "./seed-demo-commerce.js";

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
  /** Cards, subscriptions by status, licenses and invoices by status (seed-demo-commerce.ts). */
  commerce: DemoCommerceSummary;
  /** Messages, files and their bytes of a few users (seed-demo-content.ts). */
  content: ContentTotals;
}

export const DEMO_DOMAIN = "contoso.example";
export const DEMO_PASSWORD = "Contoso-Demo-2026!";

/**
 * Creates the demo organization "Contoso": a Global Administrator to sign in with, the other
 * admin roles, a few hundred users (a fifth synced from "on-premises"), groups, mixed MFA states,
 * and a commerce history — cards, subscriptions in every lifecycle state, licenses, paid and due
 * invoices. Users are imported in bulk with one shared password hash, so this takes seconds.
 *
 * The organization is founded on a clock set `DEMO_HISTORY_DAYS` before the context's "now", and
 * its history is played forward to that "now" through the real services and scheduler, so every
 * date (and the audit chain) reads like months of use.
 */
export async function seedDemo(base: AppContext, options: DemoOptions = {}): Promise<DemoSummary> {
  const end = base.clock.now();
  const ctx = { ...base, clock: new ManualClock(addMs(end, -DEMO_HISTORY_DAYS * DAY)) };
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

  const idByUpn = new Map<string, string>();
  for (let cursor: string | undefined; ; ) {
    const page = await listUsers(ctx, operator, tenantId, { limit: 999, cursor });
    for (const user of page.users) idByUpn.set(user.userPrincipalName, user.id);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  const userIds = [...idByUpn.values()].filter((id) => id !== admin.id);
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
  const holder = (role: RoleName) => {
    const named = DEMO_ADMINS.find((a) => a.role === role);
    return idByUpn.get(`${named?.alias}@${domain}`) ?? admin.id;
  };
  const adminIds = [admin.id, ...DEMO_ADMINS.map((a) => holder(a.role))];
  const commerce = await seedDemoCommerce(
    ctx,
    {
      tenantId,
      billingAdminId: holder("billingAdministrator"),
      userAdminId: holder("userAdministrator"),
      adminIds,
      memberIds: userIds.filter((id) => !adminIds.includes(id)),
    },
    end,
  );
  const content = await seedDemoContent(ctx, tenantId, domain, adminIds, end);
  return {
    tenantId,
    domain,
    adminUserId: admin.id,
    signIn: { userPrincipalName: admin.userPrincipalName, password },
    users: people.length + 1,
    syncedUsers,
    groups: DEMO_GROUPS.length,
    commerce,
    content,
  };
}
