import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync } from "fastify";
import {
  addApplicationPassword,
  createApplication,
  deleteApplication,
  getApplication,
  listApplications,
  removeApplicationPassword,
  updateApplication,
} from "../directory/index.js";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";
import {
  applicationKey,
  toGraphApplication,
  toGraphPasswordCredential,
} from "./graph-application.js";
import { odataContext } from "./odata.js";

const DisplayName = Type.String({ minLength: 1, maxLength: 256 });
const CreateApplicationBody = Type.Object({ displayName: DisplayName });
const UpdateApplicationBody = Type.Object({ displayName: Type.Optional(DisplayName) });
/** Graph's addPassword body; both properties optional (default lifetime, no label). */
const AddPasswordBody = Type.Object({
  passwordCredential: Type.Optional(
    Type.Object({
      displayName: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
      endDateTime: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    }),
  ),
});
const RemovePasswordBody = Type.Object({ keyId: Type.String({ minLength: 1, maxLength: 64 }) });
const ApplicationParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });

/**
 * An application is addressed by object id (`/applications/{id}`) or by Graph's alternate key
 * on the client id (`/applications(appId='{appId}')`).
 */
const ITEM_PATHS = ["/v1.0/applications/:id", "/v1.0/applications(appId=:id(^'[^']*'$))"];

/** App registrations under /v1.0/applications (Graph's shapes); changes are for Global Administrators. */
export function applicationsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<TypeBoxTypeProvider>();
    const preHandler = authenticate(ctx);

    api.get("/v1.0/applications", { preHandler }, async (request) => {
      const { actor, session } = requireAuth(request);
      const applications = await listApplications(ctx, actor, session.tenantId);
      return {
        "@odata.context": odataContext(request, "applications"),
        value: applications.map(toGraphApplication),
      };
    });

    api.post(
      "/v1.0/applications",
      { preHandler, schema: { body: CreateApplicationBody } },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const created = await createApplication(ctx, actor, session.tenantId, request.body);
        return reply.status(201).send({
          "@odata.context": odataContext(request, "applications/$entity"),
          ...toGraphApplication(created),
        });
      },
    );

    for (const item of ITEM_PATHS) {
      const params = ApplicationParams;
      api.get(item, { preHandler, schema: { params } }, async (request) => {
        const { actor, session } = requireAuth(request);
        const key = applicationKey(request.params.id);
        const application = await getApplication(ctx, actor, session.tenantId, key);
        return {
          "@odata.context": odataContext(request, "applications/$entity"),
          ...toGraphApplication(application),
        };
      });

      api.patch(
        item,
        { preHandler, schema: { params, body: UpdateApplicationBody } },
        async (request, reply) => {
          const { actor, session } = requireAuth(request);
          const key = applicationKey(request.params.id);
          await updateApplication(ctx, actor, session.tenantId, key, request.body);
          return reply.status(204).send();
        },
      );

      api.delete(item, { preHandler, schema: { params } }, async (request, reply) => {
        const { actor, session } = requireAuth(request);
        await deleteApplication(ctx, actor, session.tenantId, applicationKey(request.params.id));
        return reply.status(204).send();
      });

      api.post(
        `${item}/addPassword`,
        { preHandler, schema: { params, body: AddPasswordBody } },
        async (request, reply) => {
          const { actor, session } = requireAuth(request);
          const key = applicationKey(request.params.id);
          const input = request.body.passwordCredential ?? {};
          const credential = await addApplicationPassword(ctx, actor, session.tenantId, key, input);
          // The secret is in this response and nowhere else: no cache may keep it.
          reply.header("cache-control", "no-store");
          return {
            "@odata.context": odataContext(request, "microsoft.graph.passwordCredential"),
            ...toGraphPasswordCredential(credential),
          };
        },
      );

      api.post(
        `${item}/removePassword`,
        { preHandler, schema: { params, body: RemovePasswordBody } },
        async (request, reply) => {
          const { actor, session } = requireAuth(request);
          const key = applicationKey(request.params.id);
          await removeApplicationPassword(ctx, actor, session.tenantId, key, request.body);
          return reply.status(204).send();
        },
      );
    }
  };
}
