import {
  addPaymentMethod,
  assignLicense,
  buySubscription,
  cancelSubscription,
  commerceJobHandlers,
  deleteSubscription,
  findProductByPartNumber,
  type InvoiceStatus,
  listInvoices,
  listPaymentMethods,
  listSubscriptions,
  type SubscriptionStatus,
} from "../commerce/index.js";
import { directoryJobHandlers } from "../directory/index.js";
import { Scheduler } from "../scheduler/index.js";
import type { Actor } from "../shared/actor.js";
import type { AppContext } from "../shared/app-context.js";
import { addMs, DAY, type ManualClock } from "../shared/clock.js";

/**
 * Contoso's commerce history (issue 5): cards on file, subscriptions in every state of SPEC §3's
 * lifecycle, licenses and invoices — all made by the real services and the real lifecycle. The
 * demo runs on a clock set months in the past; each step below happens on its day, and before it
 * the durable scheduler runs whatever fell due (renewals with their invoices, lapses,
 * deprovisioning), as a server would have. At the end the clock reaches the present.
 */

export interface DemoCommerceSummary {
  paymentMethods: number;
  subscriptions: Record<SubscriptionStatus, number>;
  licensesAssigned: number;
  invoices: Record<InvoiceStatus, number>;
}

export interface DemoCommercePeople {
  tenantId: string;
  /** Acts on subscriptions, cards and invoices (SPEC §1). */
  billingAdminId: string;
  /** Assigns licenses (SPEC §1: not the Billing Administrator). */
  userAdminId: string;
  /** The Global Administrator and the named role holders: they get Microsoft 365 E3. */
  adminIds: readonly string[];
  /** Everyone else, in a stable order. */
  memberIds: readonly string[];
}

/** How far back the demo's history starts, before the present. */
export const DEMO_HISTORY_DAYS = 130;

/** The card renewals are charged to, and one the processor declines (SPEC §3: `tok_fail…`). */
function demoCards(now: Date) {
  const expYear = now.getUTCFullYear() + 3;
  return [
    {
      type: "card" as const,
      brand: "visa",
      last4: "4242",
      expMonth: 8,
      expYear,
      holderName: "Contoso Ltd",
      token: "tok_visa_contoso_demo",
    },
    {
      type: "card" as const,
      brand: "mastercard",
      last4: "0341",
      expMonth: 3,
      expYear,
      holderName: "Contoso Ltd",
      token: "tok_fail_insufficient_funds",
    },
  ];
}

export async function seedDemoCommerce(
  ctx: AppContext & { readonly clock: ManualClock },
  people: DemoCommercePeople,
  end: Date,
): Promise<DemoCommerceSummary> {
  const { tenantId } = people;
  const billing: Actor = { type: "user", tenantId, userId: people.billingAdminId };
  const licensing: Actor = { type: "user", tenantId, userId: people.userAdminId };
  const scheduler = new Scheduler(ctx, {
    ...directoryJobHandlers(ctx),
    ...commerceJobHandlers(ctx),
  });

  /**
   * Moves the clock on a day at a time to `daysBefore` the present, running each day the
   * lifecycle work due by then, as a server would. The history starts a whole number of days
   * before the present and every step falls on such a day, and so do the renewals and lapses the
   * steps set off: each runs at its own due time (a renewal's invoice is dated on its day).
   */
  async function dayBefore(daysBefore: number): Promise<void> {
    const target = addMs(end, -daysBefore * DAY);
    if (target < ctx.clock.now()) throw new Error("The demo's history must move forward.");
    for (;;) {
      const { failed } = await scheduler.runDueJobs();
      if (failed > 0) {
        throw new Error(`The demo's lifecycle work failed (${failed} jobs); see the log.`);
      }
      const next = addMs(ctx.clock.now(), DAY);
      if (next > target) return;
      ctx.clock.set(next);
    }
  }

  let licensesAssigned = 0;
  async function license(partNumber: string, userIds: readonly string[]): Promise<void> {
    const product = await findProductByPartNumber(ctx.db, partNumber);
    if (!product) throw new Error(`The catalog lacks ${partNumber}, which the demo uses.`);
    for (const userId of userIds) {
      await assignLicense(ctx, licensing, tenantId, userId, {
        addLicenses: [{ skuId: product.skuId }],
        removeLicenses: [],
      });
      licensesAssigned++;
    }
  }

  const buy = (skuPartNumber: string, quantity: number, more: Record<string, unknown> = {}) =>
    buySubscription(ctx, billing, tenantId, {
      skuPartNumber,
      quantity,
      term: "monthly",
      billingModel: "direct",
      ...more,
    });

  await dayBefore(128);
  const [goodCard, decliningCard] = demoCards(ctx.clock.now());
  if (!goodCard || !decliningCard) throw new Error("The demo needs two cards.");
  await addPaymentMethod(ctx, billing, tenantId, goodCard);
  const declining = await addPaymentMethod(ctx, billing, tenantId, decliningCard);

  // Office 365 E3, soon replaced by Microsoft 365 E3: cancelled, deleted, deprovisioned.
  await dayBefore(125);
  const office = await buy("ENTERPRISEPACK", 5);
  await dayBefore(110);
  await buy("SPE_E3", 10, { term: "annual", billingModel: "agreement" });
  await license("SPE_E3", people.adminIds.slice(0, 10));
  await dayBefore(100);
  await cancelSubscription(ctx, billing, tenantId, office.subscription.id, {
    reason: "switched_service",
    feedback: "Everyone moved to Microsoft 365 E3.",
    when: "now",
  });
  await dayBefore(99);
  await deleteSubscription(ctx, billing, tenantId, office.subscription.id, { confirm: true });

  // Business Standard for most of the staff: renewed every month, each invoice paid by card.
  await dayBefore(75);
  await buy("O365_BUSINESS_PREMIUM", 40);
  await license("O365_BUSINESS_PREMIUM", people.memberIds.slice(0, 30));

  // Business Premium for a pilot, cancelled at once when it ended: disabled, credit pending.
  await dayBefore(60);
  const premium = await buy("SPB", 8);

  // Exchange Online kiosks: set to end at renewal, now expired (everyone keeps access 30 days).
  await dayBefore(52);
  const exchange = await buy("EXCHANGESTANDARD", 15);
  await license("EXCHANGESTANDARD", people.memberIds.slice(30, 40));
  await dayBefore(40);
  await cancelSubscription(ctx, billing, tenantId, exchange.subscription.id, {
    reason: "too_expensive",
    feedback: null,
    when: "renewal",
  });

  // A free trial of Business Basic: active, no payment needed.
  await dayBefore(10);
  await buy("O365_BUSINESS_ESSENTIALS", 25, { trial: true });

  // Power BI Pro on the card the processor declines: its invoice stays due.
  await dayBefore(6);
  await buy("POWER_BI_PRO", 5, { paymentMethodId: declining.id });
  await license("POWER_BI_PRO", people.memberIds.slice(0, 3));

  await dayBefore(3);
  await cancelSubscription(ctx, billing, tenantId, premium.subscription.id, {
    reason: "unused",
    feedback: "The pilot ended.",
    when: "now",
  });

  await dayBefore(0);
  return summarize(ctx, billing, tenantId, licensesAssigned);
}

async function summarize(
  ctx: AppContext,
  billing: Actor,
  tenantId: string,
  licensesAssigned: number,
): Promise<DemoCommerceSummary> {
  const subscriptions = await listSubscriptions(ctx, billing, tenantId, { limit: 999 });
  const invoices = await listInvoices(ctx, billing, tenantId, { limit: 999 });
  const cards = await listPaymentMethods(ctx, billing, tenantId, { limit: 999 });
  const count = <K extends string>(keys: readonly K[], values: readonly K[]) =>
    Object.fromEntries(keys.map((k) => [k, values.filter((v) => v === k).length])) as Record<
      K,
      number
    >;
  return {
    paymentMethods: cards.length,
    subscriptions: count(
      ["active", "expired", "disabled", "deprovisioned"],
      subscriptions.map((s) => s.status),
    ),
    licensesAssigned,
    invoices: count(
      ["paid", "due", "overdue"],
      invoices.map((i) => i.status),
    ),
  };
}
