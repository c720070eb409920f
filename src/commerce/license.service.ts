import { recordAudit } from "../audit/index.js";
import {
  assertAllowed,
  loadTenant,
  requirePermission,
  resolveActor,
} from "../directory/directory-access.js";
import type { User } from "../directory/index.js";
import { isAdminUser } from "../directory/user.js";
import { loadUser } from "../directory/user-lookup.js";
import { tenantWriteBlocker } from "../directory/user-rules.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import type { Executor } from "../store/database.js";
import { supportsRowLocks } from "../store/engine.js";
import {
  type AssignedLicense,
  type AssignLicenseInput,
  isOverAssigned,
  type LicenseDetail,
  type LicenseOverAssignment,
  NO_SEATS,
  planLicenseChange,
  type SeatCounts,
  skuIdsOf,
} from "./license.js";
import {
  deleteAssignmentRows,
  insertAssignmentRows,
  type LicenseAssignmentRow,
  listLiveAssignedSkuIds,
  listUserAssignmentRows,
  seatCountsBySku,
  updateAssignmentDisabledPlans,
} from "./license.repository.js";
import { countConsumedUnits } from "./license-count.repository.js";
import type { Product } from "./product.js";
import { listProducts } from "./product.service.js";

export interface AssignLicenseResult {
  user: User;
  /** The user's licenses after the change. */
  assignedLicenses: AssignedLicense[];
}

/**
 * Graph's `assignLicense` (SPEC §3): adds and removes SKUs on a live user, all or nothing, in one
 * audited transaction. Needs `licenses.assign` (User Administrator or Global Administrator; not
 * Billing Administrator, SPEC §1). The tenant row is locked (PostgreSQL) so that two concurrent
 * assignments cannot both take the last free seat; SQLite serializes writers anyway. A tenant
 * frozen by its closure still lets an admin remove licenses, not add them.
 */
export async function assignLicense(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  userIdOrUpn: string,
  input: AssignLicenseInput,
): Promise<AssignLicenseResult> {
  const requested = skuIdsOf(input);
  return ctx.db.transaction().execute(async (trx) => {
    const tenant = await loadTenant(trx, actor, tenantId, {
      forUpdate: true,
      rowLocks: supportsRowLocks(ctx.engine),
    });
    const resolved = await resolveActor(trx, actor, tenantId);
    const { user } = await loadUser(trx, tenantId, userIdOrUpn);
    assertAllowed(resolved, "licenses.assign", { isAdmin: isAdminUser(user) });
    const frozen = requested.add.length > 0 ? tenantWriteBlocker(tenant) : null;
    if (frozen) throw frozen;

    const heldRows = await listUserAssignmentRows(trx, tenantId, user.id);
    const products = productsById(await listProducts(trx));
    const named = requested.add.flatMap((id) => products.get(id)?.skuId ?? []);
    const seats = await seatCountsBySku(trx, tenantId, named);
    const seatFacts = new Map<string, SeatCounts & { consumed: number }>();
    for (const skuId of named) {
      const consumed = await countConsumedUnits(trx, tenantId, skuId);
      seatFacts.set(skuId.toLowerCase(), { ...(seats.get(skuId) ?? NO_SEATS), consumed });
    }
    const change = planLicenseChange(input, {
      userPrincipalName: user.userPrincipalName,
      held: new Map(heldRows.map((row) => [row.sku_id.toLowerCase(), toAssignedLicense(row)])),
      products,
      seats: seatFacts,
    });
    if (change.add.length + change.update.length + change.remove.length === 0) {
      return { user, assignedLicenses: heldRows.map(toAssignedLicense) };
    }

    const now = ctx.clock.now().toISOString();
    await deleteAssignmentRows(trx, tenantId, user.id, change.remove);
    for (const license of change.update) {
      const plans = JSON.stringify(license.disabledPlans);
      await updateAssignmentDisabledPlans(trx, tenantId, user.id, license.skuId, plans);
    }
    await insertAssignmentRows(
      trx,
      change.add.map((license) => ({
        tenant_id: tenantId,
        user_id: user.id,
        sku_id: license.skuId,
        disabled_plans: JSON.stringify(license.disabledPlans),
        assigned_at: now,
      })),
    );
    const partNumber = (skuId: string) => products.get(skuId)?.skuPartNumber ?? skuId;
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "license.assign",
      target: { type: "user", id: user.id },
      details: {
        userPrincipalName: user.userPrincipalName,
        added: change.add.map((l) => ({ ...l, skuPartNumber: partNumber(l.skuId) })),
        changedPlans: change.update.map((l) => ({ ...l, skuPartNumber: partNumber(l.skuId) })),
        removed: change.remove.map((skuId) => ({ skuId, skuPartNumber: partNumber(skuId) })),
      },
    });
    const after = await listUserAssignmentRows(trx, tenantId, user.id);
    return { user, assignedLicenses: after.map(toAssignedLicense) };
  });
}

/** A live user's licenses with the catalog's plans (Graph's `licenseDetails`); every member reads them. */
export async function listLicenseDetails(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  userIdOrUpn: string,
): Promise<LicenseDetail[]> {
  await loadTenant(ctx.db, actor, tenantId);
  await requirePermission(ctx.db, actor, tenantId, "directory.read");
  const { user } = await loadUser(ctx.db, tenantId, userIdOrUpn);
  const rows = await listUserAssignmentRows(ctx.db, tenantId, user.id);
  const products = productsById(await listProducts(ctx.db));
  return rows.flatMap((row) => {
    const product = products.get(row.sku_id.toLowerCase());
    if (!product) return [];
    return [
      {
        userId: user.id,
        skuId: product.skuId,
        skuPartNumber: product.skuPartNumber,
        servicePlans: product.servicePlans,
        disabledPlans: toAssignedLicense(row).disabledPlans,
        assignedDateTime: new Date(row.assigned_at),
      },
    ];
  });
}

/**
 * The SKUs whose live assignments exceed the seats of their `active` subscriptions — what a restore
 * from the recycle bin may cause (SPEC §1, §3), and what an admin then has to fix (buy seats or
 * remove licenses). Consumed units count live users only (license-count.repository.ts).
 */
export async function licenseOverAssignments(
  db: Executor,
  tenantId: string,
): Promise<LicenseOverAssignment[]> {
  const skuIds = await listLiveAssignedSkuIds(db, tenantId);
  const seats = await seatCountsBySku(db, tenantId, skuIds);
  const products = productsById(await listProducts(db));
  const over: LicenseOverAssignment[] = [];
  for (const skuId of skuIds) {
    const counts = seats.get(skuId) ?? NO_SEATS;
    const consumed = await countConsumedUnits(db, tenantId, skuId);
    if (!isOverAssigned(counts, consumed)) continue;
    const skuPartNumber = products.get(skuId.toLowerCase())?.skuPartNumber ?? skuId;
    over.push({ skuId, skuPartNumber, enabled: counts.enabled, consumed });
  }
  return over;
}

/**
 * After a user came back from the recycle bin with its licenses (SPEC §1: even when that
 * over-assigns), the over-assigned SKUs among that user's licenses, recorded in the audit log
 * when there are any (`license.overAssigned`), so that the restore's answer and the log both
 * say what needs fixing. Reads and records; changes no license.
 */
export async function reportRestoredLicenseOverAssignments(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  userId: string,
): Promise<LicenseOverAssignment[]> {
  return ctx.db.transaction().execute(async (trx) => {
    await loadTenant(trx, actor, tenantId);
    await resolveActor(trx, actor, tenantId);
    const { user } = await loadUser(trx, tenantId, userId);
    const held = new Set(
      (await listUserAssignmentRows(trx, tenantId, user.id)).map((r) => r.sku_id),
    );
    if (held.size === 0) return [];
    const over = (await licenseOverAssignments(trx, tenantId)).filter((o) => held.has(o.skuId));
    if (over.length > 0) {
      await recordAudit(ctx, trx, {
        tenantId,
        actor,
        action: "license.overAssigned",
        target: { type: "user", id: user.id },
        details: { userPrincipalName: user.userPrincipalName, cause: "user.restore", skus: over },
      });
    }
    return over;
  });
}

function productsById(products: readonly Product[]): Map<string, Product> {
  return new Map(products.map((p) => [p.skuId.toLowerCase(), p]));
}

function toAssignedLicense(row: LicenseAssignmentRow): AssignedLicense {
  return { skuId: row.sku_id, disabledPlans: JSON.parse(row.disabled_plans) as string[] };
}
