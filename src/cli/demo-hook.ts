import { type DemoSummary, seedDemo } from "../demo/seed-demo.js";
import { storeHasHadTenants } from "../directory/index.js";
import type { AppContext } from "../shared/app-context.js";
import { isAppError } from "../shared/app-error.js";

/**
 * The hook `tenantry start` (what `npm start` runs) calls before serving: on a store that has
 * never held a tenant, it seeds the demo tenant, so that a newcomer's first start shows a populated
 * admin center. It never seeds a store that has or had a tenant (closed tenants count: their
 * domains are never reused), so restarts change nothing. Two processes starting at once on one
 * PostgreSQL are safe: the demo domain is unique, and the loser treats DOMAIN_TAKEN as seeded.
 */
export async function seedDemoIfEmpty(
  ctx: AppContext,
): Promise<{ seeded: boolean; demo?: DemoSummary }> {
  if (await storeHasHadTenants(ctx, { type: "operator" })) return { seeded: false };
  try {
    const demo = await seedDemo(ctx);
    ctx.log.info(
      { tenantId: demo.tenantId, users: demo.users, signIn: demo.signIn.userPrincipalName },
      `seeded the demo tenant Contoso: sign in as ${demo.signIn.userPrincipalName} with password ${demo.signIn.password}`,
    );
    return { seeded: true, demo };
  } catch (error) {
    if (isAppError(error) && error.code === "DOMAIN_TAKEN") return { seeded: false };
    throw error;
  }
}
