import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync } from "fastify";
import {
  getClosureChecks,
  getClosurePlan,
  runCancelSubscriptionsStep,
  runDeleteDisabledSubscriptionsStep,
  runDeleteTenantStep,
  runDeleteUsersStep,
  runDisableMfaStep,
} from "../closure/index.js";
import { MAX_FEEDBACK_LENGTH } from "../commerce/index.js";
import { assertStepUp } from "../security/index.js";
import type { AppContext } from "../shared/app-context.js";
import { cancellationFeedback, cancellationReason } from "./billing-subscription-schemas.js";
import { answerLanguage } from "./language.js";
import { authenticate, requireAuth } from "./authenticate.js";

const PATH = "/v1.0/organization/closure";
const TAGS = ["closure"];

const StepItem = Type.Object({
  id: Type.String(),
  outcome: Type.Union([Type.Literal("ok"), Type.Literal("skipped"), Type.Literal("failed")]),
  action: Type.Optional(Type.String()),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});
const StepResponse = Type.Object({ value: Type.Array(StepItem) });
const NoBody = Type.Union([Type.Object({}, { additionalProperties: false }), Type.Null()]);
const DeleteUsersBody = Type.Union([
  Type.Object(
    {
      purge: Type.Optional(
        Type.Boolean({
          description:
            "true: also purge them and everything else in the recycle bin (irreversible; needs a recent sign-in with MFA where the admin has it).",
        }),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);
const CancelAllBody = Type.Object(
  {
    reason: cancellationReason("Why the subscriptions are cancelled (one reason for all)."),
    feedback: cancellationFeedback(`Free text for all, at most ${MAX_FEEDBACK_LENGTH} characters.`),
  },
  { additionalProperties: false },
);

/** The typed confirmation of step 5 and of the guided closure. */
export const ConfirmDomain = Type.String({
  minLength: 1,
  maxLength: 253,
  description: "The organization's initial domain, typed to confirm (any letter case).",
});
const DeleteTenantBody = Type.Object(
  { confirmDomain: ConfirmDomain },
  { additionalProperties: false },
);

const DELETE_TENANT_DESCRIPTION =
  "Refused with 409 (CLOSURE_CHECKS_FAILED, the failed checks in error.info.failedChecks) unless every deletion check passes, and with 400 unless confirmDomain is the initial domain. Otherwise, in one transaction, every row the organization owns is erased — users and their mail and files, groups, roles, applications, sessions, MFA methods, subscriptions, licenses, payment methods, invoices, credits, payments, scheduled jobs — and only this remains: the organization row (state deleted, deletedDateTime set; its id is never reused), its domains (never reused), and its audit log, which still verifies but names no one because its key is destroyed (the audit_key row keeps only when that happened). The last audit entry (tenant.delete, with the counts erased per table) is written before the key is destroyed. Nobody can sign in afterwards.";

/**
 * Account closure, part 1 (SPEC §6): the deletion checks, the plan (a dry run) and the seed's five
 * steps, each on its own — all for a Global Administrator of the organization only.
 */
export function closureRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { preHandler: authenticate(ctx) };

    app.get(
      `${PATH}/checks`,
      {
        ...auth,
        schema: {
          tags: TAGS,
          summary: "The deletion checks, each with status, count, explanation and where to fix it",
          description:
            "title and detail are in the request's language (Accept-Language: zh-CN or en-US, else en-US).",
        },
      },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const language = answerLanguage(request, reply);
        return { value: await getClosureChecks(ctx, actor, session.tenantId, language) };
      },
    );

    app.get(
      `${PATH}/plan`,
      {
        ...auth,
        schema: {
          tags: TAGS,
          summary: "What each closure step would do now, and every blocker with its fix",
          description: "A dry run: changes nothing.",
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        return getClosurePlan(ctx, actor, session.tenantId);
      },
    );

    const step = (summary: string, description?: string) => ({
      tags: TAGS,
      summary,
      ...(description ? { description } : {}),
      response: { 200: StepResponse },
    });

    app.post(
      `${PATH}/steps/deleteUsers`,
      {
        ...auth,
        schema: {
          ...step("Step 1: delete every user except you"),
          body: DeleteUsersBody,
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        const purge = request.body?.purge === true;
        if (purge) await assertStepUp(ctx, session);
        return runDeleteUsersStep(ctx, actor, session.tenantId, { purge });
      },
    );

    app.post(
      `${PATH}/steps/cancelSubscriptions`,
      {
        ...auth,
        schema: {
          ...step("Step 2: cancel every active subscription now"),
          body: CancelAllBody,
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        return runCancelSubscriptionsStep(ctx, actor, session.tenantId, request.body);
      },
    );

    app.post(
      `${PATH}/steps/deleteDisabledSubscriptions`,
      {
        ...auth,
        schema: {
          ...step("Step 3: delete every disabled subscription"),
          body: NoBody,
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        return runDeleteDisabledSubscriptionsStep(ctx, actor, session.tenantId);
      },
    );

    app.post(
      `${PATH}/steps/disableMfa`,
      {
        ...auth,
        schema: {
          ...step("Step 4: turn per-user MFA off for everyone except you"),
          body: NoBody,
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        return runDisableMfaStep(ctx, actor, session.tenantId);
      },
    );

    app.post(
      `${PATH}/steps/deleteTenant`,
      {
        ...auth,
        schema: {
          ...step("Step 5: delete the organization", DELETE_TENANT_DESCRIPTION),
          body: DeleteTenantBody,
        },
      },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        await assertStepUp(ctx, session);
        const language = answerLanguage(request, reply);
        const body = { confirmDomain: request.body.confirmDomain };
        return runDeleteTenantStep(ctx, actor, session.tenantId, body, language);
      },
    );
  };
}
