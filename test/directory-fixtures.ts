import type { Insertable } from "kysely";
import { expect } from "vitest";
import { type AuditEntry, listAuditEntries, verifyAuditChain } from "../src/audit/index.js";
import {
  assignRole,
  createTenant,
  createUser,
  type RoleName,
  type User,
} from "../src/directory/index.js";
import type { TenantTable } from "../src/directory/tenant.table.js";
import type { CreateUserInput } from "../src/directory/user.service.js";
import type { Actor } from "../src/shared/actor.js";
import { type AppError, isAppError } from "../src/shared/app-error.js";
import type { TestContext } from "./test-context.js";

/**
 * A `tenant` row for tests that write the table directly (below the services): active, cloud-only,
 * `${id}.example`, created now.
 */
export function tenantRow(
  id: string,
  overrides: Partial<Insertable<TenantTable>> = {},
): Insertable<TenantTable> {
  const now = new Date().toISOString();
  return {
    id,
    display_name: id,
    initial_domain: `${id}.example`,
    state: "active",
    on_premises_sync_enabled: null,
    sync_off_completes_at: null,
    sync_off_started_at: null,
    sync_reenable_after: null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
    ...overrides,
  };
}

/** A password the policy accepts (≥ 12 characters, not a UPN, not a common password). */
export const PASSWORD = "Correct-Horse-Battery-9";

export const OPERATOR: Actor = { type: "operator" };

export interface TenantFixture {
  tenantId: string;
  domain: string;
  admin: User;
  /** The first Global Administrator, acting as a signed-in user. */
  adminActor: Actor;
}

export interface UserFixture {
  user: User;
  actor: Actor;
}

let domainCounter = 0;

/** A domain no other fixture in this process has used. */
export function uniqueDomain(prefix = "contoso"): string {
  domainCounter += 1;
  return `${prefix}${domainCounter}-${Math.random().toString(36).slice(2, 8)}.example`;
}

export function userActor(tenantId: string, userId: string): Actor {
  return { type: "user", tenantId, userId };
}

/** Creates a tenant (as the operator) with its first Global Administrator `admin@<domain>`. */
export async function createTenantWithAdmin(
  t: TestContext,
  domain: string = uniqueDomain(),
): Promise<TenantFixture> {
  const { tenant, admin } = await createTenant(t, OPERATOR, {
    displayName: `Org ${domain}`,
    domain,
    admin: { userPrincipalName: `admin@${domain}`, displayName: "First Admin", password: PASSWORD },
  });
  return { tenantId: tenant.id, domain, admin, adminActor: userActor(tenant.id, admin.id) };
}

/** Creates `alias@<domain>` as the operator and assigns it the given roles. */
export async function createUserWithRoles(
  t: TestContext,
  fixture: Pick<TenantFixture, "tenantId" | "domain">,
  alias: string,
  roles: readonly RoleName[] = [],
  input: Partial<CreateUserInput> = {},
): Promise<UserFixture> {
  const created = await createUser(t, OPERATOR, fixture.tenantId, {
    userPrincipalName: `${alias}@${fixture.domain}`,
    displayName: alias,
    ...input,
  });
  for (const role of roles) await assignRole(t, OPERATOR, fixture.tenantId, created.id, role);
  return {
    user: { ...created, roles: [...roles] },
    actor: userActor(fixture.tenantId, created.id),
  };
}

/** Creates `${prefix}01@…` … `${prefix}NN@…` plain users, in order. */
export async function createUsers(
  t: TestContext,
  fixture: Pick<TenantFixture, "tenantId" | "domain">,
  count: number,
  prefix = "user",
): Promise<User[]> {
  const users: User[] = [];
  for (let i = 1; i <= count; i++) {
    const alias = `${prefix}${String(i).padStart(2, "0")}`;
    users.push((await createUserWithRoles(t, fixture, alias)).user);
  }
  return users;
}

/** The AppError a call fails with; fails the test when the call succeeds or throws anything else. */
export async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!isAppError(outcome)) {
    throw new Error(
      `expected an AppError, got ${outcome === undefined ? "success" : String(outcome)}`,
    );
  }
  return outcome;
}

/** Asserts the call fails with this code (and kind, when given). */
export async function expectAppError(
  promise: Promise<unknown>,
  code: string,
  kind?: AppError["kind"],
): Promise<AppError> {
  const error = await errorOf(promise);
  expect(error.code).toBe(code);
  if (kind) expect(error.kind).toBe(kind);
  return error;
}

/** Every audit entry of the tenant, oldest first. */
export async function auditEntries(t: TestContext, tenantId: string): Promise<AuditEntry[]> {
  return listAuditEntries(t, t.db, tenantId, { limit: 1000 });
}

export async function auditActions(t: TestContext, tenantId: string): Promise<string[]> {
  return (await auditEntries(t, tenantId)).map((e) => e.action);
}

export async function expectAuditChainValid(t: TestContext, tenantId: string): Promise<void> {
  expect((await verifyAuditChain(t, tenantId)).ok).toBe(true);
}

export async function countTenants(t: TestContext): Promise<number> {
  const row = await t.db
    .selectFrom("tenant")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Rows of a tenant-owned table belonging to the tenant. */
export async function countRows(
  t: TestContext,
  table: "tenant_domain" | "app_user" | "role_assignment" | "group_member" | "scheduled_job",
  tenantId: string,
): Promise<number> {
  const row = await t.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("tenant_id", "=", tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
