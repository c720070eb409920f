import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyPluginAsync } from "fastify";
import {
  activateTotpMethod,
  deleteTotpMethod,
  generateRecoveryCodes,
  listTotpMethods,
  startTotpEnrolment,
  type TotpMethod,
} from "../security/index.js";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";

const BASE = "/v1.0/me/authentication";

const Method = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  status: Type.Union([Type.Literal("pending"), Type.Literal("active")]),
  createdDateTime: Type.String(),
  activatedDateTime: Type.Union([Type.String(), Type.Null()]),
});
const MethodParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

function toBody(method: TotpMethod) {
  return {
    ...method,
    createdDateTime: method.createdDateTime.toISOString(),
    activatedDateTime: method.activatedDateTime?.toISOString() ?? null,
  };
}

/**
 * The signed-in user's own MFA methods (SPEC §2). An MFA-registration session may list, enrol and
 * verify TOTP methods and generate recovery codes; deleting a method needs a full session.
 */
export function meAuthenticationRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
    const enrolment = { preHandler: authenticate(ctx, { allow: ["mfaRegistration"] }) };

    app.get(
      `${BASE}/softwareOathMethods`,
      { ...enrolment, schema: { response: { 200: Type.Object({ value: Type.Array(Method) }) } } },
      async (request) => ({
        value: (await listTotpMethods(ctx, requireAuth(request).actor)).map(toBody),
      }),
    );

    app.post(
      `${BASE}/softwareOathMethods`,
      {
        ...enrolment,
        // Graph clients often POST here without a body: treat that as `{}`.
        preValidation: async (request) => {
          request.body ??= {};
        },
        schema: {
          body: Type.Object({ displayName: Type.Optional(Type.String({ maxLength: 128 })) }),
          response: {
            201: Type.Object({
              id: Type.String(),
              secretKey: Type.String(),
              otpauthUri: Type.String(),
              qrCodeSvg: Type.String(),
            }),
          },
        },
      },
      async (request, reply) => {
        const options = { displayName: request.body.displayName };
        const enrolled = await startTotpEnrolment(ctx, requireAuth(request).actor, options);
        return reply.status(201).send(enrolled);
      },
    );

    app.post(
      `${BASE}/softwareOathMethods/:id/verify`,
      {
        ...enrolment,
        schema: {
          params: MethodParams,
          body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 16 }) }),
          response: { 200: Method },
        },
      },
      async (request) =>
        toBody(
          await activateTotpMethod(
            ctx,
            requireAuth(request).actor,
            request.params.id,
            request.body.code,
          ),
        ),
    );

    app.delete(
      `${BASE}/softwareOathMethods/:id`,
      { preHandler: authenticate(ctx), schema: { params: MethodParams } },
      async (request, reply) => {
        await deleteTotpMethod(ctx, requireAuth(request).actor, request.params.id);
        return reply.status(204).send();
      },
    );

    app.post(
      `${BASE}/recoveryCodes`,
      {
        ...enrolment,
        schema: { response: { 200: Type.Object({ value: Type.Array(Type.String()) }) } },
      },
      async (request) => ({ value: await generateRecoveryCodes(ctx, requireAuth(request).actor) }),
    );
  };
}
