import type { FastifyInstance } from "fastify";
import type { AppContext } from "../shared/app-context.js";
import { applicationsRoutes } from "./applications.routes.js";
import { auditLogsRoutes } from "./audit-logs.routes.js";
import { authRoutes } from "./auth.routes.js";
import { batchRoutes } from "./batch.routes.js";
import { billingPaymentsRoutes } from "./billing-payments.routes.js";
import { billingProductsRoutes } from "./billing-products.routes.js";
import { billingSubscriptionsRoutes } from "./billing-subscriptions.routes.js";
import { closureRoutes } from "./closure.routes.js";
import { closureOperationRoutes } from "./closure-operation.routes.js";
import { contentRoutes } from "./content.routes.js";
import { deletedItemsRoutes } from "./deleted-items.routes.js";
import { directoryRolesRoutes } from "./directory-roles.routes.js";
import { groupsRoutes } from "./groups.routes.js";
import { licensesRoutes } from "./licenses.routes.js";
import { meAuthenticationRoutes } from "./me-authentication.routes.js";
import { oauthRoutes } from "./oauth.routes.js";
import { organizationRoutes } from "./organization.routes.js";
import { registrationDetailsRoutes } from "./registration-details.routes.js";
import { userAuthenticationRoutes } from "./user-authentication.routes.js";
import { usersRoutes } from "./users.routes.js";

/** Every area's routes; one plugin per file, one line here each. */
export async function registerApiRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(authRoutes(ctx));
  await app.register(meAuthenticationRoutes(ctx));
  await app.register(userAuthenticationRoutes(ctx));
  await app.register(registrationDetailsRoutes(ctx));
  await app.register(applicationsRoutes(ctx));
  await app.register(oauthRoutes(ctx));
  await app.register(directoryRolesRoutes(ctx));
  await app.register(usersRoutes(ctx));
  await app.register(deletedItemsRoutes(ctx));
  await app.register(groupsRoutes(ctx));
  await app.register(organizationRoutes(ctx));
  await app.register(batchRoutes(ctx));
  await app.register(billingPaymentsRoutes(ctx));
  await app.register(billingProductsRoutes(ctx));
  await app.register(billingSubscriptionsRoutes(ctx));
  await app.register(licensesRoutes(ctx));
  await app.register(closureRoutes(ctx));
  await app.register(closureOperationRoutes(ctx));
  await app.register(contentRoutes(ctx));
  await app.register(auditLogsRoutes(ctx));
}
