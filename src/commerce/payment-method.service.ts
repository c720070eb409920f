import { recordAudit } from "../audit/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { blocked, invalid, notFound } from "../shared/app-error.js";
import { newId } from "../shared/ids.js";
import type { Executor } from "../store/database.js";
import { authorizeBilling } from "./payment-access.js";
import {
  type AddCardInput,
  type CardBrand,
  describeCard,
  PAYMENT_METHOD_ERROR,
  type PaymentMethod,
  parseCardInput,
} from "./payment-method.js";
import {
  clearSubscriptionPaymentMethod,
  deletePaymentMethodRow,
  findDefaultPaymentMethodRow,
  findPaymentMethodRow,
  findSubscriptionsRenewingWith,
  insertPaymentMethodRow,
  listPaymentMethodRows,
  type PaymentMethodRow,
  setDefaultPaymentMethodRow,
} from "./payment-method.repository.js";

/** Changes a PATCH may make; only `isDefault` can change (a card's details are the issuer's). */
export interface UpdatePaymentMethodInput {
  isDefault?: boolean | undefined;
}

function toPaymentMethod(row: PaymentMethodRow): PaymentMethod {
  return {
    id: row.id,
    type: "card",
    brand: row.brand as CardBrand,
    last4: row.last4,
    expMonth: Number(row.exp_month),
    expYear: Number(row.exp_year),
    holderName: row.holder_name,
    token: row.token,
    isDefault: Boolean(row.is_default),
    createdDateTime: new Date(row.created_at),
  };
}

/** What the audit log keeps of a card: never its token (nor, of course, its number). */
function auditedCard(method: PaymentMethod) {
  const { brand, last4, expMonth, expYear, holderName } = method;
  return { brand, last4, expMonth, expYear, holderName };
}

/** The tenant's default payment method, if it has any method. No authorization: for services. */
export async function findDefaultPaymentMethod(
  db: Executor,
  tenantId: string,
): Promise<PaymentMethod | undefined> {
  const row = await findDefaultPaymentMethodRow(db, tenantId);
  return row && toPaymentMethod(row);
}

/** One of the tenant's payment methods. No authorization: for services. */
export async function findPaymentMethod(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<PaymentMethod | undefined> {
  const row = await findPaymentMethodRow(db, tenantId, id);
  return row && toPaymentMethod(row);
}

/** The method, or PAYMENT_METHOD_NOT_FOUND (404; also for another tenant's id). */
export async function loadPaymentMethod(
  db: Executor,
  tenantId: string,
  id: string,
): Promise<PaymentMethod> {
  const method = await findPaymentMethod(db, tenantId, id);
  if (!method) {
    throw notFound(PAYMENT_METHOD_ERROR.NOT_FOUND, `No payment method with id ${id}.`, {
      field: "paymentMethodId",
    });
  }
  return method;
}

/** Adds a card; the tenant's first method becomes its default. */
export async function addPaymentMethod(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  input: AddCardInput,
): Promise<PaymentMethod> {
  const now = ctx.clock.now();
  const card = parseCardInput(input, now);
  return ctx.db.transaction().execute(async (trx) => {
    await authorizeBilling(trx, actor, tenantId, { lockTenant: ctx.engine });
    const isDefault = (await findDefaultPaymentMethodRow(trx, tenantId)) === undefined;
    const id = newId();
    await insertPaymentMethodRow(trx, {
      tenant_id: tenantId,
      id,
      type: card.type,
      brand: card.brand,
      last4: card.last4,
      exp_month: card.expMonth,
      exp_year: card.expYear,
      holder_name: card.holderName,
      token: card.token,
      is_default: isDefault,
      created_at: now.toISOString(),
    });
    const method = await loadPaymentMethod(trx, tenantId, id);
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "paymentMethod.add",
      target: { type: "paymentMethod", id },
      details: { ...auditedCard(method), isDefault },
    });
    return method;
  });
}

/** The tenant's payment methods in the order they were added. */
export async function listPaymentMethods(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  options: { afterId?: string | undefined; limit: number },
): Promise<PaymentMethod[]> {
  await authorizeBilling(ctx.db, actor, tenantId);
  return (await listPaymentMethodRows(ctx.db, tenantId, options)).map(toPaymentMethod);
}

export async function getPaymentMethod(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  id: string,
): Promise<PaymentMethod> {
  await authorizeBilling(ctx.db, actor, tenantId);
  return loadPaymentMethod(ctx.db, tenantId, id);
}

/**
 * `isDefault: true` makes the method the one invoices are charged with; the previous default stays
 * on file. `isDefault: false` on the default is refused: there is always a default while any
 * method is on file, so make another one the default instead.
 */
export async function updatePaymentMethod(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  id: string,
  input: UpdatePaymentMethodInput,
): Promise<PaymentMethod> {
  return ctx.db.transaction().execute(async (trx) => {
    await authorizeBilling(trx, actor, tenantId, { lockTenant: ctx.engine });
    const method = await loadPaymentMethod(trx, tenantId, id);
    if (input.isDefault === false && method.isDefault) {
      throw invalid(
        PAYMENT_METHOD_ERROR.DEFAULT_REQUIRED,
        `${describeCard(method)} is the default payment method. Make another method the default (PATCH it with {"isDefault": true}) instead.`,
        { field: "isDefault" },
      );
    }
    if (input.isDefault !== true || method.isDefault) return method;
    const previous = await findDefaultPaymentMethodRow(trx, tenantId);
    await setDefaultPaymentMethodRow(trx, tenantId, id);
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "paymentMethod.setDefault",
      target: { type: "paymentMethod", id },
      details: { ...auditedCard(method), previousDefaultId: previous?.id ?? null },
    });
    return loadPaymentMethod(trx, tenantId, id);
  });
}

/**
 * Removes a card. Refused (PAYMENT_METHOD_IN_USE, naming the subscriptions) while an active
 * subscription with auto-renew renews with it — naming it, or naming none while it is the default
 * (SPEC §3). When the default goes, the oldest remaining method becomes the default; subscriptions
 * that named the removed method (none of them renewing) fall back to the default.
 */
export async function removePaymentMethod(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  id: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await authorizeBilling(trx, actor, tenantId, { lockTenant: ctx.engine });
    const method = await loadPaymentMethod(trx, tenantId, id);
    const renewing = await findSubscriptionsRenewingWith(trx, tenantId, method);
    if (renewing.length > 0) {
      const named = renewing
        .map((s) => `${s.sku_part_number} (${s.id}, renews ${s.period_end_at.slice(0, 10)})`)
        .join(", ");
      throw blocked(
        PAYMENT_METHOD_ERROR.IN_USE,
        `${describeCard(method)} pays the renewal of ${renewing.length} subscription(s): ${named}. ` +
          "Make another payment method the default first, or turn off their auto-renew (cancel at renewal).",
        {
          subscriptions: renewing.map((s) => ({
            id: s.id,
            skuPartNumber: s.sku_part_number,
            renewalDateTime: s.period_end_at,
          })),
        },
      );
    }
    const now = ctx.clock.now().toISOString();
    await deletePaymentMethodRow(trx, tenantId, id);
    await clearSubscriptionPaymentMethod(trx, tenantId, id, now);
    const [successor] = method.isDefault
      ? await listPaymentMethodRows(trx, tenantId, { limit: 1 })
      : [];
    if (successor) await setDefaultPaymentMethodRow(trx, tenantId, successor.id);
    await recordAudit(ctx, trx, {
      tenantId,
      actor,
      action: "paymentMethod.remove",
      target: { type: "paymentMethod", id },
      details: { ...auditedCard(method), newDefaultId: successor?.id ?? null },
    });
  });
}
