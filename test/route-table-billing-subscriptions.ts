import { addPaymentMethod, cancelSubscription, type Subscription } from "../src/commerce/index.js";
import { cardInput } from "./billing-payment-fixtures.js";
import { buyInput, buyTrial } from "./commerce-fixtures.js";
import { OPERATOR } from "./directory-fixtures.js";
import { type Caller, type RouteAccess, type RouteEnv, route } from "./route-targets.js";

/** Rows of the route × role table (test/route-table.ts) for this part of commerce. */

/** SPEC §1: subscriptions are for Billing Administrators (and Global Administrators). */
const BILLING: readonly Caller[] = ["globalAdministrator", "billingAdministrator"];
const PATH = "/v1.0/billing/subscriptions";
const ITEM = `${PATH}/{id}`;

/** A fresh trial (no card needed, nothing invoiced), bought as the operator. */
async function freshTrial({ t, org }: RouteEnv): Promise<Subscription> {
  return (await buyTrial(t, org.tenantId)).subscription;
}

/** A fresh trial cancelled now: disabled, so it can be deleted or reactivated. */
async function freshDisabled(env: RouteEnv): Promise<Subscription> {
  const trial = await freshTrial(env);
  return cancelSubscription(env.t, OPERATOR, env.org.tenantId, trial.id, {
    reason: "unused",
    when: "now",
  });
}

const url = (subscription: Subscription) => `${PATH}/${subscription.id}`;

export const BILLING_SUBSCRIPTION_ROUTES: readonly RouteAccess[] = [
  route({ method: "GET", path: PATH, status: 200, allowed: BILLING }),
  route({
    method: "POST",
    path: PATH,
    status: 201,
    allowed: BILLING,
    body: () => ({ ...buyInput({ quantity: 2 }), trial: true }),
  }),
  route({ method: "GET", path: ITEM, status: 200, allowed: BILLING, fresh: freshTrial, url }),
  route({
    method: "PATCH",
    path: ITEM,
    status: 200,
    allowed: BILLING,
    fresh: freshTrial,
    url,
    body: () => ({ quantity: 3 }),
  }),
  route({
    method: "DELETE",
    path: ITEM,
    status: 200,
    allowed: BILLING,
    fresh: freshDisabled,
    url: (subscription) => `${url(subscription)}?confirm=true`,
  }),
  route({
    method: "POST",
    path: `${ITEM}/cancel`,
    status: 200,
    allowed: BILLING,
    fresh: freshTrial,
    url: (subscription) => `${url(subscription)}/cancel`,
    body: () => ({ reason: "too_expensive", when: "now" }),
  }),
  route({
    method: "POST",
    path: `${ITEM}/reactivate`,
    status: 200,
    allowed: BILLING,
    fresh: async (env) => {
      await addPaymentMethod(env.t, OPERATOR, env.org.tenantId, cardInput());
      return freshDisabled(env);
    },
    url: (subscription) => `${url(subscription)}/reactivate`,
    body: () => ({}),
  }),
];
