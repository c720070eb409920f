import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync } from "fastify";
import {
  assignLicense,
  getCompanySubscription,
  getSubscribedSku,
  listCompanySubscriptions,
  listLicenseDetails,
  subscribedSkus,
} from "../commerce/index.js";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";
import {
  COMPANY_SUBSCRIPTION_PROPERTIES,
  LICENSE_DETAILS_PROPERTIES,
  SUBSCRIBED_SKU_PROPERTIES,
  toGraphAssignedLicense,
  toGraphCompanySubscription,
  toGraphLicenseDetails,
  toGraphSubscribedSku,
} from "./graph-license.js";
import { toGraphUser, userContext } from "./graph-user.js";
import { readSelectOption } from "./odata/query-options.js";
import { pickSelected, selectionContext } from "./odata.js";

const Guid = Type.String({ format: "uuid", description: "A GUID." });
/** Graph's `assignLicense` body: both collections are required there, empty ones allowed. */
const AssignLicenseBody = Type.Object({
  addLicenses: Type.Array(
    Type.Object({
      skuId: Guid,
      disabledPlans: Type.Optional(Type.Union([Type.Array(Guid, { maxItems: 100 }), Type.Null()])),
    }),
    { maxItems: 100 },
  ),
  removeLicenses: Type.Array(Guid, { maxItems: 100 }),
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });
const SelectQuery = Type.Object({
  $select: Type.Optional(
    Type.String({ description: "Comma-separated properties; id is always returned." }),
  ),
});

/**
 * Graph's licensing resources (SPEC §3): `subscribedSkus` and `directory/subscriptions` (read by
 * every member, like Graph's Directory.Read), a user's `licenseDetails`, and `assignLicense` (User
 * Administrator or Global Administrator; not Billing Administrator, SPEC §1).
 */
export function licensesRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { preHandler: authenticate(ctx) };
    const select = { querystring: SelectQuery };
    const described = (summary: string) => ({ ...select, summary });

    app.get(
      "/v1.0/subscribedSkus",
      { ...auth, schema: described("List the SKUs the organization has subscriptions of") },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const chosen = readSelectOption(request, SUBSCRIBED_SKU_PROPERTIES);
        const skus = await subscribedSkus(ctx, actor, session.tenantId);
        return {
          "@odata.context": selectionContext(request, "subscribedSkus", chosen),
          value: skus.map((s) => pickSelected(toGraphSubscribedSku(s), chosen)),
        };
      },
    );

    app.get(
      "/v1.0/subscribedSkus/:id",
      { ...auth, schema: { ...described("Get one subscribed SKU"), params: IdParams } },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const chosen = readSelectOption(request, SUBSCRIBED_SKU_PROPERTIES);
        const sku = await getSubscribedSku(ctx, actor, session.tenantId, request.params.id);
        return {
          "@odata.context": selectionContext(request, "subscribedSkus", chosen, true),
          ...pickSelected(toGraphSubscribedSku(sku), chosen),
        };
      },
    );

    app.get(
      "/v1.0/directory/subscriptions",
      { ...auth, schema: described("List the organization's subscriptions (companySubscription)") },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const chosen = readSelectOption(request, COMPANY_SUBSCRIPTION_PROPERTIES);
        const subscriptions = await listCompanySubscriptions(ctx, actor, session.tenantId);
        return {
          "@odata.context": selectionContext(request, "directory/subscriptions", chosen),
          value: subscriptions.map((s) => pickSelected(toGraphCompanySubscription(s), chosen)),
        };
      },
    );

    // By id, or by Graph's alternate key `subscriptions(commerceSubscriptionId='…')`.
    for (const path of [
      "/v1.0/directory/subscriptions/:id",
      "/v1.0/directory/subscriptions(commerceSubscriptionId=:id(^'[^']*'$))",
    ]) {
      const schema = {
        ...described("Get one subscription (companySubscription)"),
        params: IdParams,
      };
      app.get(path, { ...auth, schema }, async (request) => {
        const { actor, session } = requireAuth(request);
        const chosen = readSelectOption(request, COMPANY_SUBSCRIPTION_PROPERTIES);
        const id = request.params.id.replace(/^'(.*)'$/, "$1");
        const subscription = await getCompanySubscription(ctx, actor, session.tenantId, id);
        return {
          "@odata.context": selectionContext(request, "directory/subscriptions", chosen, true),
          ...pickSelected(toGraphCompanySubscription(subscription), chosen),
        };
      });
    }

    // A user's licenses; `/me/licenseDetails` for the signed-in user.
    for (const path of ["/v1.0/users/:id/licenseDetails", "/v1.0/me/licenseDetails"]) {
      const summary = described("List a user's licenses with their service plans");
      const schema = path.includes(":id") ? { ...summary, params: IdParams } : summary;
      app.get(path, { ...auth, schema }, async (request) => {
        const { actor, session } = requireAuth(request);
        const chosen = readSelectOption(request, LICENSE_DETAILS_PROPERTIES);
        const params = request.params as { id?: string };
        const userRef = params.id ?? session.subjectId;
        const details = await listLicenseDetails(ctx, actor, session.tenantId, userRef);
        const owner = details[0]?.userId ?? userRef;
        return {
          "@odata.context": selectionContext(request, `users('${owner}')/licenseDetails`, chosen),
          value: details.map((d) => pickSelected(toGraphLicenseDetails(d), chosen)),
        };
      });
    }

    app.post(
      "/v1.0/users/:id/assignLicense",
      {
        ...auth,
        schema: {
          summary: "Add and remove a user's licenses (User Administrator)",
          params: IdParams,
          body: AssignLicenseBody,
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const { addLicenses, removeLicenses } = request.body;
        const result = await assignLicense(ctx, actor, session.tenantId, request.params.id, {
          addLicenses: addLicenses.map((l) => ({
            skuId: l.skuId,
            disabledPlans: l.disabledPlans ?? [],
          })),
          removeLicenses,
        });
        return {
          "@odata.context": userContext(request, true),
          ...toGraphUser(result.user),
          assignedLicenses: result.assignedLicenses.map(toGraphAssignedLicense),
        };
      },
    );
  };
}
