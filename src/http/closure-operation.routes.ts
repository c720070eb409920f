import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import {
  type ClosureReader,
  cancelGuidedClosure,
  downloadClosureExport,
  getClosureCertificate,
  getGuidedClosure,
  startGuidedClosure,
} from "../closure/index.js";
import { MAX_FEEDBACK_LENGTH } from "../commerce/index.js";
import { assertStepUp } from "../security/index.js";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";
import { cancellationFeedback, cancellationReason } from "./billing-subscription-schemas.js";
import { ConfirmDomain } from "./closure.routes.js";

const PATH = "/v1.0/organization/closure";
const TAGS = ["closure"];

const StartBody = Type.Object(
  {
    confirmDomain: ConfirmDomain,
    reason: cancellationReason(
      "Why the organization is closed (the subscriptions' cancellation reason).",
    ),
    feedback: cancellationFeedback(
      `Free text, at most ${MAX_FEEDBACK_LENGTH} characters; cleared when the organization is erased.`,
    ),
    export: Type.Optional(
      Type.Boolean({
        description:
          "Make the backup archive first (default true); downloadable until the irreversible phase.",
      }),
    ),
  },
  { additionalProperties: false },
);

const NullableString = Type.Union([Type.String(), Type.Null()]);
const Operation = Type.Object({
  id: Type.String(),
  state: Type.String({
    description: "running | waiting | coolingOff | completed | cancelled | failed",
  }),
  step: NullableString,
  steps: Type.Array(
    Type.Object({
      name: Type.String(),
      done: Type.Integer(),
      total: Type.Integer(),
      startedDateTime: NullableString,
      finishedDateTime: NullableString,
    }),
  ),
  blockers: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
  reason: Type.String(),
  exportRequested: Type.Boolean(),
  exportUrl: Type.Optional(Type.String()),
  exportSha256: NullableString,
  exportBytes: Type.Union([Type.Integer(), Type.Null()]),
  coolingOffEndsDateTime: NullableString,
  waitUntil: NullableString,
  waitingFor: NullableString,
  irreversible: Type.Boolean(),
  createdDateTime: Type.String(),
  finishedDateTime: NullableString,
  error: NullableString,
});

const START_DESCRIPTION =
  "Starts the durable guided closure: export → turn sync off (waits) → delete users → cancel subscriptions → delete disabled subscriptions (waits for deprovisioning) → MFA off → remove applications → cooling-off (TENANTRY_CLOSURE_COOLING_OFF) → irreversible phase (purge the recycle bin, verify the checks, erase the organization, shred the audit key, sign the certificate). Needs a Global Administrator with a sign-in (MFA where enrolled) in the last 10 minutes. The organization is frozen before the 202 is sent. A second start while one is open answers the open one with 200.";

/** The guided closure (SPEC §6, issue 7): start, status, cancel, export download, certificate. */
export function closureOperationRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    const auth = { preHandler: authenticate(ctx) };
    const readerAuth = { preHandler: authenticate(ctx, { allowClosedTenantReader: true }) };

    app.post(
      PATH,
      {
        ...auth,
        schema: {
          tags: TAGS,
          summary: "Start closing the organization (the guided closure)",
          description: START_DESCRIPTION,
          body: StartBody,
          response: { 200: Operation, 202: Operation },
        },
      },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        await assertStepUp(ctx, session);
        const { operation, created } = await startGuidedClosure(
          ctx,
          actor,
          session.tenantId,
          request.body,
        );
        return reply.status(created ? 202 : 200).send(operation);
      },
    );

    app.get(
      PATH,
      {
        ...readerAuth,
        schema: {
          tags: TAGS,
          summary: "The guided closure's state and progress",
          description:
            "For a Global Administrator; after the organization is deleted, also for 7 days with the closing admin's token.",
          response: { 200: Operation },
        },
      },
      async (request) => {
        const { reader, tenantId } = readerOf(request);
        return getGuidedClosure(ctx, reader, tenantId);
      },
    );

    app.post(
      `${PATH}/cancel`,
      {
        ...auth,
        schema: {
          tags: TAGS,
          summary: "Cancel the guided closure before its irreversible phase",
          description:
            "Any Global Administrator. What is done stays done (users restorable from the recycle bin, subscriptions reactivatable); nothing is purged; the organization is unfrozen. 409 CLOSURE_IRREVERSIBLE once the purge began.",
          response: { 200: Operation },
        },
      },
      async (request) => {
        const { actor, session } = requireAuth(request);
        return cancelGuidedClosure(ctx, actor, session.tenantId);
      },
    );

    app.get(
      `${PATH}/export`,
      {
        ...auth,
        schema: {
          tags: TAGS,
          summary: "Download the backup archive (tar.gz) made by the closure",
          description:
            "Streams the archive with its SHA-256 in the ETag; `tenantry export verify FILE` checks it offline. 404 CLOSURE_EXPORT_UNAVAILABLE before it is made and once the irreversible phase erased it.",
        },
      },
      async (request, reply) => {
        const { actor, session } = requireAuth(request);
        const download = await downloadClosureExport(ctx, actor, session.tenantId);
        return reply
          .header("content-disposition", 'attachment; filename="tenantry-export.tar.gz"')
          .header("content-length", download.bytes)
          .header("etag", `"sha256-${download.sha256}"`)
          .type("application/gzip")
          .send(download.stream);
      },
    );

    app.get(
      `${PATH}/certificate`,
      {
        ...readerAuth,
        schema: {
          tags: TAGS,
          summary: "The signed deletion certificate",
          description:
            "Ed25519-signed record of what was erased, verifiable offline (`tenantry certificate verify FILE`); public keys at /.well-known/tenantry-signing-keys. 404 CLOSURE_CERTIFICATE_NOT_READY until the closure completed.",
        },
      },
      async (request) => {
        const { reader, tenantId } = readerOf(request);
        return getClosureCertificate(ctx, reader, tenantId);
      },
    );
  };
}

function readerOf(request: FastifyRequest): { reader: ClosureReader; tenantId: string } {
  if (request.closedTenantReader) {
    return { reader: request.closedTenantReader, tenantId: request.closedTenantReader.tenantId };
  }
  const { actor, session } = requireAuth(request);
  return { reader: { kind: "actor", actor }, tenantId: session.tenantId };
}
