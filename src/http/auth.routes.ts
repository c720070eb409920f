import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { Type } from "@sinclair/typebox";
import type { FastifyPluginAsync } from "fastify";
import {
  changePasswordWithToken,
  completeMfaSignIn,
  type SignInResult,
  signIn,
  signOut,
} from "../security/index.js";
import type { AppContext } from "../shared/app-context.js";
import { authenticate, requireAuth } from "./authenticate.js";

const SignInBody = Type.Object({
  userPrincipalName: Type.String({ minLength: 1, maxLength: 256 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});
const MfaBody = Type.Object({
  challengeId: Type.String({ minLength: 1, maxLength: 64 }),
  code: Type.String({ minLength: 1, maxLength: 64 }),
});
const PasswordBody = Type.Object({
  changeToken: Type.String({ minLength: 1, maxLength: 256 }),
  newPassword: Type.String({ minLength: 1, maxLength: 1024 }),
});

/** The four answers of a sign-in; the most specific first (the serializer takes the first match). */
const SignInReply = Type.Union([
  Type.Object({
    passwordChangeRequired: Type.Literal(true),
    changeToken: Type.String(),
    expiresIn: Type.Integer(),
  }),
  Type.Object({
    mfaRequired: Type.Literal(true),
    challengeId: Type.String(),
    expiresIn: Type.Integer(),
  }),
  Type.Object({
    mfaRegistrationRequired: Type.Literal(true),
    accessToken: Type.String(),
    expiresIn: Type.Integer(),
  }),
  Type.Object({ accessToken: Type.String(), expiresIn: Type.Integer() }),
]);

function toReply(result: SignInResult) {
  const { expiresIn } = result;
  switch (result.kind) {
    case "passwordChangeRequired":
      return { passwordChangeRequired: true as const, changeToken: result.changeToken, expiresIn };
    case "mfaRequired":
      return { mfaRequired: true as const, challengeId: result.challengeId, expiresIn };
    case "mfaRegistrationRequired":
      return { mfaRegistrationRequired: true as const, accessToken: result.accessToken, expiresIn };
    case "signedIn":
      return { accessToken: result.accessToken, expiresIn };
  }
}

/** Sign-in, MFA step, sign-out and password change under /auth (SPEC §2). */
export function authRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      "/auth/signin",
      { schema: { body: SignInBody, response: { 200: SignInReply } } },
      async (request) =>
        toReply(
          await signIn(ctx, { ...request.body, sourceAddress: request.ip, requestId: request.id }),
        ),
    );

    app.post(
      "/auth/signin/mfa",
      { schema: { body: MfaBody, response: { 200: SignInReply } } },
      async (request) =>
        toReply(
          await completeMfaSignIn(ctx, {
            ...request.body,
            sourceAddress: request.ip,
            requestId: request.id,
          }),
        ),
    );

    app.post(
      "/auth/password",
      { schema: { body: PasswordBody, response: { 200: SignInReply } } },
      async (request) =>
        toReply(
          await changePasswordWithToken(ctx, {
            ...request.body,
            sourceAddress: request.ip,
            requestId: request.id,
          }),
        ),
    );

    app.post(
      "/auth/signout",
      { preHandler: authenticate(ctx, { allow: ["mfaRegistration", "passwordChange"] }) },
      async (request, reply) => {
        await signOut(ctx, requireAuth(request).session, request.id);
        return reply.status(204).send();
      },
    );
  };
}
