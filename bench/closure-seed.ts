/**
 * The tenant `npm run bench:closure` closes (bench/closure.ts): its admin, card and subscriptions
 * through the services, its users and content through SQL in batches (UUIDv7 ids, one precomputed
 * password hash), as bench/api.ts seeds users.
 */
import crypto from "node:crypto";
import { type Insertable, sql } from "kysely";
import { tenantOwnedTables } from "../src/closure/index.js";
import { addPaymentMethod, buySubscription } from "../src/commerce/index.js";
import { createTenant } from "../src/directory/index.js";
import type { OpenedApp } from "../src/runtime/open-app-context.js";
import { hashPassword } from "../src/security/password-hash.js";
import { newId } from "../src/shared/ids.js";
import type { Database } from "../src/store/database.js";
import { refreshStatistics } from "../src/store/engine.js";

export interface SeedSizes {
  users: number;
  /** Users with per-user MFA `enabled` (the first ones). */
  mfaUsers: number;
  /** Content items: half mail messages, half small files, spread over the users. */
  content: number;
  subscriptions: number;
}

export const BENCH_DOMAIN = "bench.example";
const PASSWORD = "Bench-Password-2026";
/** Rows per INSERT, and per transaction: a long SQLite transaction blocks the event loop. */
const INSERT_ROWS = 500;
const TRANSACTION_ROWS = 5000;

/** Inserts `count` rows made by `make(n)` in batches, a few thousand per transaction. */
async function insertRows<K extends "app_user" | "mail_message" | "drive_item">(
  ctx: OpenedApp,
  table: K,
  count: number,
  make: (n: number) => Insertable<Database[K]>,
): Promise<void> {
  for (let start = 0; start < count; start += TRANSACTION_ROWS) {
    await ctx.db.transaction().execute(async (trx) => {
      const end = Math.min(start + TRANSACTION_ROWS, count);
      for (let i = start; i < end; i += INSERT_ROWS) {
        const batch = Array.from({ length: Math.min(INSERT_ROWS, end - i) }, (_, k) => make(i + k));
        await trx.insertInto(table).values(batch).execute();
      }
    });
  }
}

/** The tenant: admin and subscriptions through the services, users and content through SQL. */
export async function seedClosureTenant(
  ctx: OpenedApp,
  sizes: SeedSizes,
): Promise<{ tenantId: string; adminId: string }> {
  const operator = { type: "operator" } as const;
  const { tenant, admin } = await createTenant(ctx, operator, {
    displayName: "Bench",
    domain: BENCH_DOMAIN,
    admin: { userPrincipalName: `admin@${BENCH_DOMAIN}`, password: PASSWORD },
  });
  const tenantId = tenant.id;
  await addPaymentMethod(ctx, operator, tenantId, {
    type: "card",
    brand: "visa",
    last4: "4242",
    expMonth: 12,
    expYear: 2030,
    holderName: "Bench Billing",
    token: "tok_visa",
  });
  for (let i = 0; i < sizes.subscriptions; i++) {
    await buySubscription(ctx, operator, tenantId, {
      skuPartNumber: "O365_BUSINESS_PREMIUM",
      quantity: 5,
      term: "monthly",
      billingModel: "direct",
    });
  }
  const hash = await hashPassword(PASSWORD, "low");
  const now = new Date().toISOString();
  const userIds: string[] = [];
  await insertRows(ctx, "app_user", sizes.users, (n) => {
    const id = newId();
    userIds.push(id);
    const upn = `user${String(n).padStart(6, "0")}@${BENCH_DOMAIN}`;
    return {
      tenant_id: tenantId,
      id,
      user_principal_name: upn,
      upn_key: upn,
      display_name: `Bench User ${n}`,
      mail: upn,
      mail_nickname: `user${n}`,
      account_enabled: true,
      password_hash: hash,
      force_change_password: false,
      external_id: null,
      on_premises_sync_enabled: null,
      per_user_mfa_state: n < sizes.mfaUsers ? "enabled" : "disabled",
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
  });
  const ownerOf = (n: number) => userIds[n % userIds.length] ?? admin.id;
  const messages = Math.ceil(sizes.content / 2);
  await insertRows(ctx, "mail_message", messages, (n) => {
    const subject = `Message ${n}`;
    const body = `Body of message ${n}.`;
    return {
      tenant_id: tenantId,
      id: newId(),
      user_id: ownerOf(n),
      subject,
      body_content_type: "text",
      body_content: body,
      from_address: null,
      from_name: null,
      to_recipients: "[]",
      received_at: now,
      created_at: now,
      size_bytes: Buffer.byteLength(subject) + Buffer.byteLength(body),
    };
  });
  await insertRows(ctx, "drive_item", sizes.content - messages, (n) => {
    const content = Buffer.from(`content of file ${n}\n`);
    const name = `file-${n}.txt`;
    return {
      tenant_id: tenantId,
      id: newId(),
      user_id: ownerOf(n),
      path: `files/${name}`,
      path_key: `files/${name}`,
      name,
      content,
      size_bytes: content.length,
      sha256: crypto.createHash("sha256").update(content).digest("hex"),
      content_type: "text/plain",
      created_at: now,
      updated_at: now,
    };
  });
  for (const table of ["app_user", "mail_message", "drive_item"]) {
    await refreshStatistics(ctx.db, ctx.engine, table);
  }
  return { tenantId, adminId: admin.id };
}

/** The tenant's rows in the tables the closure erases. */
export async function countTenantRows(ctx: OpenedApp, tenantId: string): Promise<number> {
  let total = 0;
  for (const table of await tenantOwnedTables(ctx.db, ctx.engine)) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(
      table,
    )} where tenant_id = ${tenantId}`.execute(ctx.db);
    total += Number(rows[0]?.n ?? 0);
  }
  return total;
}
