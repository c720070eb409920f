import { Type, type TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type { FastifyPluginAsync } from "fastify";
import { listSigningKeys, SIGNING_KEYS_PATH } from "../certificate/index.js";
import type { AppContext } from "../shared/app-context.js";

const SigningKeyItem = Type.Object({
  keyId: Type.String({ description: "The id certificates name in keyId." }),
  algorithm: Type.Literal("Ed25519"),
  publicKey: Type.String({ description: "The raw 32-byte Ed25519 public key, base64url." }),
  createdDateTime: Type.String({ format: "date-time" }),
  retiredDateTime: Type.Optional(
    Type.String({
      format: "date-time",
      description: "Set once the key signs no more; what it signed still verifies.",
    }),
  ),
});
const SigningKeyList = Type.Object({ keys: Type.Array(SigningKeyItem) });

/**
 * The installation's public signing keys (SPEC §6), for anyone to check a deletion certificate
 * against: no authentication, public parts only, retired keys too (oldest first). The certificate
 * verifies offline; this list tells that this installation issued it.
 */
export function signingKeysRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (root) => {
    const app = root.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      SIGNING_KEYS_PATH,
      {
        schema: {
          tags: ["closure"],
          summary: "The public keys that sign deletion certificates",
          description:
            "Public, no sign-in. A certificate is issued by this installation when its keyId and publicKey are both listed here.",
          response: { 200: SigningKeyList },
        },
      },
      async () => ({ keys: await listSigningKeys(ctx.db) }),
    );
  };
}
